/**
 * The real authorization server for a test: a free port, a temporary data folder, the default
 * configuration with your overrides.
 *
 *   const as = await startTestAuthorizationServer({ apiResource: 'http://localhost:4321/api' });
 *   const as = authorizationServerForSuite();   // in a describe: started before its tests, closed after
 *   as.issuer            // http://localhost:<port>
 *   as.config            // the WorldConfig it runs with (issuer and asPort filled in)
 *   await as.close();    // stops it and deletes the data folder (unless you passed dataDir)
 *
 *   // a restart: same data folder, same port (so the same issuer), a new Provider and store
 *   const again = await startTestAuthorizationServer({ dataDir }, { port: as.config.asPort });
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { readConfig, type WorldConfig } from '../config.ts';
import {
  startAuthorizationServer,
  type AuthorizationServerOptions,
} from '../authorization-server/create-authorization-server.ts';
import { suiteFixture } from './suite-fixture.ts';

export interface TestAuthorizationServer {
  issuer: string;
  config: WorldConfig;
  close(): Promise<void>;
}

export async function startTestAuthorizationServer(
  overrides: Partial<WorldConfig> = {},
  /** `port`: default 0 (a free port); `loginThrottle`: e.g. its clock. */
  options: Pick<AuthorizationServerOptions, 'ttl' | 'port' | 'loginThrottle'> = {},
): Promise<TestAuthorizationServer> {
  const ownDataDir = overrides.dataDir === undefined;
  const dataDir = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), 'dpop-lab-as-')));
  const base: WorldConfig = { ...readConfig({}), ...overrides, dataDir };
  const server = await startAuthorizationServer({ config: base, port: 0, ...options });
  const port = Number(new URL(server.issuer).port);
  return {
    issuer: server.issuer,
    config: { ...base, issuer: server.issuer, asPort: port },
    async close() {
      await server.close();
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The authorization server for the tests of one `describe`. */
export function authorizationServerForSuite(
  ...args: Parameters<typeof startTestAuthorizationServer>
): TestAuthorizationServer {
  return suiteFixture(() => startTestAuthorizationServer(...args));
}

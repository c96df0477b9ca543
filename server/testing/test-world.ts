/**
 * The whole embedded world for a test: the real authorization server and the real resource API
 * on free loopback ports, the API's public URL and resource indicator matching the port it
 * listens on (so `htu` and `aud` line up, as with `npm start`).
 *
 *   const world = await startTestWorld();        // or, in a describe: testWorldForSuite()
 *   world.issuer     // http://localhost:<port>
 *   world.api        // http://localhost:<port>  (API_PUBLIC_URL)
 *   world.resource   // http://localhost:<port>/api  (the `resource` / `aud`)
 *   world.config     // the WorldConfig both run with (e.g. as env for a CLI child process)
 *   await world.close();
 */
import type { WorldConfig } from '../config.ts';
import { startResourceApi } from '../resource-api/create-resource-api.ts';
import { freePort } from './free-port.ts';
import { suiteFixture } from './suite-fixture.ts';
import { startTestAuthorizationServer } from './test-authorization-server.ts';

export interface TestWorld {
  issuer: string;
  api: string;
  resource: string;
  config: WorldConfig;
  /** The environment a CLI child process needs to talk to this world. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startTestWorld(overrides: Partial<WorldConfig> = {}): Promise<TestWorld> {
  const apiPort = await freePort('localhost');
  const apiPublicUrl = `http://localhost:${apiPort}`;
  const as = await startTestAuthorizationServer({
    apiPort,
    apiPublicUrl,
    apiResource: `${apiPublicUrl}/api`,
    ...overrides,
  });
  let api;
  try {
    api = await startResourceApi({ config: as.config, port: apiPort });
  } catch (error) {
    await as.close();
    throw error;
  }
  const { config } = as;
  return {
    issuer: as.issuer,
    api: config.apiPublicUrl,
    resource: config.apiResource,
    config,
    env: {
      ISSUER: config.issuer,
      AS_PORT: String(config.asPort),
      API_PORT: String(config.apiPort),
      API_PUBLIC_URL: config.apiPublicUrl,
      DPOP_LAB_DATA_DIR: config.dataDir,
    },
    async close() {
      await api.close();
      await as.close();
    },
  };
}

/** The world for the tests of one `describe`: started before them, closed after them. */
export function testWorldForSuite(overrides: Partial<WorldConfig> = {}): TestWorld {
  return suiteFixture(() => startTestWorld(overrides));
}

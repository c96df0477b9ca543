/**
 * `ng serve`'s part of `npm start` (scripts/start.mjs): the arguments that make Angular's dev
 * server send the app server's security headers and answer `/config.json` as the app server
 * does, both from the world's configuration — so AS_PORT, API_PORT, SPA_ORIGIN, ISSUER,
 * API_PUBLIC_URL (and APP_CONFIG) need no file edited, and hot reload stays.
 *
 * `/config.json` comes from a loopback server in this process, reached through the dev server's
 * proxy (`--proxy-config`, a file in a temporary folder): the dev server has no option that
 * serves a generated file, and public/ holds no config.json that would answer first.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { spaPortOf, type WorldConfig } from '../config.ts';
import { listen } from '../listen.ts';
import { INLINE_STYLES, securityHeaders } from './security-headers.ts';
import { servedAppConfig } from './served-app-config.ts';

export interface DevServerSetup {
  /** The arguments for `ng` (`ng serve --port … --proxy-config … --headers …`). */
  args: string[];
  /** Stops the config.json server and removes the proxy configuration. */
  close(): Promise<void>;
}

export async function prepareDevServer(config: WorldConfig): Promise<DevServerSetup> {
  const appConfig = servedAppConfig(config);
  const configServer = await listen(
    createServer((req, res) => {
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/config.json') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : appConfig.body);
    }),
    0,
    '127.0.0.1',
  );
  const folder = await mkdtemp(join(tmpdir(), 'dpop-lab-serve-'));
  const proxyConfig = join(folder, 'proxy.json');
  await writeFile(proxyConfig, JSON.stringify({ '/config.json': { target: configServer.url } }));
  const headers = securityHeaders(appConfig.origins, INLINE_STYLES);
  return {
    args: [
      'serve',
      '--port',
      String(spaPortOf(config)),
      '--proxy-config',
      proxyConfig,
      ...Object.entries(headers).flatMap(([name, value]) => ['--headers', `${name}=${value}`]),
    ],
    async close() {
      await configServer.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

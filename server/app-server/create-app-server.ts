/**
 * Serves the production build of the app (`ng build` → dist/dpop-lab/browser): static files,
 * `index.html` for every route the Angular router owns, and the `config.json` of
 * served-app-config.ts, so the same build follows AS_PORT, API_PUBLIC_URL and friends (or
 * APP_CONFIG). The e2e run and `npm run serve:prod` use it; `npm start` uses `ng serve` with the
 * same config.json and headers (dev-server.ts).
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

import { spaPortOf, type WorldConfig } from '../config.ts';
import { listen } from '../listen.ts';
import { CSP_NONCE_PLACEHOLDER, securityHeaders, styleNonce } from './security-headers.ts';
import { servedAppConfig } from './served-app-config.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.ico': 'image/x-icon',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

export interface AppServerOptions {
  config: WorldConfig;
  /** The build's browser folder. */
  root?: string;
  /** What `/config.json` answers; default the lab app's (appConfigFor). */
  appConfig?: unknown;
  port?: number;
  host?: string;
}

export interface RunningAppServer {
  url: string;
  close(): Promise<void>;
}

/** The request's path, percent-decoded; undefined when it cannot be decoded. */
function decodedPath(url = '/'): string | undefined {
  try {
    return decodeURIComponent(new URL(url, 'http://x').pathname);
  } catch {
    return undefined;
  }
}

export async function startAppServer(options: AppServerOptions): Promise<RunningAppServer> {
  const { config, port = spaPortOf(config), host = 'localhost' } = options;
  const root = resolve(options.root ?? 'dist/dpop-lab/browser');
  const appConfig = servedAppConfig(config, options.appConfig);
  const headers = securityHeaders(appConfig.origins);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    const path = decodedPath(req.url);
    if (path === undefined) {
      // Not percent-encoded UTF-8 (`/%E0%A4%A`): the client's mistake, answered, not logged.
      res
        .writeHead(400, { ...headers, 'Content-Type': TYPES['.txt'] })
        .end('Bad request: the URL path is not valid percent-encoded UTF-8.\n');
      return;
    }
    if (path === '/config.json') {
      res.writeHead(200, {
        ...headers,
        'Content-Type': TYPES['.json'],
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : appConfig.body);
      return;
    }
    const file = normalize(join(root, path));
    // Never serve a file outside the build folder (`/../../etc/passwd`).
    const inside = file === root || file.startsWith(root + sep);
    const found = inside ? await stat(file).catch(() => null) : null;
    const target = found?.isFile() ? file : extname(path) ? null : join(root, 'index.html');
    if (!target) {
      res.writeHead(404, { ...headers, 'Content-Type': TYPES['.txt'] }).end('Not found\n');
      return;
    }
    if (target === join(root, 'index.html')) {
      // A fresh CSP nonce per page for the <style> elements Angular adds (ngCspNonce).
      const nonce = randomBytes(16).toString('base64');
      const html = (await readFile(target, 'utf8')).replaceAll(CSP_NONCE_PLACEHOLDER, nonce);
      res.writeHead(200, {
        ...securityHeaders(appConfig.origins, styleNonce(nonce)),
        'Content-Type': TYPES['.html'],
        'Cache-Control': 'no-cache',
      });
      res.end(req.method === 'HEAD' ? undefined : html);
      return;
    }
    const hashed = /-[A-Z0-9]{8}\.(js|css)$/.test(target);
    res.writeHead(200, {
      ...headers,
      'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream',
      // Hashed bundles never change; index.html must always be fresh.
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(target).pipe(res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('app server: request failed', error);
      if (!res.headersSent) res.writeHead(500, headers).end();
    });
  });
  const listening = await listen(server, port, host);
  return { url: `http://localhost:${listening.port}`, close: listening.close };
}

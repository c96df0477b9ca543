/**
 * A loopback server for the browser benchmarks: the bench page, its bundle, and a small JSON
 * endpoint (`/api/users`) that answers every request alike, so both interceptors meet the same
 * server. Same origin as the page: no CORS preflight in either variant.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';

import { listen } from '../../server/listen.ts';

const USERS = JSON.stringify([
  { id: 'alice', name: 'Alice Anders', email: 'alice@example.com' },
  { id: 'bob', name: 'Bob Brandt', email: 'bob@example.com' },
]);

export interface PageServer {
  url: string;
  /** Requests to /api/users so far, and how many of them carried a DPoP header. */
  readonly apiRequests: { total: number; withDpop: number };
  close(): Promise<void>;
}

export async function startPageServer(bundlePath: string): Promise<PageServer> {
  const bundle = await readFile(bundlePath);
  const apiRequests = { total: 0, withDpop: 0 };
  const server = createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(
        '<!doctype html><title>DPoP Lab bench</title><script type="module" src="/bench-page.js"></script>',
      );
    } else if (req.url === '/bench-page.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
      res.end(bundle);
    } else if (req.url?.startsWith('/api/')) {
      apiRequests.total += 1;
      if (req.headers['dpop']) apiRequests.withDpop += 1;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(USERS);
    } else {
      res.writeHead(404).end();
    }
  });
  const { url, close } = await listen(server, 0, '127.0.0.1');
  return { url, apiRequests, close };
}

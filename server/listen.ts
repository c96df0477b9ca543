/**
 * Starts an HTTP server listening and stops it again: the one place for what every server here
 * (authorization server, resource API, app server, test and bench servers) needs.
 *
 *   const listening = await listen(server, 0, '127.0.0.1');
 *   listening.port    // the port bound (a free one for 0)
 *   listening.url     // http://127.0.0.1:<port>
 *   await listening.close();
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ListeningServer {
  port: number;
  /** `http://<host>:<port>`, an IPv6 host in brackets. */
  url: string;
  /** Stops accepting connections, ends the open ones, and resolves once the server is closed. */
  close(): Promise<void>;
}

/** Rejects when the port cannot be bound (e.g. EADDRINUSE), instead of crashing the process. */
export function listen(server: Server, port: number, host: string): Promise<ListeningServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const bound = (server.address() as AddressInfo).port;
      resolve({
        port: bound,
        url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
        close: () =>
          new Promise<void>((closed, failed) => {
            server.close((error) => (error ? failed(error) : closed()));
            // Keep-alive connections (fetch keeps them open) would hold close() forever.
            server.closeAllConnections();
          }),
      });
    });
  });
}

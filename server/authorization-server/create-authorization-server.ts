/**
 * Starts the embedded authorization server: a node:http server whose requests go first to our
 * interaction routes (login page), then to oidc-provider.
 *
 *   const as = await startAuthorizationServer({ config: readConfig(), port: 0 });
 *   as.issuer   // 'http://localhost:54321' — also the base URL of every endpoint
 *   await as.close();
 *
 * The issuer is part of every token and every DPoP `htu` check, so it must name the port
 * actually listened on: with port 0 we listen first and build the Provider afterwards.
 *
 * Sessions, grants and tokens are kept in `<config.dataDir>/authorization-server-store.json`
 * (file-adapter.ts) beside the keys, so a restart on the same data folder keeps everyone
 * signed in. What a request changed for an account is on disk before its answer goes out (the
 * middleware below); `close()` writes what is still pending. What anyone can create there
 * (sign-in pages, proof records…) is bounded apart, and each account has its share
 * (store-entries.ts): a full pool or share is refused with 429/503, never made room for by
 * evicting another account's session.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import Provider from 'oidc-provider';

import type { WorldConfig } from '../config.ts';
import { listen, type ListeningServer } from '../listen.ts';
import { createDeviceCookies } from './device-cookies.ts';
import { createFileAdapter } from './file-adapter.ts';
import { interactionRoutes } from './interactions.ts';
import { loadOrCreateSecrets } from './keys.ts';
import { createLoginThrottle, type LoginThrottleOptions } from './login-throttle.ts';
import { providerConfiguration } from './provider-configuration.ts';
import { exposeDpopNonceAtRevocation } from './revocation-cors.ts';

export interface AuthorizationServerOptions {
  config: WorldConfig;
  /** Port to listen on; default `config.asPort`. 0 picks a free port (tests). */
  port?: number;
  /** Interface to listen on; default `localhost`. */
  host?: string;
  ttl?: {
    /** Access token lifetime in seconds; default `config.accessTokenTtl`, else 5 minutes. */
    accessToken?: number;
  };
  /** The login page's throttle of wrong passwords (tests: its clock). */
  loginThrottle?: LoginThrottleOptions;
}

export interface RunningAuthorizationServer {
  /** Base URL of the server, equal to the issuer. */
  url: string;
  /** The issuer identifier (`iss` of every token). */
  issuer: string;
  close(): Promise<void>;
}

/**
 * `config.issuer` when listening on `config.asPort` (so ISSUER can name a public URL);
 * otherwise `http://localhost:<port actually bound>`.
 */
function issuerFor(config: WorldConfig, requestedPort: number, boundPort: number): string {
  return requestedPort === config.asPort && requestedPort !== 0
    ? config.issuer
    : `http://localhost:${boundPort}`;
}

export async function startAuthorizationServer(
  options: AuthorizationServerOptions,
): Promise<RunningAuthorizationServer> {
  const { config, port = config.asPort, host = 'localhost' } = options;
  const secrets = await loadOrCreateSecrets(config.dataDir);
  const store = createFileAdapter(config.dataDir, {
    maxEntries: config.asStoreMaxEntries,
    maxShortLived: config.asStoreMaxShortLived,
    // Inside oidc-provider's requests: the client address that a new entry counts against,
    // and where a refusal's Retry-After goes.
    request: () => Provider.ctx,
  });

  type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  // Until the Provider exists (it needs the bound port), answer "try again in a second".
  let handle: Handler = async (_req, res) => {
    res.writeHead(503, { 'Retry-After': '1' }).end();
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('authorization server: request failed', error);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });

  let listening: ListeningServer;
  try {
    listening = await listen(server, port, host);
  } catch (error) {
    await store.close();
    throw error;
  }
  const issuer = issuerFor(config, port, listening.port);

  let provider: Provider;
  try {
    provider = new Provider(
      issuer,
      providerConfiguration({
        config,
        secrets,
        accessTokenTtl: options.ttl?.accessToken,
        adapter: store.Adapter,
      }),
    );
  } catch (error) {
    await listening.close();
    await store.close();
    throw error;
  }
  // Never trust X-Forwarded-* headers: the lab is reached directly, not through a proxy.
  provider.proxy = false;
  // Before the answer goes out, what the request changed for an account is on disk.
  provider.use(async (ctx, next) => {
    try {
      await next();
    } finally {
      await store.settle(ctx);
    }
  });
  exposeDpopNonceAtRevocation(provider);

  const interactions = interactionRoutes(provider, {
    throttle: createLoginThrottle(options.loginThrottle),
    devices: createDeviceCookies({
      cookieKey: secrets.cookieKeys[0]!,
      secure: new URL(issuer).protocol === 'https:',
      now: options.loginThrottle?.now,
    }),
  });
  const oidc = provider.callback();
  handle = async (req, res) => {
    if (!(await interactions(req, res))) await oidc(req, res);
  };

  return {
    url: issuer,
    issuer,
    close: async () => {
      try {
        await listening.close();
      } finally {
        // After the last request: what it changed is on disk before close() resolves.
        await store.close();
      }
    },
  };
}

/**
 * The resource API: plain node:http, two protected GET routes, DPoP + JWT access-token
 * verification by verifyDpopRequest, CORS for the single-page app.
 *
 * At start the API reads its issuer's discovery document (./trusted-issuer.ts): a document that
 * names another issuer stops it with both values; an unreachable one is tried again later.
 *
 * Request handling: unknown path → 404; OPTIONS → CORS preflight; any other method than GET →
 * 405; GET → the verification pipeline, then the JSON. With nonces on, every answer of a
 * protected route carries a fresh `DPoP-Nonce` (RFC 9449 §8.2 allows it on any response; doing
 * it always means the client never has to guess when the step rolled over).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import { apiBearerClientOf, browserOriginsOf, type WorldConfig } from '../config.ts';
import { listen, type ListeningServer } from '../listen.ts';
import { createAccessTokenSource, type AccessTokenSourceOptions } from './access-token-source.ts';
import { MAX_PROOF_LENGTH } from './checks/check-proof-size.ts';
import { DEFAULT_PROOF_WINDOW, type ProofWindow } from './checks/check-proof-age.ts';
import { answerPreflight, corsHeaders } from './cors.ts';
import {
  createDpopNonces,
  NONCE_SECRET_ENV,
  nonceSecretOrRandom,
  readNonceSecret,
  type DpopNonces,
} from './dpop-nonce.ts';
import { ResourceAccessError } from './errors.ts';
import { expectedHtu, requestPath } from './http-uri.ts';
import { ProofHeaderCache } from './proof-header-cache.ts';
import type { ReplayCache } from './replay-cache.ts';
import {
  openReplayStore,
  parseReplayStore,
  REPLAY_STORE_ENV,
  type ReplayStore,
} from './replay-store.ts';
import { sendAccessError, sendJson, sendJsonText } from './responses.ts';
import { ALLOWED_METHODS, PROTECTED_ROUTES } from './routes.ts';
import { verifyDpopRequest, type VerificationContext } from './verify-dpop-request.ts';

/** Node refuses a larger header block with 431 before our code runs (also Node's default). */
export const MAX_HEADER_SIZE = 16 * 1024;

export interface ResourceApiOptions extends AccessTokenSourceOptions {
  config: WorldConfig;
  /** Default `config.apiPort`; 0 picks a free port. */
  port?: number;
  /** Default `localhost`. */
  host?: string;
  /** Default: the store `config.apiReplayStore` names (API_REPLAY_STORE), else in memory. */
  replayCache?: ReplayCache;
  /** Clock in milliseconds, for tests. */
  now?: () => number;
  /** 32-byte nonce secret; default API_NONCE_SECRET, else random at start. */
  nonceSecret?: Uint8Array;
  /** How old, and how far ahead, a proof's `iat` may be (default 300 s old, 15 s ahead). */
  proofWindow?: ProofWindow;
  /** Where the replay store and the issuer's troubles are reported (default console.error). */
  log?: (message: string) => void;
  /** How long start-up waits for a shared replay store to answer before listening anyway (default 2 000 ms). */
  replayStoreWaitMs?: number;
  /** Proof headers already checked (default: a cache of 10,000). */
  proofHeaderCache?: ProofHeaderCache;
}

export interface RunningResourceApi {
  url: string;
  /** Where used proofs are recorded: `in memory (this instance only)`, `redis://host:port (shared), connected`, `given`. */
  replayStore: string;
  close(): Promise<void>;
}

export async function startResourceApi(options: ResourceApiOptions): Promise<RunningResourceApi> {
  const { config, host = 'localhost' } = options;
  const now = options.now ?? Date.now;
  const storeSetting = options.replayCache ? undefined : parseReplayStore(config.apiReplayStore);
  if (
    config.apiRequireNonce &&
    storeSetting?.kind === 'redis' &&
    !options.nonceSecret &&
    !readNonceSecret()
  ) {
    throw new Error(
      `${REPLAY_STORE_ENV} is a shared Redis, so several API instances may run, but ` +
        `${NONCE_SECRET_ENV} is unset: each instance would make up its own nonce secret and ` +
        `refuse the nonces of the others. Give every instance the same ${NONCE_SECRET_ENV} ` +
        `(node -e "console.log(crypto.randomBytes(32).toString('base64url'))"), ` +
        `or turn the API's nonces off with API_DPOP_NONCE=off.`,
    );
  }
  const nonces: DpopNonces | undefined = config.apiRequireNonce
    ? createDpopNonces({ secret: options.nonceSecret ?? nonceSecretOrRandom(), now })
    : undefined;
  const log = options.log ?? ((message: string) => console.error(`resource API: ${message}`));
  const store: ReplayStore = options.replayCache
    ? {
        cache: options.replayCache,
        shared: false,
        description: 'given',
        waitUntilReady: async () => true,
        close: async () => undefined,
      }
    : openReplayStore(storeSetting ?? { kind: 'memory' }, {
        now,
        log,
        capacity: config.apiReplayCapacity,
      });
  const tokens = createAccessTokenSource(config, options, log);
  const baseContext: Omit<VerificationContext, 'requiredScope' | 'htu'> = {
    config,
    tokens,
    proofHeaders: options.proofHeaderCache ?? new ProofHeaderCache(),
    replayCache: store.cache,
    nonces,
    bearerClientId: apiBearerClientOf(config),
    proofWindow: options.proofWindow ?? DEFAULT_PROOF_WINDOW,
    maxProofLength: MAX_PROOF_LENGTH,
    now,
  };
  // Each route's verification context (its scope and expected `htu`) and its JSON, worked out
  // once rather than on every request: the demo data does not change.
  const routes = new Map(
    [...PROTECTED_ROUTES].map(([path, route]) => [
      path,
      {
        context: {
          ...baseContext,
          requiredScope: route.scope,
          htu: expectedHtu(config.apiPublicUrl, path),
        },
        json: JSON.stringify(route.body()),
      },
    ]),
  );

  const corsOrigins = browserOriginsOf(config);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const headers = corsHeaders(req.headers.origin, corsOrigins);
    // The usual target is a route's path exactly; anything else is normalised first.
    const route = routes.get(req.url ?? '') ?? routes.get(requestPath(req.url));
    if (!route) {
      sendJson(
        res,
        404,
        {
          error: 'not_found',
          error_description: 'No such resource: this API serves GET /api/users and GET /api/apps.',
        },
        headers,
      );
      return;
    }
    if (req.method === 'OPTIONS') {
      answerPreflight(res, req.headers.origin, corsOrigins);
      return;
    }
    if (req.method !== 'GET') {
      headers['Allow'] = ALLOWED_METHODS.join(', ');
      sendJson(
        res,
        405,
        {
          error: 'method_not_allowed',
          error_description: `This resource answers GET only, not ${String(req.method)}.`,
        },
        headers,
      );
      return;
    }

    if (nonces) headers['DPoP-Nonce'] = nonces.issue();
    try {
      await verifyDpopRequest(req, route.context);
    } catch (failure) {
      if (failure instanceof ResourceAccessError) {
        sendAccessError(res, failure, headers);
        return;
      }
      throw failure;
    }
    sendJsonText(res, 200, route.json, headers);
  }

  const server = createServer(
    { maxHeaderSize: MAX_HEADER_SIZE, requestTimeout: 30_000, headersTimeout: 10_000 },
    (req, res) => {
      handle(req, res).catch((error: unknown) => {
        console.error('resource API: unexpected error', error);
        if (!res.headersSent)
          sendJson(res, 500, {
            error: 'server_error',
            error_description: 'The API failed unexpectedly: try again later.',
          });
        else res.destroy();
      });
    },
  );

  let replayStore = store.description;
  let listening: ListeningServer;
  try {
    await tokens.issuer.start();
    // A shared store usually answers within milliseconds; if it does not, the API starts anyway
    // and answers 503 until it does (so the instances and Redis may start in any order).
    if (store.shared) {
      replayStore += (await store.waitUntilReady(options.replayStoreWaitMs ?? 2_000))
        ? ', connected'
        : ', NOT reachable yet: DPoP requests get 503 until it is';
    }
    listening = await listen(server, options.port ?? config.apiPort, host);
  } catch (error) {
    await store.close();
    throw error;
  }

  return {
    url: listening.url,
    replayStore,
    async close() {
      try {
        await listening.close();
      } finally {
        await store.close();
      }
    },
  };
}

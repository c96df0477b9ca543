/**
 * Test fixture: a running resource API (port 0, loopback) trusting a running TestIssuer, plus a
 * client key and helpers that build a fully valid request, which a test then bends one way.
 *
 * The API's public URL is `http://api.dpop-lab.test`, a name that resolves nowhere: the tests
 * connect to 127.0.0.1:<port>, so the Host header never equals the public URL and any `htu`
 * built from Host would fail. The clock is adjustable (`clock.offsetMs`).
 *
 *   const h = harnessForSuite();            // in a describe: started before its tests, closed after
 *   await h.send({ headers: await h.validHeaders({ proof: { claims: { jti: undefined } } }) });
 */
import { randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import { type ProofFaults, type ProofKey, type ProofRequest, signProof } from '@dpop-lab/protocol';

import { readConfig, type ApiTokenShape, type WorldConfig } from '../../config.ts';
import { exportableProofKey } from '../../testing/exportable-proof-key.ts';
import { suiteFixture } from '../../testing/suite-fixture.ts';
import {
  startResourceApi,
  type ResourceApiOptions,
  type RunningResourceApi,
} from '../create-resource-api.ts';
import { createDpopNonces } from '../dpop-nonce.ts';
import type { ReplayCache } from '../replay-cache.ts';
import { send, type TestHeaders, type TestRequest, type TestResponse } from './http-client.ts';
import {
  startTestIssuer,
  type MintOptions,
  type TestIssuer,
  type TestIssuerOptions,
} from './test-issuer.ts';

export const PUBLIC_URL = 'http://api.dpop-lab.test';
export const SPA_ORIGIN = 'http://spa.dpop-lab.test';

export interface HarnessOptions {
  nonces?: boolean;
  replayCache?: ReplayCache;
  /** Let the API discover the JWKS instead of being told its URL. */
  discoverJwks?: boolean;
  /** Point the API at this issuer URL instead of the test issuer (e.g. an unreachable one). */
  issuerOverride?: string;
  /**
   * The test issuer plays another provider (API_ISSUER) and the embedded server's issuer (ISSUER)
   * is this URL instead; default: the test issuer is the embedded one.
   */
  embeddedIssuer?: string;
  /** API_BEARER (default unset: on for the embedded issuer only). */
  bearer?: boolean;
  /** The access-token shapes the API admits (API_TOKEN_SHAPES; default rfc9068). */
  shapes?: ApiTokenShape[];
  /** How the test issuer looks: its path (a provider's issuer form), introspection endpoint… */
  issuer?: Omit<TestIssuerOptions, 'audience'>;
  /** Further options for the API (caches, timeouts). */
  api?: Partial<ResourceApiOptions>;
}

/**
 * Changes to a valid proof for GET PUBLIC_URL + `path` (default /api/users), which carries a
 * current nonce when nonces are on: other request values (`nonce: undefined` leaves it out), or
 * faults (ProofFaults).
 */
export type ProofChanges = Partial<ProofRequest> &
  ProofFaults & {
    path?: string;
    /** Sign with this key (its jwk in the header) instead of the harness key. */
    key?: ProofKey;
  };

export interface ValidRequestOptions {
  path?: string;
  method?: string;
  proof?: ProofChanges;
  /** Changes to the access token (see MintOptions). */
  token?: Partial<MintOptions>;
  /** Use this access token as is. */
  accessToken?: string;
  /** Leave the nonce out of the proof. */
  withoutNonce?: boolean;
  scheme?: string;
}

export interface Harness {
  api: RunningResourceApi;
  issuer: TestIssuer;
  config: WorldConfig;
  key: ProofKey;
  /** `key`'s private half as a JWK: for tests that put it where it must never be. */
  privateJwk: JWK;
  nonceSecret: Uint8Array;
  clock: { offsetMs: number; now(): number };
  /** A nonce the API would issue now. */
  nonce(): string;
  token(options?: Partial<MintOptions>): Promise<string>;
  proof(accessToken: string, changes?: ProofChanges): Promise<string>;
  /** Headers of a request that passes every check (nonce included when nonces are on). */
  validHeaders(options?: ValidRequestOptions): Promise<TestHeaders>;
  send(request?: TestRequest): Promise<TestResponse>;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const nonces = options.nonces ?? true;
  const clock = {
    offsetMs: 0,
    now() {
      return Date.now() + this.offsetMs;
    },
  };
  const now = () => clock.now();
  const defaults = readConfig({});
  const issuer = await startTestIssuer({ audience: `${PUBLIC_URL}/api`, ...options.issuer });
  const config: WorldConfig = {
    ...defaults,
    issuer: options.embeddedIssuer ?? options.issuerOverride ?? issuer.issuer,
    ...(options.embeddedIssuer ? { apiIssuer: options.issuerOverride ?? issuer.issuer } : {}),
    ...(options.bearer === undefined ? {} : { apiBearer: options.bearer }),
    apiPublicUrl: PUBLIC_URL,
    apiResource: `${PUBLIC_URL}/api`,
    spaOrigin: SPA_ORIGIN,
    apiRequireNonce: nonces,
    ...(options.shapes ? { apiTokenShapes: options.shapes } : {}),
  };
  const nonceSecret = new Uint8Array(randomBytes(32));
  let api: RunningResourceApi;
  try {
    api = await startResourceApi({
      config,
      port: 0,
      host: '127.0.0.1',
      now,
      nonceSecret,
      ...(options.discoverJwks ? {} : { jwksUrl: issuer.jwksUrl }),
      ...(options.replayCache ? { replayCache: options.replayCache } : {}),
      ...options.api,
    });
  } catch (error) {
    await issuer.close();
    throw error;
  }
  // Extractable, so a test can put the private key where it must never be: in the proof header.
  const { key, privateJwk } = await exportableProofKey();
  const issueNonce = () => createDpopNonces({ secret: nonceSecret, now }).issue();

  const token = (changes: Partial<MintOptions> = {}) =>
    issuer.mintAccessToken({ jkt: key.thumbprint, now: now(), ...changes });
  const proof = (accessToken: string, changes: ProofChanges = {}) => {
    const { path = '/api/users', header, claims, signWith, key: signer, ...request } = changes;
    return signProof(
      signer ?? key,
      {
        htm: 'GET',
        htu: `${PUBLIC_URL}${path}`,
        iat: Math.floor(now() / 1000),
        nonce: nonces ? issueNonce() : undefined,
        ...request,
        accessToken,
      },
      { header, claims, signWith },
    );
  };

  return {
    api,
    issuer,
    config,
    key,
    privateJwk,
    nonceSecret,
    clock,
    nonce: issueNonce,
    token,
    proof,
    async validHeaders(request = {}) {
      const path = request.path ?? '/api/users';
      const accessToken = request.accessToken ?? (await token(request.token));
      const dpop = await proof(accessToken, {
        path: path.split('?')[0]!,
        htm: request.method ?? 'GET',
        ...(request.withoutNonce ? { nonce: undefined } : {}),
        ...request.proof,
      });
      return { authorization: `${request.scheme ?? 'DPoP'} ${accessToken}`, dpop };
    },
    send: (request) => send(api.url, request),
    async close() {
      await api.close();
      await issuer.close();
    },
  };
}

/** The harness for the tests of one `describe`. */
export function harnessForSuite(options: HarnessOptions = {}): Harness {
  return suiteFixture(() => startHarness(options));
}

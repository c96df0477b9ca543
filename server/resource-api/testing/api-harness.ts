/**
 * Test fixture: a running resource API (port 0, loopback) trusting a running TestIssuer, plus a
 * client key and helpers that build a fully valid request, which a test then bends one way.
 *
 * The API's public URL is `http://api.dpop-lab.test`, a name that resolves nowhere: the tests
 * connect to 127.0.0.1:<port>, so the Host header never equals the public URL and any `htu`
 * built from Host would fail. The clock is adjustable (`clock.offsetMs`).
 */
import { randomBytes } from 'node:crypto';

import { readConfig, type WorldConfig } from '../../config.ts';
import { startResourceApi, type RunningResourceApi } from '../create-resource-api.ts';
import { createDpopNonces } from '../dpop-nonce.ts';
import type { ReplayCache } from '../replay-cache.ts';
import { send, type TestHeaders, type TestRequest, type TestResponse } from './http-client.ts';
import { createProofKey, signProof, type ProofKey, type ProofOptions } from './proof-builder.ts';
import { startTestIssuer, type MintOptions, type TestIssuer } from './test-issuer.ts';

export const PUBLIC_URL = 'http://api.dpop-lab.test';
export const SPA_ORIGIN = 'http://spa.dpop-lab.test';

export interface HarnessOptions {
  nonces?: boolean;
  replayCache?: ReplayCache;
  /** Let the API discover the JWKS instead of being told its URL. */
  discoverJwks?: boolean;
  /** Point the API at this issuer URL instead of the test issuer (e.g. an unreachable one). */
  issuerOverride?: string;
}

export interface ValidRequestOptions {
  path?: string;
  method?: string;
  /** Changes to the proof (see ProofOptions); htu defaults to PUBLIC_URL + path. */
  proof?: Partial<ProofOptions>;
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
  nonceSecret: Uint8Array;
  clock: { offsetMs: number; now(): number };
  /** A nonce the API would issue now. */
  nonce(): string;
  token(options?: Partial<MintOptions>): Promise<string>;
  proof(accessToken: string, options?: Partial<ProofOptions> & { path?: string }): Promise<string>;
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
  const issuer = await startTestIssuer({ audience: `${PUBLIC_URL}/api` });
  const config: WorldConfig = {
    ...defaults,
    issuer: options.issuerOverride ?? issuer.issuer,
    apiPublicUrl: PUBLIC_URL,
    apiResource: `${PUBLIC_URL}/api`,
    spaOrigin: SPA_ORIGIN,
    apiRequireNonce: nonces,
  };
  const nonceSecret = new Uint8Array(randomBytes(32));
  const api = await startResourceApi({
    config,
    port: 0,
    host: '127.0.0.1',
    now,
    nonceSecret,
    ...(options.discoverJwks ? {} : { jwksUrl: issuer.jwksUrl }),
    ...(options.replayCache ? { replayCache: options.replayCache } : {}),
  });
  const key = await createProofKey();
  const issueNonce = () => createDpopNonces({ secret: nonceSecret, now }).issue();

  const token = (changes: Partial<MintOptions> = {}) =>
    issuer.mintAccessToken({ jkt: key.jkt, now: now(), ...changes });
  const proof = (accessToken: string, changes: Partial<ProofOptions> & { path?: string } = {}) =>
    signProof(key, {
      htu: `${PUBLIC_URL}${changes.path ?? '/api/users'}`,
      iat: Math.floor(now() / 1000),
      ...(nonces ? { nonce: issueNonce() } : {}),
      ...changes,
      accessToken,
    });

  return {
    api,
    issuer,
    config,
    key,
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

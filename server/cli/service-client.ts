/**
 * The machine-to-machine walkthrough behind `npm run service`: the confidential service client
 * gets a DPoP-bound access token with `grant_type=client_credentials` (RFC 6749 §4.4, RFC 9449
 * §5) — answering the token endpoint's nonce challenge (§8) — and calls `GET /api/apps`,
 * answering the API's own nonce challenge (§9). Every request and response is kept as a step, so
 * the command can print them and tests can check them.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';

import { DpopClient, type ProofKey } from '@dpop-lab/protocol';

import { SERVICE_CLIENT } from '../config.ts';

export interface ServiceOptions {
  issuer: string;
  /** The API's public URL (API_PUBLIC_URL), e.g. http://localhost:3001. */
  api: string;
  /** The API's resource indicator (RFC 8707), e.g. http://localhost:3001/api. */
  resource: string;
  key: ProofKey;
  clientId?: string;
  clientSecret?: string;
  /** Receives each step as soon as it is done (the command prints it). */
  onStep?: (step: ServiceStep) => void;
}

export interface ServiceStep {
  title: string;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  /** The decoded DPoP proof sent, if any (decoded, not verified). */
  proof?: { header: unknown; claims: unknown };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

export interface ServiceResult {
  steps: ServiceStep[];
  /** The decoded access token's claims. */
  accessTokenClaims?: Record<string, unknown>;
  /** The `/api/apps` body, when the call succeeded. */
  apps?: unknown;
  ok: boolean;
}

/** The response headers worth showing in a DPoP walkthrough. */
const SHOWN_HEADERS = ['dpop-nonce', 'www-authenticate', 'cache-control', 'content-type'];

export async function runService(options: ServiceOptions): Promise<ServiceResult> {
  const clientId = options.clientId ?? SERVICE_CLIENT.id;
  const clientSecret = options.clientSecret ?? SERVICE_CLIENT.secret;
  const steps: ServiceStep[] = [];
  const result: ServiceResult = { steps, ok: false };

  /**
   * fetch, keeping each request and response as a step titled by `titleOf` (which is told
   * whether the proof carried a nonce). The protocol's DpopClient sends through it, so the
   * walkthrough shows exactly what went over the wire, retries included.
   */
  const recording =
    (titleOf: (withNonce: boolean) => string): typeof fetch =>
    async (input, init = {}) => {
      const headers = Object.fromEntries(new Headers(init.headers).entries());
      const response = await fetch(input, init);
      const text = await response.clone().text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Not JSON: keep the text.
      }
      const shown: Record<string, string> = {};
      for (const name of SHOWN_HEADERS) {
        const value = response.headers.get(name);
        if (value !== null) shown[name] = value;
      }
      const proof = headers['dpop'];
      const claims = proof ? decodeJwt(proof) : undefined;
      const body = typeof init.body === 'string' ? init.body : init.body?.toString();
      const step: ServiceStep = {
        title: titleOf(claims?.['nonce'] !== undefined),
        request: {
          method: init.method ?? 'GET',
          url: String(input),
          headers,
          ...(body === undefined ? {} : { body }),
        },
        ...(proof ? { proof: { header: decodeProtectedHeader(proof), claims } } : {}),
        response: { status: response.status, headers: shown, body: parsed },
      };
      steps.push(step);
      options.onStep?.(step);
      return response;
    };

  // 1. Discovery: where the token endpoint is.
  const discovery = await recording(() => 'Discovery: find the token endpoint')(
    `${options.issuer}/.well-known/openid-configuration`,
    { headers: { Accept: 'application/json' } },
  );
  const metadata = (await discovery.json().catch(() => ({}))) as Record<string, unknown>;
  if (discovery.status !== 200 || metadata['issuer'] !== options.issuer) return result;
  const tokenEndpoint = String(metadata['token_endpoint']);

  // 2-3. The token request; the first proof has no nonce, so the server answers with one.
  const basic = Buffer.from(
    `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
  ).toString('base64');
  const token = await new DpopClient(options.key, {
    fetch: recording((withNonce) =>
      withNonce
        ? 'Token request again, proof with the server nonce'
        : 'Token request (client credentials), proof without a nonce',
    ),
  }).fetch(tokenEndpoint, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${basic}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      scope: SERVICE_CLIENT.scope,
      resource: options.resource,
    }).toString(),
  });
  const tokenBody = (await token.response.json().catch(() => ({}))) as Record<string, unknown>;
  const accessToken = tokenBody['access_token'];
  if (token.response.status !== 200 || typeof accessToken !== 'string') return result;
  result.accessTokenClaims = decodeJwt(accessToken) as Record<string, unknown>;

  // 4-5. The API call with the DPoP-bound token; the API wants its own nonce.
  const apps = await new DpopClient(options.key, {
    fetch: recording((withNonce) =>
      withNonce
        ? 'GET /api/apps again, proof with the API nonce'
        : 'GET /api/apps, proof without the API nonce',
    ),
  }).fetch(`${options.api}/api/apps`, { accessToken, headers: { Accept: 'application/json' } });
  if (apps.response.status === 200) {
    result.apps = await apps.response.json();
    result.ok = true;
  }
  return result;
}

/**
 * The machine-to-machine walkthrough behind `npm run service`: the confidential service client
 * gets a DPoP-bound access token with `grant_type=client_credentials` (RFC 6749 §4.4, RFC 9449
 * §5) — answering the token endpoint's nonce challenge (§8) — and calls `GET /api/apps`,
 * answering the API's own nonce challenge (§9). Every request and response is kept as a step, so
 * the command can print them and tests can check them.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';

import { SERVICE_CLIENT } from '../config.ts';
import { nonceChallengeOf } from '../dpop-proof/nonce-challenge.ts';
import type { ProofKey } from '../dpop-proof/proof-key.ts';
import { signProof } from '../dpop-proof/sign-proof.ts';

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

  const send = async (
    title: string,
    method: string,
    url: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<ServiceStep['response']> => {
    const response = await fetch(url, { method, headers, body });
    const text = await response.text();
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
    const step: ServiceStep = {
      title,
      request: { method, url, headers, ...(body === undefined ? {} : { body }) },
      response: { status: response.status, headers: shown, body: parsed },
    };
    if (headers['DPoP']) {
      step.proof = {
        header: decodeProtectedHeader(headers['DPoP']),
        claims: decodeJwt(headers['DPoP']),
      };
    }
    steps.push(step);
    options.onStep?.(step);
    return step.response;
  };

  // 1. Discovery: where the token endpoint is.
  const discovery = await send(
    'Discovery: find the token endpoint',
    'GET',
    `${options.issuer}/.well-known/openid-configuration`,
    { Accept: 'application/json' },
  );
  const metadata = discovery.body as Record<string, unknown>;
  if (discovery.status !== 200 || metadata['issuer'] !== options.issuer) return result;
  const tokenEndpoint = String(metadata['token_endpoint']);

  // 2-3. The token request; the first proof has no nonce, so the server answers with one.
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    scope: SERVICE_CLIENT.scope,
    resource: options.resource,
  }).toString();
  const basic = Buffer.from(
    `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`,
  ).toString('base64');
  const tokenRequest = async (title: string, nonce?: string) =>
    send(
      title,
      'POST',
      tokenEndpoint,
      {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
        DPoP: await signProof(options.key, { htm: 'POST', htu: tokenEndpoint, nonce }),
      },
      form,
    );
  let token = await tokenRequest('Token request (client credentials), proof without a nonce');
  const tokenNonce = challengeNonce(token);
  if (tokenNonce) {
    token = await tokenRequest('Token request again, proof with the server nonce', tokenNonce);
  }
  const tokenBody = token.body as Record<string, unknown>;
  if (token.status !== 200 || typeof tokenBody['access_token'] !== 'string') return result;
  const accessToken = tokenBody['access_token'];
  result.accessTokenClaims = decodeJwt(accessToken) as Record<string, unknown>;

  // 4-5. The API call with the DPoP-bound token; the API wants its own nonce.
  const appsUrl = `${options.api}/api/apps`;
  const apiRequest = async (title: string, nonce?: string) =>
    send(title, 'GET', appsUrl, {
      Authorization: `DPoP ${accessToken}`,
      Accept: 'application/json',
      DPoP: await signProof(options.key, { htm: 'GET', htu: appsUrl, accessToken, nonce }),
    });
  let apps = await apiRequest('GET /api/apps, proof without the API nonce');
  const apiNonce = challengeNonce(apps);
  if (apiNonce) apps = await apiRequest('GET /api/apps again, proof with the API nonce', apiNonce);
  if (apps.status === 200) {
    result.apps = apps.body;
    result.ok = true;
  }
  return result;
}

/** The nonce to retry with when `response` is a `use_dpop_nonce` challenge. */
function challengeNonce({ status, headers, body }: ServiceStep['response']): string | undefined {
  const [nonce, wwwAuthenticate] = [headers['dpop-nonce'], headers['www-authenticate']];
  return nonceChallengeOf({ status, nonce, wwwAuthenticate, body });
}

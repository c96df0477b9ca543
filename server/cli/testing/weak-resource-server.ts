/**
 * Test fixture: a deliberately weak DPoP resource server, for the tests of `npm run conformance`.
 * It checks the access token and the proof as RFC 9449 §4.3 and §7 ask — one proof, typ, an
 * asymmetric alg, the signature with a public jwk, jti, htm, htu, iat, ath, cnf.jkt — with
 * jose, except for three faults that real servers have had:
 *
 * - it accepts a replayed proof: it keeps no jti cache (§11.1);
 * - it compares htm without regard to case, so a proof for `get` passes for GET (§4.3 (8));
 * - it issues no nonces (§9): that is allowed, so the nonce checks do not apply.
 *
 *   const weak = await startWeakResourceServer({ issuer, audience });
 *   weak.url      // http://127.0.0.1:<port>; it serves GET /api/apps
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import {
  calculateJwkThumbprint,
  createRemoteJWKSet,
  EmbeddedJWK,
  jwtVerify,
  type JWK,
  type JWTPayload,
} from 'jose';

import { athOf, htuOf } from '@dpop-lab/protocol';
import { listen, type ListeningServer } from '../../listen.ts';

export const WEAK_SERVER_PATH = '/api/apps';
const IAT_WINDOW_SECONDS = 60;

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
  ) {
    super(error);
  }
}

const invalidProof = () => new Refusal(401, 'invalid_dpop_proof');

function claimsOf(payload: JWTPayload) {
  const { jti, htm, htu, iat, ath } = payload as Record<string, unknown>;
  if (typeof jti !== 'string' || typeof htm !== 'string' || typeof htu !== 'string') {
    throw invalidProof();
  }
  if (typeof iat !== 'number' || typeof ath !== 'string') throw invalidProof();
  return { htm, htu, iat, ath };
}

export async function startWeakResourceServer(options: {
  issuer: string;
  audience: string;
}): Promise<ListeningServer> {
  const discovery = (await (
    await fetch(`${options.issuer}/.well-known/openid-configuration`)
  ).json()) as { jwks_uri: string };
  const issuerKeys = createRemoteJWKSet(new URL(discovery.jwks_uri));
  let url = '';

  async function verify(req: IncomingMessage): Promise<void> {
    const [scheme, token] = (req.headers.authorization ?? '').split(' ');
    if (!scheme) throw new Refusal(401, '');
    if (scheme.toLowerCase() !== 'dpop' || !token) throw new Refusal(401, 'invalid_token');
    const proofs = req.headersDistinct['dpop'] ?? [];
    if (proofs.length !== 1 || proofs[0]!.includes(',')) {
      throw new Refusal(400, 'invalid_request');
    }
    const proof = await jwtVerify(proofs[0]!, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: ['ES256', 'ES384', 'EdDSA', 'PS256', 'RS256'],
    }).catch(() => {
      throw invalidProof();
    });
    const { htm, htu, iat, ath } = claimsOf(proof.payload);
    if (htm.toUpperCase() !== req.method) throw invalidProof(); // the fault: `get` passes
    if (htu.includes('?') || htuOf(htu) !== `${url}${WEAK_SERVER_PATH}`) throw invalidProof();
    if (Math.abs(iat - Date.now() / 1000) > IAT_WINDOW_SECONDS) throw invalidProof();
    if (ath !== (await athOf(token))) throw invalidProof();
    const access = await jwtVerify(token, issuerKeys, {
      issuer: options.issuer,
      audience: options.audience,
      typ: 'at+jwt',
    }).catch(() => {
      throw new Refusal(401, 'invalid_token');
    });
    const bound = (access.payload['cnf'] as { jkt?: unknown } | undefined)?.jkt;
    if (bound !== (await calculateJwkThumbprint(proof.protectedHeader.jwk as JWK))) {
      throw new Refusal(401, 'invalid_token');
    }
    // The fault: no jti cache, so the same proof passes again. And no nonce, ever.
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.url?.split('?')[0] !== WEAK_SERVER_PATH || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    try {
      await verify(req);
    } catch (failure) {
      if (!(failure instanceof Refusal)) throw failure;
      const error = failure.error ? `error="${failure.error}", ` : '';
      res.writeHead(failure.status, { 'WWW-Authenticate': `DPoP ${error}algs="ES256"` }).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('[{"id":"weak"}]');
  }

  const listening = await listen(
    createServer((req, res) => {
      handle(req, res).catch(() => res.writeHead(500).end());
    }),
    0,
    '127.0.0.1',
  );
  url = listening.url;
  return listening;
}

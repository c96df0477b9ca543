/**
 * Test fixture: a tiny stand-in for the authorization server's key publishing, so the API can be
 * tested without oidc-provider. It serves a discovery document and a JWKS on loopback (port 0)
 * from a jose-generated ES256 key, and mints RFC 9068 access tokens with jose SignJWT.
 *
 * It also holds an "attacker" key that is NOT in the JWKS, to forge tokens. The attacker's tokens
 * reuse the issuer's `kid`, as a forger would, so the API finds the issuer's key and the
 * signature check (not a missing kid) is what refuses them.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
} from 'jose';

import { listen } from '../../listen.ts';

export interface MintOptions {
  /** `cnf.jkt`; `null` for an unbound token. */
  jkt: string | null;
  scope?: string;
  audience?: string | string[];
  issuer?: string;
  /** Header `typ` (default `at+jwt`). */
  typ?: string;
  subject?: string;
  clientId?: string;
  /** Seconds from `now` (default 300); negative for an expired token. */
  expiresIn?: number;
  /** Sign with the attacker's key instead of the issuer's. */
  forged?: boolean;
  /** Milliseconds; default Date.now(). */
  now?: number;
}

export interface TestIssuer {
  issuer: string;
  jwksUrl: string;
  /** How many times the JWKS was fetched. */
  readonly jwksFetches: number;
  mintAccessToken(options: MintOptions): Promise<string>;
  close(): Promise<void>;
}

export interface TestIssuerOptions {
  /** The API's resource indicator, the default `aud`. */
  audience: string;
  /** Where the discovery document points `jwks_uri` (default `/keys`, not the `/jwks` fallback, so discovery is proven). */
  jwksPath?: string;
}

export async function startTestIssuer({
  audience,
  jwksPath = '/keys',
}: TestIssuerOptions): Promise<TestIssuer> {
  const signing = await generateKeyPair('ES256', { extractable: true });
  const attacker = await generateKeyPair('ES256');
  const publicJwk: JWK = await exportJWK(signing.publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const jwks = { keys: [{ ...publicJwk, kid, alg: 'ES256', use: 'sig' }] };

  let issuer = '';
  let jwksFetches = 0;
  const server = createServer((req, res) => {
    const send = (body: unknown) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openid-configuration')
      return send({ issuer, jwks_uri: `${issuer}${jwksPath}` });
    if (req.url === jwksPath) {
      jwksFetches += 1;
      return send(jwks);
    }
    res.writeHead(404).end();
  });
  const listening = await listen(server, 0, '127.0.0.1');
  issuer = listening.url;

  return {
    issuer,
    jwksUrl: `${issuer}${jwksPath}`,
    get jwksFetches() {
      return jwksFetches;
    },
    async mintAccessToken(options) {
      const now = Math.floor((options.now ?? Date.now()) / 1000);
      const key: CryptoKey = options.forged ? attacker.privateKey : signing.privateKey;
      const claims: Record<string, unknown> = {
        scope: options.scope ?? 'openid users:read apps:read',
        client_id: options.clientId ?? 'dpop-lab-spa',
      };
      if (options.jkt !== null) claims['cnf'] = { jkt: options.jkt };
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', typ: options.typ ?? 'at+jwt', kid })
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? audience)
        .setSubject(options.subject ?? 'alice')
        .setJti(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + (options.expiresIn ?? 300))
        .sign(key);
    },
    close: listening.close,
  };
}

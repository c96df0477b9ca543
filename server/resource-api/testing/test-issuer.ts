/**
 * Test fixture: a tiny stand-in for the authorization server's key publishing, so the API can be
 * tested without oidc-provider. It serves a discovery document and a JWKS on loopback (port 0)
 * from a jose-generated ES256 key, and mints access tokens with jose SignJWT: RFC 9068 ones, or
 * shaped as Okta, Keycloak or Auth0 issue theirs (`shape`), from an issuer URL of that
 * provider's form (`issuerPath`: Okta `/oauth2/default`, Keycloak `/realms/NAME`, Auth0 `/`).
 *
 * | shape    | header typ | scopes          | client | aud                      | other             |
 * | -------- | ---------- | --------------- | ------ | ------------------------ | ----------------- |
 * | rfc9068  | at+jwt     | scope           | client_id | the API               |                   |
 * | okta     | (none)     | scp (an array)  | cid    | the API                  | uid, ver          |
 * | keycloak | JWT        | scope           | azp    | the API (audience mapper)| typ: Bearer, sid  |
 * | auth0    | JWT        | scope           | azp    | [the API, <issuer>userinfo] | gty?           |
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
  /** How the provider lays the token out (default rfc9068); see the table above. */
  shape?: 'rfc9068' | 'okta' | 'keycloak' | 'auth0';
  /** Header `typ` (default the shape's); `null` leaves it out. */
  typ?: string | null;
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
  /** Replaces the signing key: the JWKS then lists only the new one (a key rotation). */
  rotateKey(): Promise<void>;
  /** How many times the JWKS was fetched. */
  readonly jwksFetches: number;
  mintAccessToken(options: MintOptions): Promise<string>;
  close(): Promise<void>;
}

export interface TestIssuerOptions {
  /** The API's resource indicator, the default `aud`. */
  audience: string;
  /** Where the discovery document points `jwks_uri`, under the issuer's path (default `/keys`, not the `/jwks` fallback, so discovery is proven). */
  jwksPath?: string;
  /** The issuer's path after the origin, as written (default none; Auth0's issuer is `/`). */
  issuerPath?: string;
  /** The `issuer` the discovery document names (default the issuer itself). */
  documentIssuer?: string;
  /**
   * Also serve an RFC 7662 introspection endpoint with this answer for a token, sent when the
   * promise resolves; `'hang up'` closes the connection without an answer.
   */
  introspection?: (
    token: string,
  ) => Record<string, unknown> | 'hang up' | Promise<Record<string, unknown> | 'hang up'>;
}

const SHAPE_TYP = { rfc9068: 'at+jwt', okta: null, keycloak: 'JWT', auth0: 'JWT' } as const;

/** The claims a provider puts in its access tokens, besides iss, aud, sub, iat, exp, jti. */
function shapedClaims(options: MintOptions, issuer: string): Record<string, unknown> {
  const scope = options.scope ?? 'openid users:read apps:read';
  const clientId = options.clientId ?? 'dpop-lab-spa';
  switch (options.shape ?? 'rfc9068') {
    case 'okta':
      return { scp: scope.split(' '), cid: clientId, uid: '00u1', ver: 1 };
    case 'keycloak':
      return { scope, azp: clientId, typ: 'Bearer', sid: 'session-1' };
    case 'auth0':
      return {
        scope,
        azp: clientId,
        gty: 'client-credentials',
        extraAudience: `${issuer}userinfo`,
      };
    default:
      return { scope, client_id: clientId };
  }
}

export async function startTestIssuer({
  audience,
  jwksPath = '/keys',
  issuerPath = '',
  documentIssuer,
  introspection,
}: TestIssuerOptions): Promise<TestIssuer> {
  const attacker = await generateKeyPair('ES256');
  let signing: { privateKey: CryptoKey; kid: string };
  let jwks: { keys: JWK[] };
  const newKey = async () => {
    const pair = await generateKeyPair('ES256');
    const publicJwk: JWK = await exportJWK(pair.publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    signing = { privateKey: pair.privateKey, kid };
    jwks = { keys: [{ ...publicJwk, kid, alg: 'ES256', use: 'sig' }] };
  };
  await newKey();

  let issuer = '';
  let jwksFetches = 0;
  const base = issuerPath.replace(/\/+$/, '');
  const server = createServer((req, res) => {
    const send = (body: unknown) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.url === `${base}/.well-known/openid-configuration`) {
      return send({
        issuer: documentIssuer ?? issuer,
        jwks_uri: `${origin}${base}${jwksPath}`,
        ...(introspection ? { introspection_endpoint: `${origin}${base}/introspect` } : {}),
      });
    }
    if (req.url === `${base}${jwksPath}`) {
      jwksFetches += 1;
      return send(jwks);
    }
    if (introspection && req.method === 'POST' && req.url === `${base}/introspect`) {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', async () => {
        const token = new URLSearchParams(Buffer.concat(chunks).toString()).get('token') ?? '';
        const answer = await introspection(token);
        if (answer === 'hang up') req.socket.destroy();
        else if (!res.destroyed) send(answer);
      });
      return;
    }
    res.writeHead(404).end();
  });
  const listening = await listen(server, 0, '127.0.0.1');
  const origin = listening.url;
  issuer = `${origin}${issuerPath}`;

  return {
    issuer,
    jwksUrl: `${origin}${base}${jwksPath}`,
    rotateKey: newKey,
    get jwksFetches() {
      return jwksFetches;
    },
    async mintAccessToken(options) {
      const now = Math.floor((options.now ?? Date.now()) / 1000);
      const key: CryptoKey = options.forged ? attacker.privateKey : signing.privateKey;
      const kid = signing.kid;
      const { extraAudience, ...claims } = shapedClaims(options, issuer);
      if (options.jkt !== null) claims['cnf'] = { jkt: options.jkt };
      const typ = options.typ === undefined ? SHAPE_TYP[options.shape ?? 'rfc9068'] : options.typ;
      const aud = options.audience ?? audience;
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid, ...(typ === null ? {} : { typ }) })
        .setIssuer(options.issuer ?? issuer)
        .setAudience(extraAudience ? [aud, String(extraAudience)].flat() : aud)
        .setSubject(options.subject ?? 'alice')
        .setJti(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + (options.expiresIn ?? 300))
        .sign(key);
    },
    close: listening.close,
  };
}

import { exportJWK, generateKeyPair, JWTPayload, SignJWT } from 'jose';

import { TEST_CONFIG, TEST_ISSUER } from './test-config';

/** Signs ID tokens the way the test "authorization server" would, with its own key. */
export class IdTokenSigner {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly jwks: { keys: JsonWebKey[] },
  ) {}

  static async create(kid = 'test-key'): Promise<IdTokenSigner> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
    return new IdTokenSigner(privateKey, { keys: [jwk as JsonWebKey] });
  }

  /** An ID token for alice; `overrides` replace claims (`undefined` removes one). */
  sign(overrides: JWTPayload = {}, kid = 'test-key'): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims: JWTPayload = {
      iss: TEST_ISSUER,
      aud: TEST_CONFIG.clientId,
      sub: 'alice',
      name: 'Alice Anders',
      email: 'alice@example.com',
      iat: now,
      exp: now + 300,
      ...overrides,
    };
    for (const [name, value] of Object.entries(claims)) {
      if (value === undefined) delete claims[name];
    }
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .sign(this.privateKey);
  }
}

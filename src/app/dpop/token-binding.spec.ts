import { generateKeyPair, SignJWT } from 'jose';

import { DpopError } from './dpop-error';
import { checkTokenBinding, checkTokenType } from './token-binding';

describe('checkTokenBinding (RFC 9449 §6.1)', () => {
  const jkt = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';
  let signingKey: CryptoKey;

  beforeAll(async () => {
    ({ privateKey: signingKey } = await generateKeyPair('ES256'));
  });

  function accessToken(claims: Record<string, unknown>): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(signingKey);
  }

  async function refusal(token: string): Promise<DpopError> {
    try {
      await checkTokenBinding(token, jkt);
    } catch (error) {
      expect(error).toBeInstanceOf(DpopError);
      return error as DpopError;
    }
    throw new Error('the token was accepted');
  }

  it('accepts a JWT access token whose cnf.jkt is the key thumbprint', async () => {
    const bound = await accessToken({ sub: 'alice', cnf: { jkt } });
    await expectAsync(checkTokenBinding(bound, jkt)).toBeResolved();
  });

  it('refuses a JWT access token bound to another key', async () => {
    const error = await refusal(await accessToken({ sub: 'alice', cnf: { jkt: 'someone-else' } }));
    expect(error.code).toBe('token_not_bound');
    expect(error.message).toContain('bound to another key (cnf.jkt someone-else)');
  });

  it('refuses a JWT access token without cnf: a bearer token in disguise', async () => {
    const error = await refusal(await accessToken({ sub: 'alice' }));
    expect(error.code).toBe('token_not_bound');
    expect(error.message).toContain('without cnf.jkt');
  });

  it('refuses a cnf that carries no jkt (e.g. an mTLS x5t#S256 binding)', async () => {
    expect((await refusal(await accessToken({ cnf: { 'x5t#S256': 'abc' } }))).code).toBe(
      'token_not_bound',
    );
  });

  it('lets an opaque token pass: only its server can check it (RFC 9449 §6.2)', async () => {
    await expectAsync(checkTokenBinding('opaque-Zk3xV8tQ', jkt)).toBeResolved();
    await expectAsync(checkTokenBinding('a.b.c', jkt)).toBeResolved();
    await expectAsync(checkTokenBinding('h.k.iv.ct.tag', jkt)).toBeResolved(); // encrypted (JWE)
  });
});

describe('checkTokenType (RFC 9449 §5)', () => {
  it('accepts token_type DPoP in any letter case (RFC 6749 §7.1)', () => {
    for (const type of ['DPoP', 'dpop', 'DPOP']) expect(() => checkTokenType(type)).not.toThrow();
  });

  it('refuses Bearer tokens and says to enable DPoP for the client', () => {
    expect(() => checkTokenType('Bearer')).toThrowMatching(
      (e) =>
        e instanceof DpopError &&
        e.code === 'bearer_token_issued' &&
        e.message.includes('issued Bearer tokens') &&
        e.message.includes('dpop_bound_access_tokens'),
    );
  });

  it('refuses a response without token_type', () => {
    expect(() => checkTokenType(undefined)).toThrowMatching(
      (e) => e instanceof DpopError && e.message.includes('untyped'),
    );
  });
});

import { base64url } from 'jose';

import {
  ACCESS_TOKEN_CLAIMS,
  cnfJkt,
  decodeJwt,
  displayValue,
  PROOF_CLAIMS,
  PROOF_HEADER,
  rowsOf,
} from './jwt-explained';

const part = (value: unknown) => base64url.encode(JSON.stringify(value));

describe('jwt-explained (decoding for display, and what each claim means)', () => {
  it('decodes a JWT’s header and claims without checking anything', () => {
    const jwt = `${part({ typ: 'dpop+jwt', alg: 'ES256' })}.${part({ htm: 'GET', iat: 1 })}.not-a-signature`;
    expect(decodeJwt(jwt)).toEqual({
      header: { typ: 'dpop+jwt', alg: 'ES256' },
      claims: { htm: 'GET', iat: 1 },
    });
  });

  it('returns null for an opaque token or anything that is not three JSON-object parts', () => {
    expect(decodeJwt('opaque-token-value')).toBeNull();
    expect(decodeJwt('a.b')).toBeNull();
    expect(decodeJwt(`${part({ alg: 'ES256' })}.!!!.x`)).toBeNull();
    expect(decodeJwt(`${part([1, 2])}.${part({})}.x`)).toBeNull();
    expect(decodeJwt(`${part({})}.${part('text')}.x`)).toBeNull();
  });

  it('explains every proof header parameter and claim of RFC 9449 §4.2, with its section', () => {
    const header = rowsOf({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC' } }, PROOF_HEADER);
    const claims = rowsOf(
      { jti: 'j', htm: 'GET', htu: 'u', iat: 1, ath: 'a', nonce: 'n' },
      PROOF_CLAIMS,
    );
    for (const row of [...header, ...claims]) {
      expect(row.meaning.length).withContext(row.name).toBeGreaterThan(20);
      expect(row.source)
        .withContext(row.name)
        .toMatch(/^RFC 9449 §4\.2/);
    }
    expect(claims.find((r) => r.name === 'jti')!.meaning).toContain('twice');
    expect(claims.find((r) => r.name === 'ath')!.meaning).toContain('SHA-256');
    expect(claims.find((r) => r.name === 'nonce')!.source).toContain('§8');
  });

  it('says when a claim is not one it knows, and explains cnf of an access token (RFC 9449 §6.1)', () => {
    const rows = rowsOf({ cnf: { jkt: 'x' }, extra: 1 }, ACCESS_TOKEN_CLAIMS);
    expect(rows[0]).toEqual(
      jasmine.objectContaining({ name: 'cnf', value: '{"jkt":"x"}', source: 'RFC 9449 §6.1' }),
    );
    expect(rows[1].meaning).toContain('Not defined');
    expect(rows[1].source).toBeUndefined();
  });

  it('shows times as seconds and as a date, strings as they are, objects as JSON', () => {
    expect(displayValue('iat', 1700000000)).toBe('1700000000 (2023-11-14T22:13:20.000Z)');
    expect(displayValue('exp', 0)).toBe('0 (1970-01-01T00:00:00.000Z)');
    expect(displayValue('htu', 'http://x/y')).toBe('http://x/y');
    expect(displayValue('jwk', { kty: 'EC' })).toBe('{"kty":"EC"}');
    expect(displayValue('count', 3)).toBe('3');
  });

  it('reads cnf.jkt only when it is a string', () => {
    expect(cnfJkt({ cnf: { jkt: 'abc' } })).toBe('abc');
    expect(cnfJkt({ cnf: { jkt: 1 } })).toBeUndefined();
    expect(cnfJkt({ cnf: 'abc' })).toBeUndefined();
    expect(cnfJkt({})).toBeUndefined();
  });
});

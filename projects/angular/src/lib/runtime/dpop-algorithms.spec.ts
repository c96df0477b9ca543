import { TestBed } from '@angular/core/testing';

import { algorithmOfKey, DpopAlgorithms } from './dpop-algorithms';
import { DpopAlgorithm } from '../dpop-config';
import { DpopError } from '../dpop-error';
import { provideDpop, withAlgorithms } from '../provide-dpop';

const AS = 'http://localhost:3000/token';
const API = 'http://localhost:3001/api/users';

describe('DpopAlgorithms (real WebCrypto)', () => {
  function configure(...preference: DpopAlgorithm[]): DpopAlgorithms {
    TestBed.configureTestingModule({
      providers: [provideDpop(...(preference.length ? [withAlgorithms(preference)] : []))],
    });
    return TestBed.inject(DpopAlgorithms);
  }

  it('prefers ES256, then EdDSA, PS256, RS256 when no server has spoken', () => {
    expect(configure().candidates()).toEqual(['ES256', 'EdDSA', 'PS256', 'RS256']);
  });

  it("keeps the client's preference among what the server lists (ES256 even when listed last)", () => {
    const algorithms = configure();
    algorithms.accept(AS, ['RS256', 'PS256', 'ES256'], 'the authorization server');
    expect(algorithms.candidates()).toEqual(['ES256', 'PS256', 'RS256']);
  });

  it('intersects what every server said: the one key must suit the token endpoint and the API', () => {
    const algorithms = configure();
    algorithms.accept(AS, ['ES256', 'PS256', 'RS256'], 'the authorization server');
    algorithms.accept(API, ['PS256', 'EdDSA'], 'the resource server');
    expect(algorithms.candidates()).toEqual(['PS256']);
  });

  it('replaces what an origin said before (per origin, not per URL)', () => {
    const algorithms = configure();
    algorithms.accept(API, ['RS256'], 'the resource server');
    algorithms.accept('http://localhost:3001/api/apps', ['ES256'], 'the resource server');
    expect(algorithms.candidates()).toEqual(['ES256']);
  });

  const keys: [DpopAlgorithm, string, Record<string, unknown>][] = [
    ['ES256', 'ECDSA', { namedCurve: 'P-256' }],
    ['EdDSA', 'Ed25519', {}],
    ['PS256', 'RSA-PSS', { modulusLength: 2048, hash: { name: 'SHA-256' } }],
    ['RS256', 'RSASSA-PKCS1-v1_5', { modulusLength: 2048, hash: { name: 'SHA-256' } }],
  ];
  for (const [alg, name, details] of keys) {
    it(`generates a non-extractable ${name} key when the server accepts only ${alg}`, async () => {
      const algorithms = configure();
      algorithms.accept(AS, [alg], 'the authorization server');
      const pair = await algorithms.generateKeyPair();
      expect(algorithmOfKey(pair.privateKey)).toBe(alg);
      expect(pair.privateKey.algorithm).toEqual(jasmine.objectContaining({ name, ...details }));
      expect(pair.privateKey.extractable).toBeFalse();
      await expectAsync(crypto.subtle.exportKey('jwk', pair.privateKey)).toBeRejected();
      expect(algorithmOfKey(pair.privateKey)).toBe(alg);
    });
  }

  it('skips an algorithm this browser cannot make (no Ed25519 in WebCrypto) for the next one', async () => {
    const algorithms = configure('EdDSA', 'PS256');
    const generate = crypto.subtle.generateKey.bind(crypto.subtle);
    spyOn(crypto.subtle, 'generateKey').and.callFake(((
      params: AlgorithmIdentifier,
      extractable: boolean,
      usages: KeyUsage[],
    ) =>
      (params as Algorithm).name === 'Ed25519'
        ? Promise.reject(new DOMException('Unrecognized name.', 'NotSupportedError'))
        : generate(params, extractable, usages)) as typeof crypto.subtle.generateKey);
    const { privateKey } = await algorithms.generateKeyPair();
    expect(algorithmOfKey(privateKey)).toBe('PS256');
  });

  it('says plainly when no algorithm is left: what each server accepts and what the app signs with', async () => {
    const algorithms = configure();
    algorithms.accept(AS, ['ES512', 'Ed448'], 'the authorization server');
    const error = await algorithms.generateKeyPair().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DpopError);
    expect((error as DpopError).code).toBe('no_common_algorithm');
    expect((error as DpopError).message).toContain(
      'the authorization server at http://localhost:3000 accepts ES512, Ed448',
    );
    expect((error as DpopError).message).toContain(
      'this app signs with ES256, EdDSA, PS256, RS256',
    );
  });

  it('does not know keys it cannot sign with', async () => {
    const { privateKey } = (await crypto.subtle.generateKey(
      { name: 'ECDSA', namedCurve: 'P-384' },
      false,
      ['sign'],
    )) as CryptoKeyPair;
    expect(algorithmOfKey(privateKey)).toBeNull();
  });

  it('withAlgorithms() refuses an empty list or an algorithm it cannot sign with', () => {
    expect(() => withAlgorithms([])).toThrowMatching(
      (e) => e instanceof DpopError && e.code === 'invalid_algorithms',
    );
    expect(() => withAlgorithms(['ES256', 'HS256' as DpopAlgorithm])).toThrowMatching(
      (e) => e instanceof DpopError && /"HS256" is not one of them/.test(e.message),
    );
  });
});

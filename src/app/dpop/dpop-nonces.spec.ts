import { TestBed } from '@angular/core/testing';

import { DpopNonces } from './dpop-nonces';

describe('DpopNonces', () => {
  let nonces: DpopNonces;

  beforeEach(() => {
    nonces = TestBed.inject(DpopNonces);
  });

  it('keeps the latest nonce per origin, whatever the path', () => {
    nonces.remember('http://localhost:3001/api/users', 'one');
    nonces.remember('http://localhost:3001/api/apps', 'two');
    expect(nonces.get('http://localhost:3001/anything?x=1')).toBe('two');
  });

  it('keeps the authorization server and the API apart (different origins)', () => {
    nonces.remember('http://localhost:3000/token', 'as');
    nonces.remember('http://localhost:3001/api/users', 'api');
    expect(nonces.get('http://localhost:3000/me')).toBe('as');
    expect(nonces.get('http://localhost:3001/api/')).toBe('api');
    expect(nonces.get('http://localhost:3002/')).toBeUndefined();
  });

  it('forgets everything on clear()', () => {
    nonces.remember('https://a.example/', 'n');
    nonces.clear();
    expect(nonces.get('https://a.example/')).toBeUndefined();
  });
});

import { HttpHeaders } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';

import { DpopNonces } from './dpop-nonces';

describe('DpopNonces', () => {
  let nonces: DpopNonces;

  beforeEach(() => {
    nonces = TestBed.inject(DpopNonces);
  });

  it('keeps the latest nonce per origin, whatever the path', () => {
    nonces.remember('http://localhost:3001/api/users', new HttpHeaders({ 'DPoP-Nonce': 'one' }));
    nonces.remember('http://localhost:3001/api/apps', new HttpHeaders({ 'DPoP-Nonce': 'two' }));
    expect(nonces.get('http://localhost:3001/anything?x=1')).toBe('two');
  });

  it('keeps the authorization server and the API apart (different origins)', () => {
    nonces.remember('http://localhost:3000/token', new HttpHeaders({ 'DPoP-Nonce': 'as' }));
    nonces.remember('http://localhost:3001/api/users', new HttpHeaders({ 'DPoP-Nonce': 'api' }));
    expect(nonces.get('http://localhost:3000/me')).toBe('as');
    expect(nonces.get('http://localhost:3001/api/')).toBe('api');
    expect(nonces.get('http://localhost:3002/')).toBeUndefined();
  });

  it('reads the header case-insensitively and ignores responses without one', () => {
    expect(nonces.remember('https://a.example/', new HttpHeaders({ 'dpop-nonce': 'n' }))).toBe('n');
    expect(nonces.remember('https://a.example/', new HttpHeaders())).toBeUndefined();
    expect(nonces.get('https://a.example/')).toBe('n');
  });

  it('forgets everything on clear()', () => {
    nonces.remember('https://a.example/', new HttpHeaders({ 'DPoP-Nonce': 'n' }));
    nonces.clear();
    expect(nonces.get('https://a.example/')).toBeUndefined();
  });
});

import { displayNameOf, freshToken, isNewer, isSession, pickUser, Session } from './session';
import { testSession } from './testing/test-config';

describe('session rules', () => {
  const session = (change: Partial<Session> = {}): Session =>
    testSession({ signedInAt: 1000, ...change });

  it('uses a token while more than 30 s, or a quarter of a short lifetime, is left', () => {
    const now = Date.now();
    const token = (lifetime: number, left: number) =>
      session({
        tokens: {
          '': { accessToken: 't', issuedAt: now + left - lifetime, expiresAt: now + left },
        },
      });
    expect(freshToken(token(300_000, 60_000), undefined)).toBe('t');
    expect(freshToken(token(300_000, 20_000), undefined)).toBeNull();
    expect(freshToken(token(5_000, 4_000), undefined)).toBe('t'); // margin 1.25 s
    expect(freshToken(token(5_000, 1_000), undefined)).toBeNull();
    expect(freshToken(session(), 'https://api.example.test')).toBeNull(); // none for it
  });

  it('orders states: a later sign-in, or a later revision of the same one, is newer', () => {
    expect(isNewer(session({ revision: 1 }), session())).toBeTrue();
    expect(isNewer(session(), session({ revision: 1 }))).toBeFalse();
    expect(isNewer(session(), session())).toBeFalse();
    expect(isNewer(session({ signedInAt: 2000 }), session({ revision: 5 }))).toBeTrue();
    expect(isNewer(session({ revision: 5 }), session({ signedInAt: 2000 }))).toBeFalse();
    expect(isNewer(session(), null)).toBeTrue();
  });

  it('recognises a whole session and nothing else', () => {
    expect(isSession(session())).toBeTrue();
    expect(isSession({ ...session(), jkt: undefined })).toBeFalse(); // without its key
    expect(isSession({ jkt: 'x', idToken: 'a', user: { sub: 'a' }, tokens: {} })).toBeFalse();
    expect(isSession(null)).toBeFalse();
    expect(isSession('session')).toBeFalse();
  });

  it('keeps who the user is, not the token plumbing, and greets by name, email or sub', () => {
    const claims = { sub: 'alice', name: 'Alice', email: 'a@x', nonce: 'n', at_hash: 'h' };
    expect(pickUser(claims)).toEqual({ sub: 'alice', name: 'Alice', email: 'a@x' });
    expect(displayNameOf({ sub: 'alice', name: 'Alice', email: 'a@x' })).toBe('Alice');
    expect(displayNameOf({ sub: 'alice', email: 'a@x' })).toBe('a@x');
    expect(displayNameOf({ sub: 'alice' })).toBe('alice');
    expect(displayNameOf(null)).toBeNull();
  });
});

import { TestRequest } from '@angular/common/http/testing';

import { authTestbed, nextRequest, proofClaimsOf, settle } from './testing/auth-testbed';
import { TEST_METADATA, TEST_RESOURCE } from './testing/test-config';

/**
 * The name shown from the start: an ID token without `name` (as the embedded server issues it)
 * is completed once from userinfo at sign-in, and the session keeps it.
 */
describe('the name to show after sign-in', () => {
  const t = authTestbed();
  const userinfo = TEST_METADATA.userinfo_endpoint!;
  const withoutName = { idTokenClaims: { name: undefined } };

  /** Signs in with an ID token without a name; resolves to the userinfo request it makes. */
  async function signInWithoutName(): Promise<{ request: TestRequest; done: Promise<unknown> }> {
    const params = await t.startSignIn();
    const done = t.finishSignIn(params, withoutName);
    return { request: await nextRequest(t.backend, userinfo), done };
  }

  it('reads userinfo once, with the sign-in token and a proof, and shows the name from the start', async () => {
    const { request, done } = await signInWithoutName();
    expect(request.request.headers.get('Authorization')).toBe('DPoP userinfo-token');
    expect(proofClaimsOf(request)['htu']).toBe(userinfo);
    // Still signing in: the header never shows the sub first.
    expect(t.auth.status()).toBe('signing-in');

    request.flush({ sub: 'alice', name: 'Alice Anders', email: 'alice@example.com' });
    await done;
    expect(t.auth.status()).toBe('signed-in');
    expect(t.auth.displayName()).toBe('Alice Anders');
    const stored = (await t.storedSession())!;
    expect(stored.user.name).toBe('Alice Anders');
    expect(stored.revision).toBe(1);

    t.reload(); // no request on the next page: the session has the name
    await t.restore();
    expect(t.auth.displayName()).toBe('Alice Anders');
    await settle();
    t.backend.expectNone(userinfo);
  });

  it('keeps the name through a refresh whose ID token has none', async () => {
    const { request, done } = await signInWithoutName();
    request.flush({ sub: 'alice', name: 'Alice Anders' });
    await done;
    const token = t.auth.accessToken(TEST_RESOURCE);
    (await t.tokenRequest()).flush({
      access_token: 'api-token',
      token_type: 'DPoP',
      id_token: await t.signer.sign({ name: undefined }),
    });
    await token;
    expect(t.auth.displayName()).toBe('Alice Anders');
  });

  it('does not ask userinfo when the ID token names the user', async () => {
    await t.signIn();
    expect(t.auth.displayName()).toBe('Alice Anders');
    await settle();
    t.backend.expectNone(userinfo);
  });

  it('signs in all the same when userinfo fails, shows the email and logs why', async () => {
    const warn = spyOn(console, 'warn');
    const { request, done } = await signInWithoutName();
    request.flush(null, { status: 500, statusText: 'Internal Server Error' });
    await done;
    expect(t.auth.status()).toBe('signed-in');
    expect(t.auth.displayName()).toBe('alice@example.com');
    expect(warn).toHaveBeenCalledOnceWith(jasmine.stringContaining(userinfo));
  });

  it("ignores a userinfo answer about another user (its sub is not the ID token's)", async () => {
    const warn = spyOn(console, 'warn');
    const { request, done } = await signInWithoutName();
    request.flush({ sub: 'mallory', name: 'Mallory' });
    await done;
    expect(t.auth.displayName()).toBe('alice@example.com');
    expect(warn).toHaveBeenCalledOnceWith(jasmine.stringContaining('"mallory"'));
  });
});

/**
 * A client that leaves `resource` off the token request is told why its token is refused
 * (issue 20, item 1). oidc-client-ts with only `settings.resource` sends it on the authorization
 * request, not on the code exchange (RFC 8707 §2.2 allows that); the authorization server then
 * issues its opaque token for userinfo. The API's answer names the audience it needs and says the
 * token request must carry `resource=<it>`, in the challenge and the body alike, unclipped.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { signIn } from '../testing/sign-in.ts';
import { testWorldForSuite } from '../testing/test-world.ts';
import { harnessForSuite, PUBLIC_URL } from './testing/api-harness.ts';

/** `resource=<audience>` with the audience's dots and slashes taken literally. */
const mustCarry = (audience: string) =>
  new RegExp(
    `token request itself.*must carry resource=${audience.replace(/[./]/g, '\\$&')} \\(RFC 8707`,
  );

describe('a token request without resource, at the embedded authorization server', () => {
  const world = testWorldForSuite();

  test('the opaque userinfo token it gets is refused, naming the audience and resource=<it>', async () => {
    // resource on the authorization request only, as oidc-client-ts sends it.
    const alice = await signIn({ issuer: world.issuer, resource: world.resource });
    const { response } = await alice.dpop.fetchWithDpop(`${world.api}/api/users`, {
      accessToken: alice.tokens.access_token,
    });
    assert.equal(response.status, 401);
    const body = (await response.json()) as Record<string, string>;
    assert.equal(body['error'], 'invalid_token');
    assert.match(body['error_description']!, /not a JWT/);
    assert.match(body['error_description']!, mustCarry(world.resource));
    assert.doesNotMatch(body['error_description']!, /\.\.\.$/, 'not clipped');
    assert.match(response.headers.get('www-authenticate') ?? '', mustCarry(world.resource));
  });
});

describe('a JWT for another audience', () => {
  const h = harnessForSuite();

  test('is refused naming the audience it has, the one needed, and resource=<it>', async () => {
    const response = await h.send({
      headers: await h.validHeaders({ token: { audience: 'https://other.example/api' } }),
    });
    assert.equal(response.status, 401);
    const description = String((response.body as Record<string, unknown>)['error_description']);
    assert.match(description, /is for https:\/\/other\.example\/api, not this API/);
    assert.match(description, mustCarry(`${PUBLIC_URL}/api`));
    assert.doesNotMatch(description, /\.\.\.$/, 'not clipped');
  });
});

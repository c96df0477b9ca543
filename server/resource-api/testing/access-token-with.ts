/** Test fixture: a verified access token (../access-token.ts) with these fields changed. */
import type { AccessToken } from '../access-token.ts';

export function accessTokenWith(changes: Partial<AccessToken> = {}): AccessToken {
  return {
    shape: 'rfc9068',
    expiresAt: Math.floor(Date.now() / 1000) + 300,
    audience: ['http://api.dpop-lab.test/api'],
    scopes: ['users:read'],
    clientId: 'dpop-lab-spa',
    cnf: undefined,
    subject: 'alice',
    principal: 'dpop-lab-spa alice',
    ...changes,
  };
}

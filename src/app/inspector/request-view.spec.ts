import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose';

import type { LoggedExchange } from './exchange-log';
import { athOf } from '@dpop-lab/protocol';
import {
  describeRequest,
  groupByAction,
  groupExchanges,
  labelOf,
  pathOf,
  sequenceOf,
} from './request-view';

const API = { baseUrl: 'http://localhost:3001/api/', resource: 'http://localhost:3001/api' };
const USERS = `${API.baseUrl}users`;
const TOKEN = 'http://as/token';
const VISIT = { key: 'p-1', path: '/users' };

function exchange(changes: Partial<LoggedExchange>): LoggedExchange {
  return {
    requestId: 'dpop-1',
    method: 'GET',
    url: USERS,
    status: 200,
    proof: 'not.a-jwt',
    scheme: 'DPoP',
    at: 0,
    action: VISIT,
    ...changes,
  };
}

describe('request-view (what the inspector draws)', () => {
  it('groups a newest-first log by request: newest request first, its attempts oldest first', () => {
    const log = [
      exchange({ requestId: 'dpop-2', status: 200 }),
      exchange({ requestId: 'dpop-1', status: 200, retryReason: 'use_dpop_nonce' }),
      exchange({ requestId: 'dpop-1', status: 401, error: 'use_dpop_nonce' }),
    ];
    const groups = groupExchanges(log);
    expect(groups.map((g) => g.id)).toEqual(['dpop-2', 'dpop-1']);
    expect(groups[1].attempts.map((a) => a.status)).toEqual([401, 200]);
    expect(groups[1].status).toBe(200);
  });

  it('draws the nonce handshake: request, 401 use_dpop_nonce with the nonce, retry, 200', () => {
    const [group] = groupExchanges([
      exchange({ status: 200, retryReason: 'use_dpop_nonce' }),
      exchange({ status: 401, error: 'use_dpop_nonce', nonce: 'n-42' }),
    ]);
    expect(sequenceOf(group)).toEqual([
      {
        direction: 'request',
        label: 'GET /api/users',
        detail: 'Authorization: DPoP + DPoP proof, no nonce',
      },
      { direction: 'response', label: '401 use_dpop_nonce', detail: 'DPoP-Nonce: n-42' },
      {
        direction: 'request',
        label: 'Retry: GET /api/users',
        detail: 'Authorization: DPoP + DPoP proof, no nonce',
      },
      { direction: 'response', label: '200', detail: 'accepted' },
    ]);
  });

  it('draws the token endpoint (proof only) and lost answers', () => {
    const steps = sequenceOf(
      groupExchanges([
        exchange({
          requestId: 'dpop-4',
          scheme: null,
          method: 'POST',
          url: TOKEN,
          status: 400,
          error: 'use_dpop_nonce',
        }),
      ])[0],
    );
    expect(steps[0]).toEqual(
      jasmine.objectContaining({ label: 'POST /token', detail: 'DPoP proof only, no nonce' }),
    );
    expect(steps[1].detail).toBe('the DPoP-Nonce header was not readable');
    const lost = sequenceOf(groupExchanges([exchange({ status: 0 })])[0]);
    expect(lost[1]).toEqual({
      direction: 'response',
      label: 'no answer',
      detail: 'no response (network or CORS failure)',
    });
    expect(pathOf('http://x/a?b=1')).toBe('/a?b=1');
  });

  it('names each request by what it was for: two POST /token are told apart by their purpose', () => {
    const post = (purpose: LoggedExchange['purpose']) =>
      groupExchanges([
        exchange({ method: 'POST', url: TOKEN, scheme: null, ...(purpose ? { purpose } : {}) }),
      ])[0];
    const context = { api: API };
    expect(labelOf(post({ kind: 'code-exchange' }), context)).toBe('Sign-in: the code exchange');
    expect(labelOf(post({ kind: 'refresh', resource: API.resource }), context)).toBe(
      'Refresh: a new token for the API',
    );
    expect(labelOf(post({ kind: 'refresh' }), context)).toBe('Refresh: a new token for userinfo');
    expect(labelOf(post({ kind: 'revocation' }), context)).toBe(
      'Sign-out: the refresh token revoked',
    );
    expect(labelOf(post(undefined), context)).toBe('Token endpoint: POST /token');
    expect(labelOf(groupExchanges([exchange({})])[0], context)).toBe('The API: GET /api/users');
    expect(labelOf(groupExchanges([exchange({ url: 'http://as/me' })])[0], context)).toBe(
      'Userinfo: GET /me',
    );
  });

  it("groups requests by the user's action, newest first, keeping the order", () => {
    const signIn = { key: 'p-1', path: '/login/callback' };
    const users = { key: 'p-2', path: '/users' };
    const requests = groupExchanges([
      exchange({ requestId: 'r3', action: users }),
      exchange({ requestId: 'r2', action: users }),
      exchange({ requestId: 'r1', action: signIn }),
    ]).map((group) => ({ group }));
    const actions = groupByAction(requests);
    expect(actions.map((a) => [a.action.path, a.requests.map((r) => r.group.id)])).toEqual([
      ['/users', ['r3', 'r2']],
      ['/login/callback', ['r1']],
    ]);
  });

  it('decodes the proof, computes its key thumbprint, and checks ath and cnf.jkt of the token held', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = await exportJWK(publicKey);
    const jkt = await calculateJwkThumbprint(jwk);
    const token = await new SignJWT({ cnf: { jkt }, scope: 'users:read' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .sign(privateKey);
    const proof = await new SignJWT({
      htm: 'GET',
      htu: USERS,
      ath: await athOf(token),
      nonce: 'n-1',
    })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk })
      .setJti('j-1')
      .setIssuedAt()
      .sign(privateKey);

    const [group] = groupExchanges([exchange({ proof })]);
    const view = await describeRequest(group, { api: API, tokenFor: () => token });
    expect(view.label).toBe('The API: GET /api/users');
    expect(view.token.raw).withContext('shown and copied, from the session').toBe(token);
    expect(view.attempts[0].jwkThumbprint).toBe(jkt);
    expect(view.attempts[0].header.map((r) => r.name)).toEqual(['typ', 'alg', 'jwk']);
    expect(view.attempts[0].claims.map((r) => r.name)).toContain('ath');
    expect(view.token.kind).toBe('jwt');
    expect(view.token.cnfJkt).toBe(jkt);
    expect(view.token.ath).toEqual({
      inProof: await athOf(token),
      recomputed: await athOf(token),
      equal: true,
    });
    expect(view.steps[0].detail).toContain("with the server's nonce");

    const refreshed = await describeRequest(group, {
      api: API,
      tokenFor: () => 'opaque-newer-token',
    });
    expect(refreshed.token.kind).toBe('opaque');
    expect(refreshed.token.ath?.equal).toBeFalse();
  });

  it('has no access token for the token endpoint', async () => {
    const [group] = groupExchanges([exchange({ scheme: null })]);
    const view = await describeRequest(group, { api: API, tokenFor: () => 'unused' });
    expect(view.token.kind).toBe('none');
    expect(view.token.note).toContain('token endpoint');
  });
});

import { blockedByCsp, cspBlockedMessage, knownBlockedByCsp } from './csp-blocked';
import { watchCspViolations } from './csp-violations';
import { reportCspBlock } from './testing/report-csp-block';

describe('calls blocked by the page’s CSP', () => {
  beforeAll(() => watchCspViolations());

  it('knows the origin of every call connect-src blocked, and no other', () => {
    expect(knownBlockedByCsp('http://blocked.test:3201/api/users')).toBeUndefined();
    reportCspBlock('http://blocked.test:3201/api/users?x=1');
    reportCspBlock('http://image.test/logo.png', 'img-src');
    expect(knownBlockedByCsp('http://blocked.test:3201/api/apps')).toBe('http://blocked.test:3201');
    expect(knownBlockedByCsp('http://blocked.test:3202/api/apps')).toBeUndefined();
    expect(knownBlockedByCsp('http://image.test/logo.png')).toBeUndefined();
    expect(knownBlockedByCsp(null)).toBeUndefined();
  });

  it('waits for the report that comes after the call has failed', async () => {
    const answer = blockedByCsp('http://late.test:3200/.well-known/openid-configuration');
    setTimeout(() => reportCspBlock('http://late.test:3200/.well-known/openid-configuration'));
    expect(await answer).toBe('http://late.test:3200');
  });

  it('says no when no report comes: then no server answered', async () => {
    const answer = blockedByCsp('http://down.test:3200/x', 10);
    setTimeout(() => reportCspBlock('http://other.test:3200/x'));
    expect(await answer).toBeUndefined();
  });

  it('names the policy, the server and the origin to add to connect-src', () => {
    expect(
      cspBlockedMessage('The API at http://localhost:3201/api/', 'http://localhost:3201'),
    ).toBe(
      "The API at http://localhost:3201/api/ is not allowed by this page's Content-Security-Policy: " +
        'the browser blocked the call. Add http://localhost:3201 to its connect-src (npm start and ' +
        'npm run serve:prod allow the origins config.json names).',
    );
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, mock, test } from 'node:test';

import { readConfig } from '../config.ts';
import { startAppServer, type RunningAppServer } from './create-app-server.ts';
import { CSP_NONCE_PLACEHOLDER, contentSecurityPolicy, styleNonce } from './security-headers.ts';

/** The directives of a policy, by name. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .map(([name, ...values]) => [name, values] as [string, string[]]),
  );
}

describe('the production app server’s security headers', () => {
  const config = readConfig({
    AS_PORT: '3900',
    API_PUBLIC_URL: 'https://api.example.test',
    SPA_ORIGIN: 'http://localhost:0',
  });
  let root: string;
  let app: RunningAppServer;

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'dpop-lab-app-'));
    await writeFile(
      join(root, 'index.html'),
      `<!doctype html><html><body><app-root ngCspNonce="${CSP_NONCE_PLACEHOLDER}"></app-root>` +
        '<script src="main-ABCDEFGH.js" type="module"></script></body></html>',
    );
    await writeFile(join(root, 'main-ABCDEFGH.js'), 'console.log(1);\n');
    app = await startAppServer({ config, root, port: 0 });
  });

  after(async () => {
    await app.close();
    await rm(root, { recursive: true, force: true });
  });

  test('scripts from this origin only: no inline script, no eval', () => {
    const csp = directives(contentSecurityPolicy([], styleNonce('n0nce')));
    assert.deepEqual(csp.get('script-src'), ["'self'"]);
    assert.deepEqual(csp.get('default-src'), ["'self'"]);
    assert.deepEqual(csp.get('object-src'), ["'none'"]);
    assert.deepEqual(csp.get('base-uri'), ["'self'"]);
    assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
    assert.deepEqual(csp.get('style-src'), ["'self'", "'nonce-n0nce'"]);
    assert.doesNotMatch(contentSecurityPolicy([]), /unsafe-(inline|eval)/);
  });

  test('connect-src: this origin, the configured authorization server and API, nothing else', async () => {
    for (const path of ['/', '/config.json']) {
      const response = await fetch(`${app.url}${path}`);
      await response.arrayBuffer();
      const csp = directives(response.headers.get('content-security-policy')!);
      assert.deepEqual(
        csp.get('connect-src'),
        ["'self'", 'http://localhost:3900', 'https://api.example.test'],
        path,
      );
    }
  });

  test('config.json names the same authorization server and API', async () => {
    const served = await (await fetch(`${app.url}/config.json`)).json();
    assert.equal(served.issuer, 'http://localhost:3900');
    assert.deepEqual(served.api, {
      baseUrl: 'https://api.example.test/api/',
      resource: 'https://api.example.test/api',
    });
  });

  test('every page gets a fresh nonce, the same in the CSP header and in ngCspNonce', async () => {
    const nonces: string[] = [];
    for (const path of ['/', '/users', '/index.html']) {
      const response = await fetch(`${app.url}${path}`);
      const html = await response.text();
      const fromHeader = /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy')!);
      assert.ok(fromHeader, `${path}: a nonce in style-src`);
      assert.ok(
        html.includes(`ngCspNonce="${fromHeader[1]}"`),
        `${path}: the same nonce in the page`,
      );
      assert.ok(!html.includes(CSP_NONCE_PLACEHOLDER));
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      nonces.push(fromHeader[1]);
    }
    assert.equal(new Set(nonces).size, 3);
    assert.ok(nonces.every((nonce) => Buffer.from(nonce, 'base64').length === 16));
  });

  test('answers 400 with its security headers to a URL it cannot decode, and logs nothing', async () => {
    const logged = mock.method(console, 'error', () => undefined);
    try {
      for (const path of ['/%E0%A4%A', '/users/%FF', '/%']) {
        const response = await fetch(`${app.url}${path}`);
        assert.equal(response.status, 400, path);
        assert.match(await response.text(), /not valid percent-encoded UTF-8/);
        assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self';/);
        assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      }
      assert.equal(logged.mock.callCount(), 0);
    } finally {
      logged.mock.restore();
    }
  });

  test('every response carries the CSP, X-Content-Type-Options and Referrer-Policy', async () => {
    for (const path of ['/', '/main-ABCDEFGH.js', '/config.json', '/missing.png']) {
      const response = await fetch(`${app.url}${path}`);
      await response.arrayBuffer();
      assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self';/);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer', path);
    }
  });
});

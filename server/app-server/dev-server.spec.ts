import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';

import { readConfig } from '../config.ts';
import { prepareDevServer, type DevServerSetup } from './dev-server.ts';
import { INLINE_STYLES, securityHeaders } from './security-headers.ts';

/** What `ng serve` makes of repeated `--headers NAME=VALUE` (split at the first "="). */
function headersOf(args: string[]): Record<string, string> {
  const pairs = args.flatMap((arg, i) => (args[i - 1] === '--headers' ? [arg] : []));
  return Object.fromEntries(
    pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}

function flag(args: string[], name: string): string {
  return args[args.indexOf(name) + 1];
}

describe('npm start’s dev server follows the settings, with no file edited', () => {
  // The must-show line of issue 21: AS_PORT=3200 API_PORT=3201 SPA_ORIGIN=http://localhost:4210.
  const config = readConfig({
    AS_PORT: '3200',
    API_PORT: '3201',
    SPA_ORIGIN: 'http://localhost:4210',
  });
  let setup: DevServerSetup;
  before(async () => {
    setup = await prepareDevServer(config);
  });
  after(() => setup.close());

  test('ng serve listens on the port of SPA_ORIGIN', () => {
    assert.equal(setup.args[0], 'serve');
    assert.equal(flag(setup.args, '--port'), '4210');
  });

  test('its CSP lets the app call the authorization server and the API on their ports', () => {
    const headers = headersOf(setup.args);
    const connect = /connect-src ([^;]+)/.exec(headers['Content-Security-Policy'])![1];
    assert.equal(connect, "'self' http://localhost:3200 http://localhost:3201");
    // Every header the app server sends, with the inline styles hot reload adds.
    assert.deepEqual(
      headers,
      securityHeaders(['http://localhost:3200', 'http://localhost:3201'], INLINE_STYLES),
    );
    assert.match(headers['Content-Security-Policy'], /style-src 'self' 'unsafe-inline';/);
  });

  test('its proxy answers /config.json with the same servers', async () => {
    const proxy = JSON.parse(await readFile(flag(setup.args, '--proxy-config'), 'utf8'));
    const target: string = proxy['/config.json'].target;
    const response = await fetch(`${target}/config.json`);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const served = await response.json();
    assert.equal(served.issuer, 'http://localhost:3200');
    assert.equal(served.api.baseUrl, 'http://localhost:3201/api/');
    assert.equal((await fetch(`${target}/index.html`)).status, 404);
  });

  test('close() stops the config.json server and removes the proxy configuration', async () => {
    const other = await prepareDevServer(config);
    const file = flag(other.args, '--proxy-config');
    const target = JSON.parse(await readFile(file, 'utf8'))['/config.json'].target;
    await other.close();
    await assert.rejects(stat(file), { code: 'ENOENT' });
    await assert.rejects(fetch(`${target}/config.json`));
  });
});

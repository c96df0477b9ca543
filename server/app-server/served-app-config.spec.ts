import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { readConfig } from '../config.ts';
import { servedAppConfig } from './served-app-config.ts';

describe('the config.json the app is served, and the origins its CSP allows', () => {
  let folder: string;
  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'dpop-lab-app-config-'));
  });
  after(() => rm(folder, { recursive: true, force: true }));

  test('follows AS_PORT and API_PORT, and ISSUER and API_PUBLIC_URL over them', () => {
    const ports = servedAppConfig(readConfig({ AS_PORT: '3200', API_PORT: '3201' }));
    assert.deepEqual(ports.origins, ['http://localhost:3200', 'http://localhost:3201']);
    const served = JSON.parse(ports.body);
    assert.equal(served.issuer, 'http://localhost:3200');
    assert.equal(served.api.baseUrl, 'http://localhost:3201/api/');

    const urls = servedAppConfig(
      readConfig({
        AS_PORT: '3200',
        ISSUER: 'https://id.example.test/',
        API_PUBLIC_URL: 'https://api.example.test',
      }),
    );
    assert.deepEqual(urls.origins, ['https://id.example.test', 'https://api.example.test']);
    assert.equal(JSON.parse(urls.body).issuer, 'https://id.example.test');
  });

  test('calls the API where it answers, whatever audience its tokens carry (API_AUDIENCE)', () => {
    const served = servedAppConfig(
      readConfig({ API_PUBLIC_URL: 'https://api.example.test', API_AUDIENCE: 'api://default' }),
    );
    assert.deepEqual(JSON.parse(served.body).api, {
      baseUrl: 'https://api.example.test/api/',
      resource: 'api://default',
    });
    assert.deepEqual(served.origins, ['http://localhost:3000', 'https://api.example.test']);
  });

  test('serves the file APP_CONFIG names as it is, and allows the origins it names', async () => {
    const file = join(folder, 'okta.json');
    const text = JSON.stringify({
      issuer: 'https://dev-1.okta.test/oauth2/default',
      clientId: 'abc',
      api: { baseUrl: 'https://api.example.test/v1/' },
    });
    await writeFile(file, text);
    const served = servedAppConfig(readConfig({ APP_CONFIG: file, AS_PORT: '3200' }));
    assert.equal(served.body, text);
    assert.deepEqual(served.origins, ['https://dev-1.okta.test', 'https://api.example.test']);
  });

  test('a field that is not an http(s) URL allows nothing: the app names the field', async () => {
    const file = join(folder, 'bad-fields.json');
    await writeFile(
      file,
      JSON.stringify({ issuer: 'localhost:3000', api: { baseUrl: 'ftp://x' } }),
    );
    assert.deepEqual(servedAppConfig(readConfig({ APP_CONFIG: file })).origins, []);
  });

  test('an APP_CONFIG that cannot be read or is not JSON stops the start, saying what to do', async () => {
    const missing = join(folder, 'missing.json');
    assert.throws(() => servedAppConfig(readConfig({ APP_CONFIG: missing })), {
      message: `APP_CONFIG=${missing} cannot be read (ENOENT): give the path of a config.json, or unset APP_CONFIG to serve the configuration of the embedded servers.`,
    });
    const notJson = join(folder, 'not.json');
    await writeFile(notJson, '{ issuer: x }');
    assert.throws(() => servedAppConfig(readConfig({ APP_CONFIG: notJson })), {
      message: new RegExp(`^APP_CONFIG=${notJson} is not valid JSON \\(.+\\): fix it, or unset`),
    });
  });
});

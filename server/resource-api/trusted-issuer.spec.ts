/**
 * Discovery of the trusted issuer while its authorization server is down or misconfigured: a
 * burst of requests costs that server one fetch, and each request no discovery timeout.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, describe, test } from 'node:test';

import { listen } from '../listen.ts';
import { createTrustedIssuer, IssuerMismatchError } from './trusted-issuer.ts';

let documentIssuer: string | null = null; // null: discovery answers 503
let fetches = 0;
const server = createServer((_req, res) => {
  fetches += 1;
  if (documentIssuer === null) {
    res.writeHead(503).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ issuer: documentIssuer, introspection_endpoint: 'http://x.test/i' }));
});
const listening = await listen(server, 0, '127.0.0.1');
after(() => listening.close());

describe('trusted issuer discovery', () => {
  test('while discovery fails, twenty requests at once and ten after cost one fetch; after the retry delay it is tried again', async () => {
    documentIssuer = null;
    fetches = 0;
    const issuer = createTrustedIssuer({ issuer: listening.url, discoveryRetryMs: 200 });
    const burst = await Promise.all(
      Array.from({ length: 20 }, () => issuer.introspectionEndpoint()),
    );
    for (let i = 0; i < 10; i += 1) assert.equal(await issuer.introspectionEndpoint(), undefined);
    assert.deepEqual(new Set(burst), new Set([undefined]));
    assert.equal(fetches, 1);

    documentIssuer = listening.url;
    await new Promise((resolve) => setTimeout(resolve, 250));
    assert.equal(await issuer.introspectionEndpoint(), 'http://x.test/i');
    assert.equal(await issuer.introspectionEndpoint(), 'http://x.test/i');
    assert.equal(fetches, 2, 'a document once read is kept');
  });

  test('a document naming another issuer is refused on every request, logged and fetched once per retry delay', async () => {
    documentIssuer = `${listening.url}/`;
    fetches = 0;
    const logged: string[] = [];
    const issuer = createTrustedIssuer({
      issuer: listening.url,
      discoveryRetryMs: 60_000,
      log: (message) => logged.push(message),
    });
    for (let i = 0; i < 5; i += 1) {
      await assert.rejects(issuer.introspectionEndpoint(), IssuerMismatchError);
    }
    assert.equal(fetches, 1);
    assert.equal(logged.length, 1);
    assert.match(logged[0]!, /names the issuer/);
  });
});

/**
 * No escape sequence a server sent reaches the terminal from `npm run conformance` (issue 19,
 * finding 4): the sanitiser on its own, then the real CLI against a hostile issuer and API on
 * loopback whose every answer tries to erase the line, paint a green "pass", set the window title
 * and write the clipboard (OSC 52), in the table, in the error messages and in --json.
 */
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import { describe, test } from 'node:test';

import { listen } from '../listen.ts';
import { suiteFixture } from '../testing/suite-fixture.ts';
import { terminalJson, terminalText } from './terminal-text.ts';
import { runCli } from './testing/run-cli.ts';

const ESC = '\u001b';
/** Erase the line, then a green "pass"; window title; clipboard; C1 CSI and OSC; RTL override. */
const HOSTILE_ERROR = `${ESC}[2K${ESC}[1G${ESC}[32mpass${ESC}[0m`;
const HOSTILE_DESCRIPTION =
  `${ESC}]0;owned${'\u0007'}${ESC}]52;c;ZWNobyBvd25lZA==${'\u0007'}\u009b2K\u009d0;x\u009c` +
  `\u202egnirts desrever\r\nfake line${'A'.repeat(20_000)}`;
/** Anything a terminal acts on: C0 but the line feed, DEL, C1, bidi controls, line separators. */
const ACTS_ON_TERMINAL =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('terminalText', () => {
  test('shows every control as a visible escape and sends none of them', () => {
    const safe = terminalText(HOSTILE_ERROR + HOSTILE_DESCRIPTION, 100_000);
    assert.doesNotMatch(safe, ACTS_ON_TERMINAL);
    assert.ok(safe.startsWith('\\x1b[2K\\x1b[1G\\x1b[32mpass\\x1b[0m\\x1b]0;owned\\x07'), safe);
    assert.match(safe, /\\x9b2K\\x9d0;x\\x9c\\u202egnirts desrever {2}fake line/);
  });

  test('cuts long text to its limit, with an ellipsis, never inside a character', () => {
    assert.equal(terminalText('A'.repeat(500), 10), `${'A'.repeat(9)}…`);
    assert.equal(terminalText('short', 10), 'short');
    assert.equal(terminalText(`${'A'.repeat(8)}😀😀`, 10), `${'A'.repeat(8)}…`);
  });

  test('terminalJson: the same JSON value, with nothing a terminal acts on, strings bounded', () => {
    const value = { error: HOSTILE_ERROR, nested: [{ description: 'é § ✓ \u009b' }] };
    const json = terminalJson(value, 100);
    assert.doesNotMatch(json, ACTS_ON_TERMINAL);
    assert.deepEqual(JSON.parse(json), value);
    const long = JSON.parse(terminalJson({ description: HOSTILE_DESCRIPTION }, 100)) as {
      description: string;
    };
    assert.equal(long.description.length, 100);
  });
});

/** A hostile issuer (discovery, a token endpoint) and API on one loopback port. */
async function startHostileServer() {
  let origin = '';
  let refuseTokens = false;
  const hostileJson = (res: ServerResponse, status: number, headers: Record<string, string> = {}) =>
    res
      .writeHead(status, { 'content-type': 'application/json', ...headers })
      .end(JSON.stringify({ error: HOSTILE_ERROR, error_description: HOSTILE_DESCRIPTION }));
  const server = createServer((req, res) => {
    if (req.url === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ issuer: origin, token_endpoint: `${origin}/token` }));
    } else if (req.url === '/token') {
      if (refuseTokens) hostileJson(res, 400);
      else {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'a-token', token_type: 'DPoP' }));
      }
    } else {
      // Node writes header values as Latin-1: \u009b goes out as the single byte C1 CSI.
      hostileJson(res, 401, { 'www-authenticate': 'DPoP error="\u009b2K\u009b32mpass"' });
    }
  });
  const listening = await listen(server, 0, '127.0.0.1');
  origin = listening.url;
  return {
    url: listening.url,
    refuseTokens(value: boolean) {
      refuseTokens = value;
    },
    close: listening.close,
  };
}

describe('npm run conformance against a hostile server', () => {
  const hostile = suiteFixture(startHostileServer);
  const run = (args: string[] = []) =>
    runCli(
      'conformance.ts',
      ['--issuer', hostile.url, '--api', `${hostile.url}/api/apps`, ...args],
      {},
    );
  /** Nothing the terminal acts on, and no line longer than `maxLine` (the server wrote 20,000). */
  const assertSafe = (output: string, maxLine = 1_200) => {
    assert.doesNotMatch(output, ACTS_ON_TERMINAL);
    for (const line of output.split('\n')) assert.ok(line.length <= maxLine, `${line.length}`);
  };

  test('the table shows what it said as visible escapes, bounded; exit 1', async () => {
    hostile.refuseTokens(false);
    const { code, stdout, stderr } = await run();
    assert.equal(code, 1, stderr);
    assertSafe(stdout + stderr);
    assert.match(stdout, /^fail +A correct request .*401 \\x9b2K\\x9b32mpass$/m);
    assert.match(stdout, /refused a correct request \(\\x1b\]0;owned\\x07\\x1b\]52;c;/);
  });

  test('--json: the same report as JSON, with nothing the terminal acts on', async () => {
    hostile.refuseTokens(false);
    const { code, stdout } = await run(['--json']);
    assert.equal(code, 1);
    // A string of at most 1,000 characters, each escaped in at most 6 (\u001b).
    assertSafe(stdout, 6_100);
    const report = JSON.parse(stdout) as { results: { observed: string; note?: string }[] };
    assert.equal(report.results[0]!.observed, '401 \u009b2K\u009b32mpass', 'the data is intact');
  });

  test('a token endpoint refusing with hostile words: the message is safe and keeps its advice; exit 2', async () => {
    hostile.refuseTokens(true);
    const { code, stdout, stderr } = await run();
    assert.equal(code, 2);
    assertSafe(stdout + stderr);
    assert.match(stderr, /Could not get a token: .*\(400 \\x1b\[2K/);
    assert.match(stderr, /check --client-id, --client-secret, --scope and --resource\.$/m);
  });
});

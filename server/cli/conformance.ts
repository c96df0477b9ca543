/**
 * `npm run conformance -- --api URL`: checks that a resource server enforces DPoP as RFC 9449
 * asks, and prints a table (the catalogue is @dpop-lab/protocol/conformance, shared with the
 * app's "Check this API" page). The DPoP-bound token comes from client credentials, or with
 * `--sign-in` from a user's sign-in in the browser (conformance-sign-in.ts); the defaults are the
 * embedded issuer, clients and API, read from the same environment as `npm start`.
 *
 * stdout holds the table (or with `--json` the report, and nothing else); with `--sign-in` the
 * URL to open too, on a line of its own (on stderr with `--json`). Progress goes to stderr.
 *
 * Exit code: 0 when no check fails (warnings allowed), 1 when one fails (or the run stopped
 * early), 2 when there is no token or the server does not answer, or for a usage error.
 */
import { parseArgs } from 'node:util';
import {
  ApiUnreachable,
  runConformance,
  summaryOf,
  type ConformanceReport,
} from '@dpop-lab/protocol/conformance';
import { createProofKey } from '@dpop-lab/protocol';

import { API_SCOPES, CLI_CLIENT_ID, readConfig, SERVICE_CLIENT } from '../config.ts';
import { tableHeading, tableRows } from './conformance-table.ts';
import { terminalJson, terminalText } from './terminal-text.ts';
import { signInForConformance } from './conformance-sign-in.ts';
import { fetchServiceToken, TokenUnavailable, type ConformanceToken } from './conformance-token.ts';
import { httpMethodOf } from './http-method.ts';
import { SignInFailed } from './loopback-redirect.ts';

const config = readConfig();
const DEFAULT_API = `${config.apiPublicUrl}/api/apps`;
const DEFAULT_SIGN_IN_SECONDS = 300;

/** How the token is got: a client's own (client credentials) or a user's (--sign-in). */
const GRANTS = {
  'client credentials': {
    clientId: SERVICE_CLIENT.id,
    scope: SERVICE_CLIENT.scope,
    describe: (clientId: string, issuer: string) =>
      `client credentials of ${clientId} at ${issuer}`,
    /** What to change when the resource refused the correct request. */
    refusedHint:
      "The resource refused the correct request. A client's own token cannot do everything: if it needs a user's (a userinfo endpoint, a scope this client may not get), run again with --sign-in; otherwise check --scope and --resource.",
  },
  'sign-in': {
    clientId: CLI_CLIENT_ID,
    // The embedded API's scopes, so both of its resources work; `openid` for userinfo.
    scope: `openid ${API_SCOPES.join(' ')}`,
    describe: (clientId: string, issuer: string) =>
      `a user's sign-in with ${clientId} at ${issuer}`,
    refusedHint:
      'The resource refused the correct request: check --scope, and --resource (it decides which resource the token is for; "" asks for none, as a userinfo endpoint needs).',
  },
} as const;

const USAGE = `Usage: npm run conformance -- [--api URL] [options]

Checks that a DPoP-protected resource (RFC 9449) refuses what it must refuse and accepts what it
must accept, and prints one row per check. The DPoP-bound access token comes from the client
credentials grant, or with --sign-in from a user's sign-in, with a key made for this run.

  --api URL               the protected resource (default ${DEFAULT_API})
  --method METHOD         the request's method (default GET)
  --issuer URL            the authorization server (default ${config.issuer})
  --sign-in               a user's token: authorization code + PKCE + DPoP through a loopback
                          redirect (RFC 8252); prints the URL to sign in at and opens a browser
  --no-open               with --sign-in: only print the URL, open no browser
  --sign-in-timeout S     with --sign-in: how long to wait for the sign-in (default ${DEFAULT_SIGN_IN_SECONDS} s)
  --client-id ID          a confidential client with DPoP-bound tokens (default ${GRANTS['client credentials'].clientId});
                          with --sign-in a public native client (default ${GRANTS['sign-in'].clientId})
  --client-secret SECRET  its secret, sent with HTTP Basic (default the lab's demo secret);
                          not with --sign-in
  --scope SCOPE           scopes the resource needs (default ${GRANTS['client credentials'].scope};
                          with --sign-in "${GRANTS['sign-in'].scope}")
  --resource URI          RFC 8707 resource indicator, "" for none (default ${config.apiResource}
                          for the embedded API, none for any other)
  --stale-nonce-after S   also wait until the first nonce is S seconds old and check it is refused
  --strict                fail every deviation, not only those someone without the key could use
  --json                  print the report as JSON instead of the table
  --help                  this text

Exit code 0: no check fails (warnings allowed); 1: one fails; 2: no token, or no answer.`;

/** A message that may quote servers: whole, escape-free, but bounded. */
const MAX_MESSAGE = 1_000;

/** Prints `text` (to stderr unless the code is 0) and ends the process. */
function exitWith(text: string, code: number): never {
  if (code === 0) console.log(text);
  else console.error(text);
  process.exit(code);
}

const usageError = (message: string): never => exitWith(`${message}\n\n${USAGE}`, 2);

const OPTIONS = {
  api: { type: 'string', default: DEFAULT_API },
  method: { type: 'string', default: 'GET' },
  issuer: { type: 'string', default: config.issuer },
  'sign-in': { type: 'boolean', default: false },
  'no-open': { type: 'boolean', default: false },
  'sign-in-timeout': { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  scope: { type: 'string' },
  resource: { type: 'string' },
  'stale-nonce-after': { type: 'string' },
  strict: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

function readArguments() {
  try {
    return parseArgs({ options: OPTIONS, allowPositionals: false }).values;
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error));
  }
}

/** A whole number of seconds greater than 0, or undefined when the option is absent. */
function secondsOf(option: string, value: string | undefined, example: number): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (Number.isInteger(seconds) && seconds > 0) return seconds;
  return usageError(`--${option} takes a whole number of seconds, e.g. ${example}.`);
}

const values = readArguments();
if (values.help) exitWith(USAGE, 0);
if (!URL.canParse(values.api) || !/^https?:$/.test(new URL(values.api).protocol)) {
  usageError(
    `--api ${values.api} is not an http(s) URL: give the full URL of a protected resource.`,
  );
}
const method =
  httpMethodOf(values.method) ?? usageError(`--method ${values.method} is not an HTTP method.`);
const staleAfter = secondsOf('stale-nonce-after', values['stale-nonce-after'], 130);
const signInSeconds =
  secondsOf('sign-in-timeout', values['sign-in-timeout'], DEFAULT_SIGN_IN_SECONDS) ??
  DEFAULT_SIGN_IN_SECONDS;

const grant = values['sign-in'] ? 'sign-in' : 'client credentials';
for (const option of ['no-open', 'sign-in-timeout'] as const) {
  if (grant !== 'sign-in' && values[option] !== undefined && values[option] !== false) {
    usageError(`--${option} goes with --sign-in.`);
  }
}
if (grant === 'sign-in' && values['client-secret'] !== undefined) {
  usageError(
    '--client-secret is for client credentials: with --sign-in a public native client signs in, with PKCE and DPoP instead of a secret.',
  );
}
const clientId = values['client-id'] ?? GRANTS[grant].clientId;
const scope = values.scope ?? GRANTS[grant].scope;
// The embedded API's resource indicator for the embedded API; any other API names its own.
const embeddedApi = `${values.api}/`.startsWith(`${config.apiPublicUrl}/`);
const resource = values.resource ?? (embeddedApi ? config.apiResource : '');

/** What goes to stdout but is not the report: with --json, to stderr instead. */
const aside = (text: string) => (values.json ? console.error(text) : console.log(text));

const key = await createProofKey();
let token: ConformanceToken;
try {
  token =
    grant === 'sign-in'
      ? await signInForConformance({
          issuer: values.issuer,
          clientId,
          scope,
          resource,
          key,
          open: !values['no-open'],
          timeoutMs: signInSeconds * 1000,
          show: aside,
          progress: (message) => console.error(message),
        })
      : await fetchServiceToken({
          issuer: values.issuer,
          clientId,
          clientSecret: values['client-secret'] ?? SERVICE_CLIENT.secret,
          scope,
          resource,
          key,
        });
} catch (error) {
  if (!(error instanceof TokenUnavailable || error instanceof SignInFailed)) throw error;
  exitWith(`Could not get a token: ${terminalText(error.message, MAX_MESSAGE)}`, 2);
}

if (!values.json) {
  console.log(`DPoP conformance of ${method} ${values.api} (RFC 9449)`);
  console.log(
    `Token: ${GRANTS[grant].describe(clientId, values.issuer)}, bound to an ES256 key made for this run.`,
  );
  console.log(
    values.strict
      ? 'Verdict: --strict, every deviation fails.\n'
      : 'Verdict: a failure someone without the key could use fails; one that exposes nothing warns (--strict fails it).\n',
  );
  console.log(tableHeading());
}

const tableRow = tableRows();
let report: ConformanceReport;
try {
  report = await runConformance({
    url: values.api,
    method,
    key,
    accessToken: token.accessToken,
    ...(token.issuerNonce ? { foreignNonce: token.issuerNonce } : {}),
    ...(staleAfter ? { staleNonceAfterSeconds: staleAfter } : {}),
    strict: values.strict,
    onResult: (result) => {
      if (!values.json) console.log(tableRow(result));
    },
  });
} catch (error) {
  if (!(error instanceof ApiUnreachable)) throw error;
  exitWith(`Could not reach the API: ${terminalText(error.message, MAX_MESSAGE)}`, 2);
}

// What the server said is in the report: printed without its escape sequences, either way.
if (values.json) console.log(terminalJson(report));
else console.log(`\n${terminalText(summaryOf(report), 10 * MAX_MESSAGE)}`);
if (report.results[0]?.outcome === 'fail') console.error(GRANTS[grant].refusedHint);
process.exit(report.passed ? 0 : 1);

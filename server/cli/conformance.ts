/**
 * `npm run conformance -- --api URL`: checks that a resource server enforces DPoP as RFC 9449
 * asks, and prints a table (server/conformance/ holds the catalogue, shared with the app's
 * "Check this API" page). The DPoP-bound token comes from client credentials; the defaults are
 * the embedded issuer, service client and API, read from the same environment as `npm start`.
 *
 * Exit code: 0 when every required check passes, 1 when one fails (or the run stopped early),
 * 2 when there is no token or the server does not answer, or for a usage error.
 */
import { parseArgs } from 'node:util';
import {
  ApiUnreachable,
  runConformance,
  summaryOf,
  type ConformanceReport,
} from '@dpop-lab/protocol/conformance';
import { createProofKey } from '@dpop-lab/protocol';

import { readConfig, SERVICE_CLIENT } from '../config.ts';
import { tableHeading, tableRows } from './conformance-table.ts';
import { terminalJson, terminalText } from './terminal-text.ts';
import { fetchServiceToken, TokenUnavailable } from './conformance-token.ts';
import { httpMethodOf } from './http-method.ts';

const config = readConfig();
const DEFAULTS = {
  api: `${config.apiPublicUrl}/api/apps`,
  issuer: config.issuer,
  'client-id': SERVICE_CLIENT.id,
  'client-secret': SERVICE_CLIENT.secret,
  scope: SERVICE_CLIENT.scope,
  resource: config.apiResource,
  method: 'GET',
};

const USAGE = `Usage: npm run conformance -- [--api URL] [options]

Checks that a DPoP-protected resource (RFC 9449) refuses what it must refuse and accepts what it
must accept, and prints one row per check. The DPoP-bound access token comes from the client
credentials grant, with a key made for this run.

  --api URL               the protected resource (default ${DEFAULTS.api})
  --method METHOD         the request's method (default GET)
  --issuer URL            the authorization server (default ${DEFAULTS.issuer})
  --client-id ID          a confidential client with DPoP-bound tokens (default ${DEFAULTS['client-id']})
  --client-secret SECRET  its secret, sent with HTTP Basic (default the lab's demo secret)
  --scope SCOPE           scopes the resource needs (default ${DEFAULTS.scope})
  --resource URI          RFC 8707 resource indicator, "" for none (default ${DEFAULTS.resource})
  --stale-nonce-after S   also wait until the first nonce is S seconds old and check it is refused
  --json                  print the report as JSON instead of the table
  --help                  this text

Exit code 0: every required check passes; 1: one fails; 2: no token, or no answer.`;

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
  api: { type: 'string', default: DEFAULTS.api },
  method: { type: 'string', default: DEFAULTS.method },
  issuer: { type: 'string', default: DEFAULTS.issuer },
  'client-id': { type: 'string', default: DEFAULTS['client-id'] },
  'client-secret': { type: 'string', default: DEFAULTS['client-secret'] },
  scope: { type: 'string', default: DEFAULTS.scope },
  resource: { type: 'string', default: DEFAULTS.resource },
  'stale-nonce-after': { type: 'string' },
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

const values = readArguments();
if (values.help) exitWith(USAGE, 0);
if (!URL.canParse(values.api) || !/^https?:$/.test(new URL(values.api).protocol)) {
  usageError(
    `--api ${values.api} is not an http(s) URL: give the full URL of a protected resource.`,
  );
}
const method =
  httpMethodOf(values.method) ?? usageError(`--method ${values.method} is not an HTTP method.`);
const staleAfter =
  values['stale-nonce-after'] === undefined ? undefined : Number(values['stale-nonce-after']);
if (staleAfter !== undefined && !(Number.isInteger(staleAfter) && staleAfter > 0)) {
  usageError('--stale-nonce-after takes a whole number of seconds, e.g. 130.');
}

const key = await createProofKey();
let token;
try {
  token = await fetchServiceToken({
    issuer: values.issuer,
    clientId: values['client-id'],
    clientSecret: values['client-secret'],
    scope: values.scope,
    resource: values.resource,
    key,
  });
} catch (error) {
  if (!(error instanceof TokenUnavailable)) throw error;
  exitWith(`Could not get a token: ${terminalText(error.message, MAX_MESSAGE)}`, 2);
}

if (!values.json) {
  console.log(`DPoP conformance of ${method} ${values.api} (RFC 9449)`);
  console.log(
    `Token: client credentials of ${values['client-id']} at ${values.issuer}, bound to an ES256 key made for this run.\n`,
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
    ...(token.issuerNonce
      ? {
          foreignNonce: {
            value: token.issuerNonce,
            from: `the token endpoint of ${values.issuer}`,
          },
        }
      : {}),
    ...(staleAfter ? { staleNonceAfterSeconds: staleAfter } : {}),
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
process.exit(report.passed ? 0 : 1);

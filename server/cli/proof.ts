/**
 * `npm run -s proof -- --htm GET --htu URL [--token T] [--nonce N]`: prints one DPoP proof
 * (RFC 9449 §4.2) signed with the CLI's key (cli-key.ts), for curl:
 *
 *   curl -H "Authorization: DPoP $TOKEN" \
 *        -H "DPoP: $(npm run -s proof -- --htm GET --htu http://localhost:3001/api/apps --token $TOKEN --nonce $NONCE)" \
 *        http://localhost:3001/api/apps
 *
 * Only the proof goes to stdout, so `$(…)` captures it; `--decode` adds the decoded header and
 * claims on stderr. Exit code 2 for a usage error.
 */
import { parseArgs } from 'node:util';

import { decodeJwt, decodeProtectedHeader } from 'jose';

import { signProof } from '@dpop-lab/protocol';
import { defaultCliKeyFile, loadOrCreateCliKey } from './cli-key.ts';
import { httpMethodOf } from './http-method.ts';

const USAGE = `Usage: npm run -s proof -- --htm METHOD --htu URL [--token TOKEN] [--nonce NONCE]

Prints a DPoP proof (RFC 9449) for one request, signed with the key in ${defaultCliKeyFile()}
(made on first use; DPOP_LAB_DATA_DIR moves it).

  --htm METHOD   the request's HTTP method: GET, POST, ...
  --htu URL      the request's URL (query and fragment are dropped)
  --token TOKEN  the access token sent with the request: adds ath = base64url(SHA-256(TOKEN))
  --nonce NONCE  the server's DPoP-Nonce (from a use_dpop_nonce answer)
  --key FILE     another key file
  --jkt          print the key's thumbprint (the cnf.jkt of tokens bound to it) instead
  --decode       also print the decoded header and claims on stderr
  --help         this text`;

function usageError(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

/** `--htm get` means GET (./http-method.ts). */
function methodOf(htm: string): string {
  const method = httpMethodOf(htm);
  if (method === undefined) throw new Error(`"${htm}" is not an HTTP method: use GET, POST, ...`);
  return method;
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      htm: { type: 'string' },
      htu: { type: 'string' },
      token: { type: 'string' },
      nonce: { type: 'string' },
      key: { type: 'string' },
      jkt: { type: 'boolean' },
      decode: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  usageError(error instanceof Error ? error.message : String(error));
}

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

try {
  const key = await loadOrCreateCliKey(values.key ?? defaultCliKeyFile());
  if (values.jkt) {
    console.log(key.thumbprint);
    process.exit(0);
  }
  if (!values.htm || !values.htu) usageError('Give both --htm and --htu.');
  const proof = await signProof(key, {
    htm: methodOf(values.htm),
    htu: values.htu,
    accessToken: values.token,
    nonce: values.nonce,
  });
  console.log(proof);
  if (values.decode) {
    const decoded = { header: decodeProtectedHeader(proof), claims: decodeJwt(proof) };
    console.error(JSON.stringify(decoded, null, 2));
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

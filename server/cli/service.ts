/**
 * `npm run service`: the confidential service client gets a DPoP-bound token with client
 * credentials and calls `GET /api/apps`, printing every request and response (service-client.ts).
 * It reads the same environment as the servers (ISSUER / AS_PORT, API_PUBLIC_URL / API_PORT), so
 * it follows `npm start`. Exit code 0 when `/api/apps` answered 200, else 1.
 */
import { createProofKey } from '@dpop-lab/protocol';

import { readConfig } from '../config.ts';
import { runService, type ServiceStep } from './service-client.ts';

function shorten(value: string, max = 72): string {
  return value.length > max ? `${value.slice(0, max - 24)}… (${value.length} characters)` : value;
}

function indent(text: string, prefix = '    '): string {
  return text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');
}

function print(step: ServiceStep, number: number): void {
  const lines = [`\n${number}. ${step.title}`, `  → ${step.request.method} ${step.request.url}`];
  for (const [name, value] of Object.entries(step.request.headers)) {
    lines.push(`    ${name}: ${shorten(value)}`);
  }
  if (step.request.body) lines.push(`    ${step.request.body}`);
  if (step.proof) {
    lines.push('  DPoP proof (decoded, not verified):');
    lines.push(indent(JSON.stringify(step.proof, null, 2)));
  }
  lines.push(`  ← ${step.response.status}`);
  for (const [name, value] of Object.entries(step.response.headers)) {
    lines.push(`    ${name}: ${value}`);
  }
  let body = step.response.body;
  if (step.request.url.endsWith('/.well-known/openid-configuration') && typeof body === 'object') {
    // The whole discovery document is long: show what this walkthrough uses.
    const { issuer, token_endpoint, dpop_signing_alg_values_supported } = body as Record<
      string,
      unknown
    >;
    body = { issuer, token_endpoint, dpop_signing_alg_values_supported, '…': '(more)' };
  }
  if (body !== '') {
    const text = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
    lines.push(indent(text.length > 1200 ? `${text.slice(0, 1200)}…` : text));
  }
  console.log(lines.join('\n'));
}

const config = readConfig();
const key = await createProofKey();
console.log('DPoP Lab service client: client credentials + DPoP (RFC 6749 §4.4, RFC 9449)');
console.log(`  authorization server ${config.issuer}`);
console.log(`  API                  ${config.apiPublicUrl}`);
console.log(`  DPoP key             ES256, made for this run; thumbprint ${key.thumbprint}`);

let count = 0;
try {
  const result = await runService({
    issuer: config.issuer,
    api: config.apiPublicUrl,
    resource: config.apiResource,
    key,
    onStep: (step) => print(step, ++count),
  });
  if (result.accessTokenClaims) {
    const cnf = result.accessTokenClaims['cnf'] as { jkt?: string } | undefined;
    console.log('\nThe access token (decoded, not verified):');
    console.log(indent(JSON.stringify(result.accessTokenClaims, null, 2)));
    console.log(
      cnf?.jkt === key.thumbprint
        ? `  cnf.jkt equals this run's key thumbprint: the token is bound to the key (RFC 9449 §6).`
        : `  cnf.jkt (${cnf?.jkt ?? 'none'}) is not this key's thumbprint.`,
    );
  }
  if (!result.ok) {
    console.error('\nThe service client did not get the apps: see the last answer above.');
    process.exit(1);
  }
  const apps = Array.isArray(result.apps) ? result.apps.length : 0;
  console.log(`\nDone: GET /api/apps answered 200 with ${apps} app${apps === 1 ? '' : 's'}.`);
} catch (error) {
  console.error(
    `\nThe service client failed: ${error instanceof Error ? error.message : String(error)}. ` +
      'Are the servers running? (npm start, or npm run start:servers)',
  );
  process.exit(1);
}

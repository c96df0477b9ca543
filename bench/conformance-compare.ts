/**
 * The conformance reference's side-by-side table (docs/conformance.md): `npm run conformance`'s
 * catalogue against the embedded DPoP Lab API and against auth0's express-oauth2-jwt-bearer (DPoP
 * required; server/cli/testing/auth0-resource-server.ts), both on this machine, with the same
 * authorization server and service client, under the default verdict.
 *
 *   npx tsx bench/conformance-compare.ts        # prints a Markdown table
 *
 * Both serve GET /api/apps on free loopback ports; each run gets its own token and key.
 */
import {
  resultLabel,
  runConformance,
  summaryOf,
  type CheckResult,
  type ConformanceReport,
} from '@dpop-lab/protocol/conformance';
import { createProofKey } from '@dpop-lab/protocol';

import { SERVICE_CLIENT } from '../server/config.ts';
import { fetchServiceToken } from '../server/cli/conformance-token.ts';
import {
  AUTH0_API_PATH,
  startAuth0ResourceServer,
} from '../server/cli/testing/auth0-resource-server.ts';
import { startTestWorld } from '../server/testing/test-world.ts';

async function check(url: string, issuer: string, resource: string): Promise<ConformanceReport> {
  const key = await createProofKey();
  const token = await fetchServiceToken({
    issuer,
    clientId: SERVICE_CLIENT.id,
    clientSecret: SERVICE_CLIENT.secret,
    scope: SERVICE_CLIENT.scope,
    resource,
    key,
  });
  return runConformance({
    url,
    key,
    accessToken: token.accessToken,
    ...(token.issuerNonce ? { foreignNonce: token.issuerNonce } : {}),
  });
}

/** `MUST`, or `MAY; FAPI 2.0 warns`: how strongly the rule is worded, and who tests it. */
const levelOf = (result: CheckResult) =>
  result.profile
    ? `${result.level}; ${result.profile.name} ${result.profile.verdict}`
    : result.level;

/**
 * What a failure of the check means, for both servers: a risk may depend on nonces (an old `iat`
 * is harmless where a nonce limits a proof's life), and only one of them asks for nonces.
 */
function impactOf(id: string, reports: readonly ConformanceReport[]): string {
  const byNonce = reports.map((report) => ({
    impact: report.results.find((r) => r.id === id)!.impact,
    nonces: report.requiresNonce,
  }));
  const [first, second] = byNonce;
  if (!first || !second || first.impact === second.impact) return first?.impact ?? '';
  return byNonce
    .map(({ impact, nonces }) => `${impact} ${nonces ? 'with' : 'without'} nonces`)
    .join(', ');
}

const world = await startTestWorld();
try {
  const auth0 = await startAuth0ResourceServer({
    issuer: world.issuer,
    audience: world.resource,
    scope: SERVICE_CLIENT.scope,
  });
  try {
    const ours = await check(`${world.api}/api/apps`, world.issuer, world.resource);
    const theirs = await check(`${auth0.url}${AUTH0_API_PATH}`, world.issuer, world.resource);
    const cell = (report: ConformanceReport, id: string) => {
      const result = report.results.find((r) => r.id === id)!;
      return `${resultLabel(result)}: \`${result.observed}\``;
    };
    const lines = [
      '| check | rule | level | a failure means | a conforming server | DPoP Lab API | auth0 express-oauth2-jwt-bearer |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...ours.results.map((r) =>
        [
          '',
          r.title.replaceAll('|', '\\|'),
          r.reference,
          levelOf(r),
          impactOf(r.id, [ours, theirs]),
          r.expected,
          cell(ours, r.id),
          cell(theirs, r.id),
          '',
        ]
          .join(' | ')
          .trim(),
      ),
    ];
    console.log(lines.join('\n'));
    console.log(`\nDPoP Lab API: ${summaryOf(ours)}`);
    console.log(`auth0 express-oauth2-jwt-bearer: ${summaryOf(theirs)}`);
  } finally {
    await auth0.close();
  }
} finally {
  await world.close();
}

/**
 * The README's side-by-side conformance table: `npm run conformance`'s catalogue against the
 * embedded DPoP Lab API and against auth0's express-oauth2-jwt-bearer (DPoP required, wired as in
 * bench/api/), both on this machine, with the same authorization server and service client.
 *
 *   npx tsx bench/conformance-compare.ts        # prints a Markdown table
 *
 * Both serve GET /api/apps on free loopback ports; each run gets its own token and key.
 */
import { createServer } from 'node:http';

import express, { type ErrorHandler } from 'express';
import { auth, requiredScopes } from 'express-oauth2-jwt-bearer';
import {
  resultLabel,
  runConformance,
  summaryOf,
  type ConformanceReport,
} from '@dpop-lab/protocol/conformance';
import { createProofKey } from '@dpop-lab/protocol';

import { SERVICE_CLIENT } from '../server/config.ts';
import { fetchServiceToken } from '../server/cli/conformance-token.ts';
import { listen } from '../server/listen.ts';
import { listApps } from '../server/resource-api/demo-data.ts';
import { startTestWorld } from '../server/testing/test-world.ts';

/**
 * auth0's refusals as it makes them, without Express's default handler printing every stack
 * (Express tells an error handler by its four parameters).
 */
const quietly: ErrorHandler = (error, _req, res, _next) => {
  const { status = 500, headers = {} } = error as {
    status?: number;
    headers?: Record<string, string>;
  };
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.status(status).end();
};

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
    ...(token.issuerNonce
      ? { foreignNonce: { value: token.issuerNonce, from: 'the authorization server' } }
      : {}),
  });
}

const world = await startTestWorld();
try {
  const app = express();
  app.get(
    '/api/apps',
    auth({
      issuer: world.issuer,
      jwksUri: `${world.issuer}/jwks`,
      audience: world.resource,
      tokenSigningAlg: 'ES256',
      dpop: { enabled: true, required: true },
    }),
    requiredScopes(SERVICE_CLIENT.scope),
    (_req, res) => res.set('Cache-Control', 'no-store').json(listApps()),
  );
  app.use(quietly);
  const auth0 = await listen(createServer(app), 0, 'localhost');
  try {
    const ours = await check(`${world.api}/api/apps`, world.issuer, world.resource);
    const theirs = await check(`${auth0.url}/api/apps`, world.issuer, world.resource);
    const cell = (report: ConformanceReport, id: string) => {
      const result = report.results.find((r) => r.id === id)!;
      return `${resultLabel(result)}: \`${result.observed}\``;
    };
    const lines = [
      '| check | rule | a conforming server | DPoP Lab API | auth0 express-oauth2-jwt-bearer |',
      '| --- | --- | --- | --- | --- |',
      ...ours.results.map(
        (r) =>
          `| ${r.title.replaceAll('|', '\\|')} | ${r.reference} | ${r.expected} | ${cell(ours, r.id)} | ${cell(theirs, r.id)} |`,
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

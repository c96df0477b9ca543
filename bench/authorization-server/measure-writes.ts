/**
 * What the authorization server's store writes cost a sign-in and a refresh (issue 18, finding 5:
 * what was answered must be on disk first). Starts the real server in this process on a loopback
 * port with a throw-away data folder, then times, one after another:
 *
 *   sign-in   GET /auth → login page → POST the password → code → token request (nonce
 *             handshake included): the whole browserless sign-in of server/testing/sign-in.ts;
 *   refresh   the refresh token grant with rotation, the nonce already known.
 *
 *   npx tsx bench/authorization-server/measure-writes.ts [--against DIR] [--rounds 3] [--sign-ins 40] [--refreshes 100]
 *
 * With `--against DIR` (another checkout of this repository, e.g. made with
 * `git worktree add /tmp/base <commit>`), that checkout's server runs beside this one and every
 * timed step alternates between the two, so the comparison shares whatever else the machine is
 * doing at that moment. Prints the median and 90th percentile of each, in milliseconds.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { signIn, type Session } from '../../server/testing/sign-in.ts';
import {
  startTestAuthorizationServer,
  type TestAuthorizationServer,
} from '../../server/testing/test-authorization-server.ts';

const { values } = parseArgs({
  options: {
    against: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    'sign-ins': { type: 'string', default: '40' },
    refreshes: { type: 'string', default: '100' },
  },
});
const rounds = Number(values.rounds);
const signIns = Number(values['sign-ins']);
const refreshes = Number(values.refreshes);

interface Measured {
  name: string;
  server: TestAuthorizationServer;
  signIn: number[];
  refresh: number[];
  session?: Session;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
const summary = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return `median ${percentile(sorted, 50).toFixed(2)} ms, p90 ${percentile(sorted, 90).toFixed(2)} ms (${sorted.length})`;
};

async function timed(task: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await task();
  return performance.now() - start;
}

async function refreshOnce(session: Session): Promise<void> {
  const result = await session.refresh();
  if (result.status !== 200) throw new Error(`refresh answered ${result.status}`);
}

/** This checkout's server, or another checkout's (its own test helper, so its own code). */
async function serverOf(dir: string | undefined): Promise<TestAuthorizationServer> {
  if (dir === undefined) return startTestAuthorizationServer();
  const path = resolve(dir, 'server/testing/test-authorization-server.ts');
  const other = (await import(path)) as {
    startTestAuthorizationServer: () => Promise<TestAuthorizationServer>;
  };
  return other.startTestAuthorizationServer();
}

const measured: Measured[] = [
  { name: 'this checkout', server: await serverOf(undefined), signIn: [], refresh: [] },
];
if (values.against) {
  measured.push({
    name: values.against,
    server: await serverOf(values.against),
    signIn: [],
    refresh: [],
  });
}
try {
  for (const one of measured) {
    // Warm-up: the first requests compile code paths and create the DPoP nonce.
    for (let i = 0; i < 5; i++) await refreshOnce(await signIn({ issuer: one.server.issuer }));
  }
  for (let round = 1; round <= rounds; round++) {
    for (let i = 0; i < signIns; i++) {
      for (const one of measured) {
        one.signIn.push(
          await timed(async () => void (await signIn({ issuer: one.server.issuer }))),
        );
      }
    }
    for (const one of measured) {
      one.session = await signIn({ issuer: one.server.issuer });
      await refreshOnce(one.session); // learns the nonce
    }
    for (let i = 0; i < refreshes; i++) {
      for (const one of measured) one.refresh.push(await timed(() => refreshOnce(one.session!)));
    }
  }
  for (const one of measured) {
    console.log(`${one.name}: sign-in ${summary(one.signIn)}; refresh ${summary(one.refresh)}`);
  }
} finally {
  for (const one of measured) await one.server.close();
}

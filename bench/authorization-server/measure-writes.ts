/**
 * What the authorization server's store writes cost a sign-in and a refresh (issue 18, finding 5:
 * what was answered must be on disk first). Starts the real server in this process on a loopback
 * port with a throw-away data folder, then times, one after another:
 *
 *   sign-in   GET /auth → login page → POST the password → code → token request (nonce
 *             handshake included): the whole browserless sign-in of server/testing/sign-in.ts;
 *   refresh   the refresh token grant with rotation, the nonce already known.
 *
 *   npx tsx bench/authorization-server/measure-writes.ts [--rounds 3] [--sign-ins 40] [--refreshes 100]
 *
 * Prints the median and 90th percentile of each round and of all rounds, in milliseconds, and
 * how many bytes the store file grew by. Run it on two commits to compare them; the machine is
 * shared, so compare runs made back to back.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { signIn } from '../../server/testing/sign-in.ts';
import { startTestAuthorizationServer } from '../../server/testing/test-authorization-server.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    'sign-ins': { type: 'string', default: '40' },
    refreshes: { type: 'string', default: '100' },
  },
});
const rounds = Number(values.rounds);
const signIns = Number(values['sign-ins']);
const refreshes = Number(values.refreshes);

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

const as = await startTestAuthorizationServer();
const storeFile = join(as.config.dataDir, 'authorization-server-store.json');
const fileSize = () => stat(storeFile).then((s) => s.size, () => 0);
try {
  // Warm-up: the first requests compile code paths and create the DPoP nonce.
  for (let i = 0; i < 5; i++) await (await signIn({ issuer: as.issuer })).refresh();

  const all = { signIn: [] as number[], refresh: [] as number[] };
  for (let round = 1; round <= rounds; round++) {
    const signInTimes: number[] = [];
    for (let i = 0; i < signIns; i++) {
      signInTimes.push(await timed(async () => void (await signIn({ issuer: as.issuer }))));
    }
    const alice = await signIn({ issuer: as.issuer });
    await alice.refresh(); // learns the nonce
    const refreshTimes: number[] = [];
    for (let i = 0; i < refreshes; i++) {
      refreshTimes.push(
        await timed(async () => {
          const result = await alice.refresh();
          if (result.status !== 200) throw new Error(`refresh answered ${result.status}`);
        }),
      );
    }
    console.log(`round ${round}: sign-in ${summary(signInTimes)}; refresh ${summary(refreshTimes)}`);
    all.signIn.push(...signInTimes);
    all.refresh.push(...refreshTimes);
  }
  console.log(`all rounds: sign-in ${summary(all.signIn)}; refresh ${summary(all.refresh)}`);
  console.log(`store file: ${await fileSize()} bytes`);
} finally {
  await as.close();
}

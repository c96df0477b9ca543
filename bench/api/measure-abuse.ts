/**
 * Measures the two abuse figures of issue 12 against a running authorization server, so the
 * same command gives the "before" and "after" numbers:
 *
 *   npx tsx bench/api/measure-abuse.ts [--issuer URL] [--flood N] [--seconds S]
 *
 * 1. Guesses per second: one client sends wrong passwords for one account for S seconds (4 at a
 *    time); how many did the server check (401), how many did it refuse unchecked (429)? Then:
 *    is the right password accepted at once?
 * 2. Flood victim: alice signs in, then N anonymous `GET /auth` requests (each one makes the
 *    server keep an interaction); afterwards, does alice's refresh token still work, and does
 *    `prompt=none` still find her session?
 *
 * The issuer defaults to the one `npm start` runs (ISSUER, else http://localhost:$AS_PORT, as
 * server/config.ts reads them). The server must run with the default SPA_ORIGIN (the redirect
 * URI used here). Loopback only.
 */
import { parseArgs } from 'node:util';

import { readConfig, SPA_CLIENT_ID } from '../../server/config.ts';
import {
  authorizationRequest,
  followRedirects,
  signIn,
  startAuthorization,
  submitLogin,
} from '../../server/testing/sign-in.ts';

const { values } = parseArgs({
  options: {
    issuer: { type: 'string', default: readConfig().issuer },
    flood: { type: 'string', default: '6000' },
    seconds: { type: 'string', default: '10' },
  },
});
const issuer = values.issuer;

const count = (tally: Map<string, number>, key: string) =>
  tally.set(key, (tally.get(key) ?? 0) + 1);
const show = (tally: Map<string, number>) =>
  [...tally].map(([key, n]) => `${key} × ${n}`).join(', ');

/** `concurrency` workers run `task` until it returns false. */
async function workers(concurrency: number, task: () => Promise<boolean>): Promise<void> {
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (await task());
    }),
  );
}

async function floodVictim(n: number): Promise<void> {
  const alice = await signIn({ issuer });
  const anonymous = (await authorizationRequest({ issuer, clientId: SPA_CLIENT_ID })).url;
  const statuses = new Map<string, number>();
  let sent = 0;
  const started = performance.now();
  await workers(16, async () => {
    if (sent >= n) return false;
    sent++;
    const response = await fetch(anonymous, { redirect: 'manual' });
    await response.body?.cancel();
    count(statuses, String(response.status));
    return true;
  });
  const seconds = (performance.now() - started) / 1000;

  const refreshed = await alice.refresh();
  const silent = await authorizationRequest({ issuer, dpop: alice.dpop, prompt: 'none' });
  const { url } = await followRedirects(alice.jar, silent.url, silent.redirectUri);
  const params = new URL(url).searchParams;
  console.log(`flood: ${n} anonymous GET /auth in ${seconds.toFixed(1)} s (${show(statuses)})`);
  console.log(
    `  victim's refresh afterwards: ${refreshed.status}${refreshed.status === 200 ? '' : ` ${String(refreshed.body['error'])}`}`,
  );
  console.log(
    `  victim's prompt=none afterwards: ${params.get('code') ? 'code (session kept)' : params.get('error')}`,
  );
}

async function guessesPerSecond(seconds: number): Promise<void> {
  const started = await startAuthorization({ issuer });
  const statuses = new Map<string, number>();
  const until = performance.now() + seconds * 1000;
  await workers(4, async () => {
    if (performance.now() >= until) return false;
    const response = await started.jar.fetch(started.loginPage.action, {
      method: 'POST',
      body: new URLSearchParams({ username: 'bob', password: 'not-the-password' }),
    });
    await response.body?.cancel();
    count(statuses, String(response.status));
    return true;
  });
  const checked = statuses.get('401') ?? 0;
  console.log(
    `guesses: ${checked} wrong passwords checked in ${seconds} s = ${(checked / seconds).toFixed(1)} per second (${show(statuses)})`,
  );
  const right = await submitLogin(started, 'bob', 'bob-password');
  console.log(
    `  the right password right after: ${right.ok ? 'accepted' : `refused (${right.status})`}`,
  );
}

// Guesses first: the flood may use up this address's share of sign-in pages.
await guessesPerSecond(Number(values.seconds));
await floodVictim(Number(values.flood));

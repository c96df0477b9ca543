/**
 * Server nonces (RFC 9449 §9, §4.3 (10)): when the server asks for one, a proof must carry a
 * nonce it issued recently — not none, not one it never issued, not another server's, not an
 * expired one. Not applicable to a server that does not ask for nonces.
 *
 * These requests are not retried after a `use_dpop_nonce` answer: that answer is what they test.
 */
import { asksForNonce, describeAnswer } from './answer.ts';
import { expectRefused, notApplicable, type ConformanceCheck, type Verdict } from './check.ts';
import type { Probe } from './probe.ts';

const NO_NONCES = 'this server does not ask for DPoP nonces';
const REFUSES_NONCE = 'refuses: 401 use_dpop_nonce';

/** Sends a correct proof carrying `nonce` (none when undefined), without the usual retry. */
async function sendWithNonce(probe: Probe, nonce: string | undefined) {
  return probe.exchange(async () => probe.dpop(await probe.proof({ nonce })), { retry: false });
}

function nonceCheck(
  check: Pick<ConformanceCheck, 'id' | 'title' | 'reference'> & { expected?: string },
  run: (probe: Probe) => Promise<Verdict>,
): ConformanceCheck {
  return {
    expected: REFUSES_NONCE,
    ...check,
    required: true,
    run: (probe) => (probe.requiresNonce ? run(probe) : Promise.resolve(notApplicable(NO_NONCES))),
  };
}

export const NONCE_CHECKS: readonly ConformanceCheck[] = [
  nonceCheck(
    {
      id: 'nonce-missing',
      title: 'Proof without a nonce',
      reference: 'RFC 9449 §9',
      expected: 'refuses: 401 use_dpop_nonce + DPoP-Nonce',
    },
    async (probe) => {
      const answer = await sendWithNonce(probe, undefined);
      if (asksForNonce(answer))
        return { outcome: 'pass', observed: `${describeAnswer(answer)} + DPoP-Nonce` };
      return { ...expectRefused(answer), outcome: 'fail', note: 'it asked for a nonce before' };
    },
  ),
  nonceCheck(
    {
      id: 'nonce-bogus',
      title: 'Proof with a nonce the server never issued',
      reference: 'RFC 9449 §4.3 (10), §9',
    },
    async (probe) => expectRefused(await sendWithNonce(probe, 'dpop-conformance-bogus-nonce')),
  ),
  nonceCheck(
    {
      id: 'nonce-foreign',
      title: "Proof with another server's nonce",
      reference: 'RFC 9449 §4.3 (10), §9',
    },
    async (probe) => {
      const foreign = probe.options.foreignNonce;
      if (!foreign) return notApplicable('no other server gave a nonce to try');
      const verdict = expectRefused(await sendWithNonce(probe, foreign.value));
      return { ...verdict, note: verdict.note ?? `the nonce of ${foreign.from}` };
    },
  ),
  nonceCheck(
    {
      id: 'nonce-stale',
      title: 'Proof with an expired nonce of this server',
      reference: 'RFC 9449 §4.3 (10), §11.1',
    },
    async (probe) => {
      const wait = probe.options.staleNonceAfterSeconds;
      const first = probe.firstNonce;
      if (wait === undefined || !first) {
        return notApplicable(
          "not run: a nonce expires only after the server's nonce lifetime; run npm run conformance -- --stale-nonce-after SECONDS to wait that long (130 for this lab's API)",
        );
      }
      await probe.sleep(Math.max(0, first.receivedAt + wait * 1000 - Date.now()));
      const verdict = expectRefused(await sendWithNonce(probe, first.value));
      return { ...verdict, note: verdict.note ?? `a nonce ${wait} s old` };
    },
  ),
];

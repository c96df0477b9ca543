/**
 * Server nonces (RFC 9449 §9, §4.3 (10), §11.3): when the server asks for one, a proof must carry
 * a nonce it issued recently — not none, not one it never issued, not another server's, not an
 * expired one. Not applicable to a server that does not ask for nonces. Nonces are what stop
 * proofs made in advance (§11.2), so a server that asks for one and then does not check it lets
 * those through.
 *
 * These requests are not retried after a `use_dpop_nonce` answer: that answer is what they test.
 */
import { originOf } from '@dpop-lab/protocol';
import { asksForNonce, describeAnswer, isAccepted } from './answer.ts';
import { expectRefused, notApplicable, type ConformanceCheck, type Verdict } from './check.ts';
import type { Probe } from './probe.ts';
import { PRE_MADE_PROOF, WRONG_REFUSAL } from './risks.ts';

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
    level: 'MUST',
    risk: PRE_MADE_PROOF,
    run: (probe) => (probe.requiresNonce ? run(probe) : Promise.resolve(notApplicable(NO_NONCES))),
  };
}

/**
 * The foreign nonce, if one from another server is at hand. A nonce of the same origin may well
 * be this server's own (one server, several endpoints: RFC 9449 §9 only says each server accepts
 * the nonces it issued), so refusing it proves nothing and accepting it is allowed.
 */
function foreignNonceFor(probe: Probe): { value: string; issuedBy: string } | string {
  const foreign = probe.options.foreignNonce;
  if (!foreign) return 'no other server gave a nonce to try';
  const origin = originOf(foreign.issuedBy);
  if (origin === originOf(probe.url)) {
    return `the only other nonce at hand came from ${foreign.issuedBy}, on this server's own origin (${origin}), which may share its nonces; a nonce of another server is needed`;
  }
  return foreign;
}

export const NONCE_CHECKS: readonly ConformanceCheck[] = [
  nonceCheck(
    {
      id: 'nonce-missing',
      title: 'Proof without a nonce',
      reference: 'RFC 9449 §9, §11.3',
      expected: 'refuses: 401 use_dpop_nonce + DPoP-Nonce',
    },
    async (probe) => {
      const answer = await sendWithNonce(probe, undefined);
      if (asksForNonce(answer))
        return { outcome: 'pass', observed: `${describeAnswer(answer)} + DPoP-Nonce` };
      if (isAccepted(answer))
        return { ...expectRefused(answer), note: 'it asked for a nonce before' };
      return {
        ...expectRefused(answer),
        outcome: 'fail',
        note: 'refused without a nonce to retry with (use_dpop_nonce and a DPoP-Nonce header)',
        risk: WRONG_REFUSAL,
      };
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
      const foreign = foreignNonceFor(probe);
      if (typeof foreign === 'string') return notApplicable(foreign);
      const verdict = expectRefused(await sendWithNonce(probe, foreign.value));
      return { ...verdict, note: verdict.note ?? `the nonce of ${foreign.issuedBy}` };
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

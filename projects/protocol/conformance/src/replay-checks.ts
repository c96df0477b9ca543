/**
 * A proof is good for one request: the server keeps the `jti` of every proof it accepted for as
 * long as the proof could be accepted, and refuses it again — the proof itself, a new proof
 * reusing its `jti`, and copies of one proof that arrive at the same moment, where a "look up,
 * then store" cache lets several through and only an atomic insert lets exactly one.
 *
 * RFC 9449 §11.1 only says servers "can" store `jti` (no requirement keyword: the level is MAY),
 * and the OpenID Foundation's FAPI 2.0 test only warns ("this 'should' fail"). The default verdict
 * still fails a server that accepts replays, labelled as what they are: without the cache a
 * captured request can be sent again for as long as its `iat` is accepted.
 */
import { decodeJwt } from 'jose';

import { describeAnswer, isAccepted, isRefused, type Answer } from './answer.ts';
import {
  expectRefused,
  FAPI_WARNS,
  REFUSES_PROOF,
  seen,
  type ConformanceCheck,
  type Verdict,
} from './check.ts';
import type { HeaderList, Probe } from './probe.ts';
import { NO_RESULT, REPLAY, WRONG_REFUSAL } from './risks.ts';

/** Copies of one proof sent at once; bounded, so the race stays harmless. */
export const RACE_COPIES = 20;

/** A correct request the server accepted, and the headers that carried its proof. */
async function acceptedRequest(
  probe: Probe,
): Promise<{ headers: HeaderList; jti: string } | Verdict> {
  let headers: HeaderList = [];
  const answer = await probe.exchange(async () => (headers = probe.dpop(await probe.proof())));
  if (!isAccepted(answer)) {
    return {
      outcome: 'fail',
      ...seen(answer),
      note: 'a correct proof was refused, so replays could not be tried',
      risk: NO_RESULT,
    };
  }
  return { headers, jti: String(decodeJwt(headers[1]![1]).jti) };
}

/** How many of each answer, e.g. `1 × 200, 19 × 401 invalid_dpop_proof`. */
function summarise(answers: readonly Answer[]): string {
  const counts = new Map<string, number>();
  for (const answer of answers) {
    const text = describeAnswer(answer);
    counts.set(text, (counts.get(text) ?? 0) + 1);
  }
  // In order of the answer, not of arrival: the same outcome always reads the same.
  return [...counts]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([text, count]) => `${count} × ${text}`)
    .join(', ');
}

/** A correct request first; once the server accepted it, `again` makes the replay. */
function replay(
  check: Pick<ConformanceCheck, 'id' | 'title' | 'oidf' | 'profile'>,
  again: (probe: Probe, first: { headers: HeaderList; jti: string }) => Promise<HeaderList>,
): ConformanceCheck {
  return {
    ...check,
    reference: 'RFC 9449 §11.1',
    level: 'MAY',
    expected: REFUSES_PROOF,
    risk: REPLAY,
    run: async (probe) => {
      const first = await acceptedRequest(probe);
      if ('outcome' in first) return first;
      return expectRefused(await probe.send(await again(probe, first)));
    },
  };
}

export const REPLAY_CHECKS: readonly ConformanceCheck[] = [
  replay(
    { id: 'replayed-proof', title: 'An accepted proof sent again' },
    async (_probe, first) => first.headers,
  ),
  replay(
    {
      id: 'reused-jti',
      title: 'New proof reusing an accepted jti',
      oidf: "DPoP reuse, Second use of the same jti, this 'should' fail",
      profile: FAPI_WARNS,
    },
    async (probe, first) => probe.dpop(await probe.proof({}, { claims: { jti: first.jti } })),
  ),
  {
    id: 'replay-race',
    title: `One proof sent ${RACE_COPIES} times at once`,
    reference: 'RFC 9449 §11.1',
    level: 'MAY',
    expected: `accepts 1, refuses ${RACE_COPIES - 1}`,
    risk: REPLAY,
    run: async (probe) => {
      const race = async () => probe.sendAtOnce(probe.dpop(await probe.proof()), RACE_COPIES);
      let answers = await race();
      // A nonce that rolled over just then: once more, with the new one.
      if (answers.every((answer) => answer.error === 'use_dpop_nonce')) answers = await race();
      const accepted = answers.filter(isAccepted).length;
      const observed = summarise(answers);
      if (accepted === 1 && answers.every((a) => isAccepted(a) || isRefused(a))) {
        return { outcome: 'pass', observed };
      }
      if (accepted > 1) {
        const note = `${accepted} copies were accepted: the replay check is missing, or looks up and stores in two steps`;
        return { outcome: 'fail', observed, note };
      }
      return accepted === 0
        ? { outcome: 'fail', observed, note: 'none was accepted', risk: NO_RESULT }
        : {
            outcome: 'fail',
            observed,
            note: 'the copies it refused should get 401',
            risk: WRONG_REFUSAL,
          };
    },
  },
];

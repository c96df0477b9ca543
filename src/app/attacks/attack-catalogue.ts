/**
 * The attack lab's attacks: what a thief holding a copied token (and maybe a captured proof)
 * tries, what the API answers, and one sentence on why. Plain data and one pure function, so the
 * explanations are unit-tested apart from the network.
 */
import { DefenceOutcome, outcomeOfStatus } from './defence-outcome';

export type AttackId =
  | 'bearer-replay'
  | 'dpop-as-bearer'
  | 'no-proof'
  | 'replayed-proof'
  | 'wrong-url'
  | 'foreign-key'
  | 'old-iat';

export interface Attack {
  id: AttackId;
  /** The button's label. */
  title: string;
  /** What the attacker sends, in one or two sentences. */
  does: string;
  /** The session this attack needs: a DPoP-bound token, or the bearer client's plain token. */
  needs: 'DPoP' | 'Bearer';
  /** What the API answers when it does its job. */
  expected: { status: number; error?: string };
  /** Why, in one sentence, when the answer is the expected one. */
  why: string;
}

export const ATTACKS: readonly Attack[] = [
  {
    id: 'bearer-replay',
    title: 'Reuse the bearer token from another client',
    does: 'Copies the plain bearer token (as from DevTools or a log) and calls GET /api/users with it from a client of its own: no key, no proof.',
    needs: 'Bearer',
    expected: { status: 200 },
    why: 'A bearer token works for whoever holds it — the API cannot tell the thief from you until the token expires. This is what DPoP prevents.',
  },
  {
    id: 'dpop-as-bearer',
    title: 'Send the DPoP token as Bearer',
    does: 'Sends the stolen DPoP-bound token as Authorization: Bearer, without a proof.',
    needs: 'DPoP',
    expected: { status: 401, error: 'invalid_token' },
    why: 'The token carries cnf.jkt, so it is DPoP-bound, and the API accepts it only with the DPoP scheme and a proof from the bound key (RFC 9449 §7.1).',
  },
  {
    id: 'no-proof',
    title: 'Send the DPoP token without a proof',
    does: 'Sends Authorization: DPoP with the stolen token but no DPoP header.',
    needs: 'DPoP',
    expected: { status: 400, error: 'invalid_request' },
    why: 'The DPoP scheme needs a proof in the DPoP header, and only the holder of the private key can make one (RFC 9449 §7.1).',
  },
  {
    id: 'replayed-proof',
    title: 'Replay a captured proof',
    does: 'Lets the app call GET /api/users, captures the token and the accepted proof, and sends exactly that request again.',
    needs: 'DPoP',
    expected: { status: 401, error: 'invalid_dpop_proof' },
    why: 'The API remembers the jti of every proof it accepted and takes each proof only once (RFC 9449 §11.1), so a captured request cannot be sent again.',
  },
  {
    id: 'wrong-url',
    title: 'Use a /api/users proof on /api/apps',
    does: 'Captures a token and a proof the app made for GET /api/users and sends them to GET /api/apps.',
    needs: 'DPoP',
    expected: { status: 401, error: 'invalid_dpop_proof' },
    why: 'The proof’s htu names /api/users and the API compares it with the URL it was sent to (RFC 9449 §4.3), so a proof works for one endpoint only.',
  },
  {
    id: 'foreign-key',
    title: 'Sign a proof with another key',
    does: 'Makes its own key pair and a proof that is right in every claim (htm, htu, ath, the API’s nonce), signed with that key, for the stolen token.',
    needs: 'DPoP',
    expected: { status: 401, error: 'invalid_token' },
    why: 'The proof is valid, but the token’s cnf.jkt names this browser’s key, not the thief’s (RFC 9449 §6.1); without the non-exportable private key the token is useless.',
  },
  {
    id: 'old-iat',
    title: 'Send a proof with an old iat',
    does: 'Signs a proof with this browser’s own key (as script in the page could), right in every claim and nonce, but with an iat ten minutes old — a proof made in advance, kept for later.',
    needs: 'DPoP',
    expected: { status: 401, error: 'invalid_dpop_proof' },
    why: 'The API accepts a proof only within a few minutes of its iat (RFC 9449 §11.1), so a proof made earlier and kept for later has expired.',
  },
];

/** What the API answered to an attack. */
export interface AttackOutcome {
  /** 0 when no response arrived. */
  status: number;
  wwwAuthenticate: string | null;
  error?: string;
  description?: string;
  /** What the attacker did on the way (captures, the nonce handshake). */
  steps: string[];
}

export interface Verdict {
  /** Blocked, got through, no answer: what the defence came to. */
  outcome: DefenceOutcome;
  /** Whether the API answered as it should (for `bearer-replay` that is getting through). */
  asExpected: boolean;
  why: string;
}

/** The verdict and the one-sentence reason for an outcome. */
export function explain(attack: Attack, answer: AttackOutcome): Verdict {
  const outcome = outcomeOfStatus(answer.status);
  const asExpected =
    answer.status === attack.expected.status &&
    (attack.expected.error === undefined || answer.error === attack.expected.error);
  const verdict = (why: string): Verdict => ({ outcome, asExpected, why });
  if (asExpected) return verdict(attack.why);
  switch (outcome) {
    case 'no-answer':
      return verdict('The API did not answer: is it running (npm start)?');
    case 'server-error':
      return verdict(`The API failed (${answer.status}) instead of answering: see its log.`);
    case 'got-through':
      return verdict(
        `It got through (${answer.status}), though the API should have blocked it: check its DPoP checks.`,
      );
    case 'blocked': {
      const reason = answer.description ? `: ${answer.description}` : '.';
      return verdict(
        `Blocked (${answer.status}${answer.error ? ` ${answer.error}` : ''}) for another reason than usual${reason}`,
      );
    }
  }
}

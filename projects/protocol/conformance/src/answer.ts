/**
 * What a resource server answered, read once into one value by @dpop-lab/protocol's
 * `readDpopAnswer` (the OAuth error from `WWW-Authenticate`, else from a JSON body; the
 * `DPoP-Nonce`; the `Date`), with the challenge as sent and why there was no answer, if none came.
 * In a browser only the headers the server lists in `Access-Control-Expose-Headers` are readable;
 * the rest read as absent.
 */
import { isNonceChallenge, readDpopAnswer, type DpopAnswer } from '@dpop-lab/protocol';

export interface Answer extends Omit<DpopAnswer, 'challenged'> {
  /** The `WWW-Authenticate` header as sent. */
  challenge?: string;
  /** Why there was no answer (status 0): a network error or the time limit. */
  failure?: string;
}

/** An error body longer than this is not read (an OAuth error body is small). */
const MAX_BODY_CHARACTERS = 64 * 1024;

export async function readAnswer(response: Response): Promise<Answer> {
  const text = response.ok ? undefined : await response.text();
  if (response.ok) await response.body?.cancel();
  const body = text !== undefined && text.length <= MAX_BODY_CHARACTERS ? text : undefined;
  const { status } = response;
  const { error, description, nonce, date } = readDpopAnswer({
    status,
    headers: response.headers,
    body,
  });
  // A challenge with an error but no description: the table still shows what the body says.
  const explained =
    description ?? readDpopAnswer({ status, headers: { get: () => null }, body }).description;
  const challenge = response.headers.get('www-authenticate');
  return {
    status,
    ...(error ? { error } : {}),
    ...(explained ? { description: explained } : {}),
    ...(nonce ? { nonce } : {}),
    ...(challenge === null ? {} : { challenge }),
    ...(date === undefined ? {} : { date }),
  };
}

export const isAccepted = (answer: Answer): boolean => answer.status >= 200 && answer.status < 300;

/** RFC 9449 §7.1 and RFC 6750 §3.1: a refused proof or token gets 401 (400 for a malformed request). */
export const isRefused = (answer: Answer): boolean =>
  answer.status === 400 || answer.status === 401;

/** A nonce challenge with a nonce to retry with (RFC 9449 §9). */
export const asksForNonce = (answer: Answer): boolean =>
  isNonceChallenge({ ...answer, challenged: answer.challenge !== undefined }) &&
  answer.nonce !== undefined;

/** `401 invalid_dpop_proof`, `200`, `no answer (…)`: what the table shows. */
export function describeAnswer(answer: Answer): string {
  if (answer.status === 0) return `no answer (${answer.failure ?? 'network error'})`;
  return answer.error ? `${answer.status} ${answer.error}` : String(answer.status);
}

/**
 * What a resource server answered, read once into one value: the status, the OAuth error code and
 * description (from `WWW-Authenticate`, RFC 6750 §3, else from a JSON body), the `DPoP-Nonce` it
 * issued (RFC 9449 §9) and its clock (`Date`). In a browser only the headers the server lists in
 * `Access-Control-Expose-Headers` are readable; the rest read as absent.
 */
export interface Answer {
  /** 0 when there was no answer (see `failure`). */
  status: number;
  error?: string;
  description?: string;
  nonce?: string;
  /** The `WWW-Authenticate` header as sent. */
  challenge?: string;
  /** The server's clock, epoch milliseconds, from its `Date` header. */
  date?: number;
  /** Why there was no answer: a network error or the time limit. */
  failure?: string;
}

/** A body longer than this is not an OAuth error body: it is not read further. */
const MAX_BODY_CHARACTERS = 64 * 1024;

function parameter(challenge: string, name: string): string | undefined {
  const match = new RegExp(`\\b${name}="((?:[^"\\\\]|\\\\.)*)"`, 'i').exec(challenge);
  return match?.[1]?.replace(/\\(.)/g, '$1');
}

function errorOfBody(text: string): { error?: string; description?: string } {
  if (text.length > MAX_BODY_CHARACTERS) return {};
  try {
    const body = JSON.parse(text) as { error?: unknown; error_description?: unknown } | null;
    return {
      ...(typeof body?.error === 'string' ? { error: body.error } : {}),
      ...(typeof body?.error_description === 'string'
        ? { description: body.error_description }
        : {}),
    };
  } catch {
    return {};
  }
}

export async function readAnswer(response: Response): Promise<Answer> {
  const challenge = response.headers.get('www-authenticate') ?? undefined;
  const nonce = response.headers.get('dpop-nonce') ?? undefined;
  const date = Date.parse(response.headers.get('date') ?? '');
  const fromBody = response.ok ? {} : errorOfBody(await response.text());
  if (response.ok) await response.body?.cancel();
  const error = (challenge ? parameter(challenge, 'error') : undefined) ?? fromBody.error;
  const description =
    (challenge ? parameter(challenge, 'error_description') : undefined) ?? fromBody.description;
  return {
    status: response.status,
    ...(error ? { error } : {}),
    ...(description ? { description } : {}),
    ...(nonce ? { nonce } : {}),
    ...(challenge ? { challenge } : {}),
    ...(Number.isNaN(date) ? {} : { date }),
  };
}

export const isAccepted = (answer: Answer): boolean => answer.status >= 200 && answer.status < 300;

/** RFC 9449 §7.1 and RFC 6750 §3.1: a refused proof or token gets 401 (400 for a malformed request). */
export const isRefused = (answer: Answer): boolean =>
  answer.status === 400 || answer.status === 401;

export const asksForNonce = (answer: Answer): boolean =>
  answer.error === 'use_dpop_nonce' && answer.nonce !== undefined;

/** `401 invalid_dpop_proof`, `200`, `no answer (…)`: what the table shows. */
export function describeAnswer(answer: Answer): string {
  if (answer.status === 0) return `no answer (${answer.failure ?? 'network error'})`;
  return answer.error ? `${answer.status} ${answer.error}` : String(answer.status);
}

import { HttpErrorResponse, HttpResponseBase } from '@angular/common/http';

/** The error a DPoP-aware server reported (RFC 6750 §3, RFC 9449 §7.1, RFC 6749 §5.2). */
export interface DpopServerError {
  error: string;
  error_description?: string;
}

/**
 * Reads the server's `error` and `error_description` from a response: first from a
 * `WWW-Authenticate: DPoP …` challenge (resource servers, RFC 9449 §7.1), then from a JSON body
 * (token endpoints, RFC 6749 §5.2, RFC 9449 §8). Returns null when neither carries an error —
 * including when CORS hides `WWW-Authenticate` from the browser.
 */
export function readDpopError(response: HttpResponseBase): DpopServerError | null {
  const challenge = dpopChallenge(response.headers.getAll('WWW-Authenticate') ?? []);
  if (challenge?.['error']) {
    return withDescription(challenge['error'], challenge['error_description']);
  }
  const body = response instanceof HttpErrorResponse ? response.error : bodyOf(response);
  return errorFromBody(body);
}

function bodyOf(response: HttpResponseBase): unknown {
  return 'body' in response ? response.body : undefined;
}

function errorFromBody(body: unknown): DpopServerError | null {
  if (typeof body === 'string') {
    try {
      return errorFromBody(JSON.parse(body));
    } catch {
      return null;
    }
  }
  if (typeof body !== 'object' || body === null) {
    return null;
  }
  const { error, error_description } = body as Record<string, unknown>;
  if (typeof error !== 'string' || !error) {
    return null;
  }
  return withDescription(
    error,
    typeof error_description === 'string' ? error_description : undefined,
  );
}

function withDescription(error: string, description: string | undefined): DpopServerError {
  return description === undefined ? { error } : { error, error_description: description };
}

/** The auth-params of the `DPoP` challenge among the header's challenges, if there is one. */
export function dpopChallenge(headerValues: readonly string[]): Record<string, string> | null {
  for (const challenge of parseChallenges(headerValues.join(', '))) {
    if (challenge.scheme.toLowerCase() === 'dpop') {
      return challenge.params;
    }
  }
  return null;
}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

// RFC 9110 §11.6.1: challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ], several per
// header, comma-separated. Commas also separate auth-params, so a token that is not followed by
// `=` starts the next challenge.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;
const TOKEN68_AFTER_SCHEME = /^\s+[A-Za-z0-9\-._~+/]+=*\s*(?=,|$)/;

export function parseChallenges(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let rest = header;
  while (rest) {
    rest = rest.replace(/^[\s,]+/, '');
    const token = TOKEN.exec(rest)?.[0];
    if (!token) {
      rest = rest.replace(/^[^,]*/, ''); // unparseable: skip to the next comma
      continue;
    }
    rest = rest.slice(token.length);
    const current = challenges.at(-1);
    const equals = /^\s*=\s*/.exec(rest);
    if (current && equals) {
      const [value, after] = readParamValue(rest.slice(equals[0].length));
      current.params[token.toLowerCase()] = value;
      rest = after;
      continue;
    }
    challenges.push({ scheme: token, params: {} });
    // Another scheme's token68 credentials (`Basic abc==`) carry nothing for DPoP: skip them.
    rest = rest.replace(TOKEN68_AFTER_SCHEME, '');
  }
  return challenges;
}

/** Reads a token or quoted-string (with `\` escapes); returns the value and the rest. */
function readParamValue(text: string): [string, string] {
  if (!text.startsWith('"')) {
    const value = TOKEN.exec(text)?.[0] ?? '';
    return [value, text.slice(value.length)];
  }
  let value = '';
  let i = 1;
  for (; i < text.length && text[i] !== '"'; i++) {
    value += text[i] === '\\' && i + 1 < text.length ? text[++i] : text[i];
  }
  return [value, text.slice(i + 1)];
}

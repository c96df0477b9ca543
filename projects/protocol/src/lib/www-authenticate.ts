/** The `WWW-Authenticate` header as RFC 9110 §11.6.1 defines it: challenges and their parameters. */

export interface Challenge {
  /** As sent; compare it case-insensitively (RFC 9110 §11.1). */
  scheme: string;
  /** Parameter names lower-cased (§11.2), values as read: a token, or an unescaped quoted-string. */
  params: Record<string, string>;
}

// challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ], several per header, comma-separated.
// Commas also separate auth-params, so a token that is not followed by `=` starts the next challenge.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;
const TOKEN68_AFTER_SCHEME = /^\s+[A-Za-z0-9\-._~+/]+=*\s*(?=,|$)/;

/**
 * Every challenge of a `WWW-Authenticate` header: its value, or its values when the server sent
 * the header several times. An auth-param value may be a token (`error=use_dpop_nonce`) or a
 * quoted-string (`error="use_dpop_nonce"`): both mean the same (§11.2).
 */
export function readChallenges(header: string | readonly string[] | null | undefined): Challenge[] {
  const challenges: Challenge[] = [];
  let rest = typeof header === 'string' ? header : (header ?? []).join(', ');
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

/** The parameters of the `DPoP` challenge (scheme in any letter case), or undefined. */
export function dpopChallengeOf(
  header: string | readonly string[] | null | undefined,
): Record<string, string> | undefined {
  return readChallenges(header).find((c) => c.scheme.toLowerCase() === 'dpop')?.params;
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

/**
 * Builds the `WWW-Authenticate: DPoP …` challenge (RFC 9449 §7.1, RFC 6750 §3).
 *
 * Descriptions may quote values from the request, so every parameter value is reduced to the
 * characters RFC 6750 §3 allows inside a quoted error_description (%x20-21 / %x23-5B / %x5D-7E):
 * no `"`, no `\`, no CR/LF, nothing outside printable ASCII. Nothing a client sends can close the
 * quoted string, add a parameter or split the header.
 */
import { PROOF_ALGORITHMS } from './algorithms.ts';

const OUTSIDE_QUOTED_TEXT = /[^\x20\x21\x23-\x5B\x5D-\x7E]/g;
const MAX_PARAM_LENGTH = 400;

/** Makes any text safe to put between double quotes in a header parameter. */
export function toQuotableText(text: string): string {
  const safe = text
    .replace(/§/g, 'section ')
    .replace(/±/g, '+/-')
    .replace(/…/g, '...')
    .replace(/"/g, "'")
    .replace(OUTSIDE_QUOTED_TEXT, '?');
  return safe.length > MAX_PARAM_LENGTH ? `${safe.slice(0, MAX_PARAM_LENGTH - 3)}...` : safe;
}

export interface ChallengeParams {
  error?: string | undefined;
  errorDescription?: string | undefined;
  scope?: string | undefined;
  algs?: readonly string[];
}

/** `DPoP error="…", error_description="…", scope="…", algs="ES256 …"`; absent params are left out. */
export function formatDpopChallenge(params: ChallengeParams): string {
  const entries: [string, string | undefined][] = [
    ['error', params.error],
    ['error_description', params.errorDescription],
    ['scope', params.scope],
    ['algs', (params.algs ?? PROOF_ALGORITHMS).join(' ')],
  ];
  const rendered = entries
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([name, value]) => `${name}="${toQuotableText(value)}"`);
  return `DPoP ${rendered.join(', ')}`;
}

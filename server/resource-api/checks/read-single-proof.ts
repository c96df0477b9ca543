/**
 * The DPoP scheme comes with exactly one DPoP header holding one proof (RFC 9449 §4.3 item 1,
 * §7.1).
 *
 * Status and code: a missing or repeated DPoP header is answered 400 invalid_request.
 * RFC 6750 §3.1 defines invalid_request for a request that "is missing a required parameter ...
 * repeats the same parameter ... or is otherwise malformed", with 400. invalid_dpop_proof
 * (RFC 9449 §12.2) means "the DPoP proof is invalid": that fits a proof we could read and reject,
 * not a request without a proof or with two of them, where we cannot tell which one is meant.
 *
 * Node joins repeated headers it does not know with ", " in `req.headers`, so the caller passes
 * `req.headersDistinct.dpop` (one entry per header line); a comma inside one value (a compact JWS
 * never has one) is a list of proofs folded into one line and counts as more than one.
 */
import { invalidRequest } from '../errors.ts';

export function readSingleProof(dpop: readonly string[] | undefined): string {
  const values = (dpop ?? []).map((value) => value.trim()).filter((value) => value !== '');
  if (values.length === 0) {
    throw invalidRequest(
      'The DPoP scheme needs a DPoP header carrying a proof JWT: sign a fresh proof for this request ' +
        'and send it in the DPoP header (RFC 9449 §4.1, §7.1).',
    );
  }
  if (values.length > 1 || values[0]!.includes(',')) {
    throw invalidRequest(
      'The request carries more than one DPoP proof: send exactly one DPoP header with one proof (RFC 9449 §4.3).',
    );
  }
  return values[0]!;
}

/**
 * The `jwk` in the proof header is an asymmetric public key (RFC 9449 §4.3 item 7:
 * "the jwk JOSE Header Parameter does not contain a private key").
 *
 * A symmetric (`oct`) key can only make a MAC, which anyone holding the key can forge, and a
 * private key in a header has been disclosed to everyone who sees the request. Both are refused
 * before any cryptography runs.
 */
import type { JWK } from 'jose';

import { invalidProof, quoteValue } from '../errors.ts';

const ASYMMETRIC_KEY_TYPES = ['EC', 'RSA', 'OKP'];
/** Members that only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
const SECRET_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

export function checkProofKeyIsPublic(jwk: JWK): void {
  if (!ASYMMETRIC_KEY_TYPES.includes(String(jwk.kty))) {
    throw invalidProof(
      `The DPoP proof jwk has kty ${quoteValue(jwk.kty ?? 'missing')}: use an asymmetric public key (EC, RSA or OKP).`,
    );
  }
  const secret = SECRET_MEMBERS.filter((member) => member in jwk);
  if (secret.length > 0) {
    throw invalidProof(
      `The DPoP proof jwk contains private key material (${secret.join(', ')}): put only the public key in the header, and treat this key as leaked.`,
    );
  }
}

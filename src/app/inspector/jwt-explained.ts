/**
 * Decoding and explaining what the inspector shows: DPoP proofs (RFC 9449 §4.2) and JWT access
 * tokens (RFC 9068). Decoding here is for reading only: nothing is verified — the servers verify
 * signatures, this page does not, and a decoded token is not a trusted one.
 */
import { decodeJwt as decodeJwtClaims, decodeProtectedHeader } from 'jose';

export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** One header parameter or claim as a row: its value for display and what it means. */
export interface ClaimRow {
  name: string;
  value: string;
  meaning: string;
  /** Where it is defined, e.g. `RFC 9449 §4.2`. */
  source?: string;
}

interface Explanation {
  meaning: string;
  source: string;
}

/** The parts of a compact JWS, decoded without any check; null when it is not a JWT (opaque). */
export function decodeJwt(jwt: string): DecodedJwt | null {
  try {
    return { header: decodeProtectedHeader(jwt), claims: decodeJwtClaims(jwt) };
  } catch {
    return null;
  }
}

export const PROOF_HEADER: Readonly<Record<string, Explanation>> = {
  typ: {
    meaning: 'Must be dpop+jwt: marks the JWT as a DPoP proof, so no other JWT can pass for one.',
    source: 'RFC 9449 §4.2',
  },
  alg: {
    meaning: 'The asymmetric algorithm of the signature: never none, never a shared-secret MAC.',
    source: 'RFC 9449 §4.2',
  },
  jwk: {
    meaning:
      "The public key that signed the proof. The server verifies the signature with it and compares its thumbprint with the token's cnf.jkt.",
    source: 'RFC 9449 §4.2',
  },
};

export const PROOF_CLAIMS: Readonly<Record<string, Explanation>> = {
  jti: {
    meaning:
      'A unique id for this proof: the server remembers it and refuses the same proof twice.',
    source: 'RFC 9449 §4.2, §11.1',
  },
  htm: {
    meaning: 'The HTTP method of the one request this proof is for.',
    source: 'RFC 9449 §4.2',
  },
  htu: {
    meaning:
      'The URL of that request, without query and fragment: the proof is refused anywhere else.',
    source: 'RFC 9449 §4.2',
  },
  iat: {
    meaning: 'When the proof was made: servers accept it only for a few minutes.',
    source: 'RFC 9449 §4.2, §11.1',
  },
  ath: {
    meaning:
      'base64url(SHA-256(access token)): ties the proof to the one access token sent with it.',
    source: 'RFC 9449 §4.2',
  },
  nonce: {
    meaning:
      'A value the server handed out (DPoP-Nonce): shows the proof was made after that answer, not in advance.',
    source: 'RFC 9449 §4.2, §8, §9',
  },
};

export const ACCESS_TOKEN_CLAIMS: Readonly<Record<string, Explanation>> = {
  iss: { meaning: 'The authorization server that issued the token.', source: 'RFC 9068 §2.2' },
  sub: {
    meaning: 'Who the token is about: the user, or the client itself for client credentials.',
    source: 'RFC 9068 §2.2',
  },
  aud: {
    meaning: 'The API the token is for (the RFC 8707 resource indicator): other APIs refuse it.',
    source: 'RFC 9068 §2.2',
  },
  exp: { meaning: 'When the token stops working.', source: 'RFC 9068 §2.2' },
  iat: { meaning: 'When the token was issued.', source: 'RFC 9068 §2.2' },
  jti: { meaning: 'The token’s own unique id.', source: 'RFC 9068 §2.2' },
  scope: {
    meaning: 'What the token may do: the API checks its route’s scope against it.',
    source: 'RFC 9068 §2.2.3',
  },
  client_id: {
    meaning: 'The client the token was issued to.',
    source: 'RFC 9068 §2.2',
  },
  cnf: {
    meaning:
      'Confirmation: jkt is the SHA-256 thumbprint of the key the token is bound to. Only proofs signed by that key make the token work.',
    source: 'RFC 9449 §6.1',
  },
};

/** Rows for each member of `values`, explained by `explanations` (unknown ones say so). */
export function rowsOf(
  values: Record<string, unknown>,
  explanations: Readonly<Record<string, Explanation>>,
): ClaimRow[] {
  return Object.entries(values).map(([name, value]) => {
    const explanation = explanations[name];
    return {
      name,
      value: displayValue(name, value),
      meaning: explanation?.meaning ?? 'Not defined for this kind of JWT; carried along as is.',
      ...(explanation ? { source: explanation.source } : {}),
    };
  });
}

/** Strings as they are, times also as a date, objects as JSON. */
export function displayValue(name: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && ['iat', 'exp', 'nbf', 'auth_time'].includes(name)) {
    return `${value} (${new Date(value * 1000).toISOString()})`;
  }
  return JSON.stringify(value);
}

/** `cnf.jkt` of decoded token claims, if any. */
export function cnfJkt(claims: Record<string, unknown>): string | undefined {
  const cnf = claims['cnf'];
  const jkt =
    typeof cnf === 'object' && cnf !== null ? (cnf as Record<string, unknown>)['jkt'] : undefined;
  return typeof jkt === 'string' ? jkt : undefined;
}

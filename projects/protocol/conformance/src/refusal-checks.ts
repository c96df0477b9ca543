/**
 * What a conforming resource server refuses (RFC 9449 §4.3, §7.1): the negative tests of the
 * OpenID Foundation's FAPI 2.0 DPoP test (`fapi2-security-profile-final-dpop-negative-tests`),
 * plus a proof signed with a MAC and `htm` in lower case. Each request is a correct one with one
 * thing wrong, and carries the server's current nonce, so the refusal is for that one thing.
 */
import { base64url, exportJWK, generateKeyPair } from 'jose';

import { athOf, createProofKey } from '@dpop-lab/protocol';
import { describeAnswer, isAccepted } from './answer.ts';
import { expectRefused, REFUSES_PROOF, type ConformanceCheck } from './check.ts';
import type { HeaderList, Probe } from './probe.ts';

const HOUR = 3600;

/** A signed proof with its header changed afterwards (`undefined` removes), signature kept. */
function reheaded(proof: string, changes: Record<string, unknown>): string {
  const [header = '', payload, signature] = proof.split('.');
  const members = JSON.parse(new TextDecoder().decode(base64url.decode(header))) as Record<
    string,
    unknown
  >;
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) delete members[name];
    else members[name] = value;
  }
  return [base64url.encode(JSON.stringify(members)), payload, signature].join('.');
}

type Build = (probe: Probe) => Promise<HeaderList>;

function refusal(
  check: Pick<ConformanceCheck, 'id' | 'title' | 'reference' | 'oidf' | 'required'> & {
    expected?: string;
  },
  build: Build,
): ConformanceCheck {
  return {
    expected: REFUSES_PROOF,
    ...check,
    run: async (probe) => expectRefused(await probe.exchange(() => build(probe))),
  };
}

/** Sends the proof `make` signs, in the usual headers. */
const withProof =
  (make: (probe: Probe) => Promise<string>): Build =>
  async (probe) =>
    probe.dpop(await make(probe));

const missing = (member: string, where: 'header' | 'claims', rule: string): ConformanceCheck =>
  refusal(
    {
      id: `no-${member}`,
      title: `Proof without ${member}`,
      reference: rule,
      // The OIDF test names its blocks so; only typ's says "in header".
      oidf: `Try DPoP proof where '${member}' is missing${member === 'typ' ? ' in header' : ''}`,
      required: true,
    },
    withProof((probe) =>
      member === 'alg'
        ? // A JWS cannot be signed without alg: sign, then take it out of the header.
          probe.proof().then((proof) => reheaded(proof, { alg: undefined }))
        : probe.proof({}, { [where]: { [member]: undefined } }),
    ),
  );

export const REFUSAL_CHECKS: readonly ConformanceCheck[] = [
  {
    id: 'no-credentials',
    title: 'No Authorization header',
    reference: 'RFC 9449 §7.1, RFC 6750 §3',
    expected: '401, WWW-Authenticate: DPoP',
    required: true,
    run: async (probe) => {
      const answer = await probe.send([]);
      const observed = describeAnswer(answer);
      if (answer.status !== 401) {
        return {
          outcome: 'fail',
          observed,
          note: isAccepted(answer) ? 'accepted it' : 'a request without credentials gets 401',
        };
      }
      if (!/(^|[\s,])DPoP(\s|,|$)/i.test(answer.challenge ?? '')) {
        return {
          outcome: 'fail',
          observed: `401, ${answer.challenge ? `WWW-Authenticate: ${answer.challenge}` : 'no WWW-Authenticate'}`,
          note: 'the DPoP challenge tells a client this API wants DPoP, and with which algs (a browser reads it only if CORS exposes WWW-Authenticate)',
        };
      }
      return { outcome: 'pass', observed: '401, WWW-Authenticate: DPoP' };
    },
  },
  refusal(
    {
      id: 'no-proof',
      title: 'DPoP token without a DPoP header',
      reference: 'RFC 9449 §7.1',
      oidf: 'Try resource access without DPoP proof',
      expected: 'refuses: 400 invalid_request or 401',
      required: true,
    },
    async (probe) => [['Authorization', `DPoP ${probe.accessToken}`]],
  ),
  refusal(
    {
      id: 'token-as-bearer',
      title: 'DPoP-bound token sent as Bearer',
      reference: 'RFC 9449 §7.1',
      oidf: "Try resource access without DPoP proof and authorization type changed to 'Bearer'",
      expected: 'refuses: 401 invalid_token',
      required: true,
    },
    async (probe) => [['Authorization', `Bearer ${probe.accessToken}`]],
  ),
  refusal(
    {
      id: 'two-proofs',
      title: 'Two DPoP headers',
      reference: 'RFC 9449 §4.3 (1)',
      oidf: 'Try with more than one DPoP in the header',
      expected: 'refuses: 400 invalid_request or 401',
      required: true,
    },
    async (probe) => [...probe.dpop(await probe.proof()), ['DPoP', await probe.proof()]],
  ),
  refusal(
    {
      id: 'malformed',
      title: 'Proof that is not a JWS (two parts)',
      reference: 'RFC 9449 §4.3 (2)',
      oidf: 'Try DPoP proof not well-formed JWT',
      required: true,
    },
    withProof(async (probe) => (await probe.proof()).split('.').slice(0, 2).join('.')),
  ),
  missing('typ', 'header', 'RFC 9449 §4.2, §4.3 (3)'),
  missing('alg', 'header', 'RFC 9449 §4.2, §4.3 (3)'),
  missing('jwk', 'header', 'RFC 9449 §4.2, §4.3 (3)'),
  missing('jti', 'claims', 'RFC 9449 §4.2, §4.3 (3)'),
  missing('htm', 'claims', 'RFC 9449 §4.2, §4.3 (3)'),
  missing('htu', 'claims', 'RFC 9449 §4.2, §4.3 (3)'),
  missing('iat', 'claims', 'RFC 9449 §4.2, §4.3 (3)'),
  missing('ath', 'claims', 'RFC 9449 §4.3 (12), §7'),
  refusal(
    {
      id: 'bad-typ',
      title: 'Proof with typ: jwt',
      reference: 'RFC 9449 §4.3 (4)',
      oidf: "Try DPoP proof with invalid 'typ' in header",
      required: true,
    },
    withProof((probe) => probe.proof({}, { header: { typ: 'jwt' } })),
  ),
  refusal(
    {
      id: 'alg-none',
      title: 'Proof with alg: none, unsigned',
      reference: 'RFC 9449 §4.3 (5)',
      oidf: 'Try DPoP proof with none alg',
      required: true,
    },
    withProof((probe) => probe.proof({}, { signWith: 'none' })),
  ),
  refusal(
    {
      id: 'alg-hs256',
      title: 'Proof with alg: HS256 (a MAC)',
      reference: 'RFC 9449 §4.3 (5)',
      required: true,
    },
    withProof((probe) => probe.proof({}, { signWith: crypto.getRandomValues(new Uint8Array(32)) })),
  ),
  refusal(
    {
      id: 'bad-signature',
      title: 'Signature that does not verify with jwk',
      reference: 'RFC 9449 §4.3 (6)',
      oidf: 'Try DPoP proof with invalid signature',
      required: true,
    },
    withProof(async (probe) =>
      probe.proof({}, { signWith: await createProofKey(probe.key.algorithm) }),
    ),
  ),
  refusal(
    {
      id: 'private-jwk',
      title: 'Proof whose jwk holds a private key (d)',
      reference: 'RFC 9449 §4.3 (7)',
      oidf: 'Try DPoP proof with jwk header incorrectly containing private key',
      required: true,
    },
    withProof(async (probe) => {
      // The bound key cannot be exported (as it should be): a private member of another key of
      // the same kind makes the jwk just as much a private key.
      const other = await generateKeyPair(probe.key.algorithm, { extractable: true });
      const { d } = await exportJWK(other.privateKey);
      return probe.proof({}, { header: { jwk: { ...probe.key.publicJwk, d } } });
    }),
  ),
  refusal(
    {
      id: 'wrong-htm',
      title: 'Proof for another method (htm)',
      reference: 'RFC 9449 §4.3 (8)',
      oidf: "Try DPoP proof with incorrect 'htm'",
      required: true,
    },
    withProof((probe) => probe.proof({ htm: probe.method === 'PUT' ? 'POST' : 'PUT' })),
  ),
  refusal(
    {
      id: 'lowercase-htm',
      title: 'Proof with htm in lower case',
      reference: 'RFC 9449 §4.3 (8), RFC 9110 §9.1',
      required: true,
    },
    withProof((probe) => probe.proof({ htm: probe.method.toLowerCase() })),
  ),
  refusal(
    {
      id: 'wrong-htu',
      title: 'Proof for another URL (htu)',
      reference: 'RFC 9449 §4.3 (9)',
      oidf: "Try DPoP proof where 'htu' is a different url",
      required: true,
    },
    withProof((probe) => probe.proof({ htu: new URL('/dpop-conformance/elsewhere', probe.url) })),
  ),
  ...(['past', 'future'] as const).map((when) =>
    refusal(
      {
        id: `iat-hour-${when}`,
        title: `Proof with iat one hour in the ${when}`,
        reference: 'RFC 9449 §4.3 (11), §11.1',
        oidf: `Try DPoP proof where 'iat' is one hour in the ${when}`,
        // With nonces, the nonce may be what proves a proof fresh (§11.1): as in the OIDF test,
        // an iat an hour off is then only a warning.
        required: (probe: Probe) => !probe.requiresNonce,
      },
      withProof((probe) => probe.proof({ iat: probe.now() + (when === 'past' ? -HOUR : HOUR) })),
    ),
  ),
  refusal(
    {
      id: 'wrong-ath',
      title: 'ath of another token',
      reference: 'RFC 9449 §4.3 (12), §7',
      oidf: "Try DPoP proof where 'ath' is incorrect",
      required: true,
    },
    withProof(async (probe) =>
      probe.proof({}, { claims: { ath: await athOf(`${probe.accessToken}.another`) } }),
    ),
  ),
  refusal(
    {
      id: 'other-key',
      title: 'Proof signed by another key',
      reference: 'RFC 9449 §4.3 (12), §6.1',
      oidf: 'Try DPoP signed with a different key',
      expected: 'refuses: 401 invalid_token',
      required: true,
    },
    withProof(async (probe) => probe.proof({}, {}, await createProofKey(probe.key.algorithm))),
  ),
];

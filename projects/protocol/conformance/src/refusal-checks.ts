/**
 * What a conforming resource server refuses (RFC 9449 §4.3, §7.1, §7.2): the negative tests of
 * the OpenID Foundation's FAPI 2.0 DPoP test (`fapi2-security-profile-final-dpop-negative-tests`),
 * plus a proof signed with a MAC and `htm` in lower case. Each request is a correct one with one
 * thing wrong, and carries the server's current nonce, so the refusal is for that one thing.
 *
 * Every rule here is a MUST, but not every failure is something a thief could use: accepting a
 * proof whose signature was not checked is; accepting `htm: "get"`, which only the key holder can
 * send, is not (risks.ts).
 */
import { base64url, exportJWK, generateKeyPair } from 'jose';

import { athOf, createProofKey } from '@dpop-lab/protocol';
import { describeAnswer, isAccepted } from './answer.ts';
import {
  expectRefused,
  FAPI_FAILS,
  REFUSES_PROOF,
  type ConformanceCheck,
  type Verdict,
} from './check.ts';
import type { HeaderList, Probe } from './probe.ts';
import {
  FORGED_PROOF,
  KEY_HOLDER_ONLY,
  NO_PROTECTION,
  OLD_PROOF,
  OTHER_JWT,
  PRE_MADE_PROOF,
  PROOF_REUSED_ELSEWHERE,
  STOLEN_TOKEN,
  unlessNonces,
  WRONG_REFUSAL,
  type RiskOf,
} from './risks.ts';

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

/** A MUST of RFC 9449 §4.3 or §7 that the FAPI 2.0 test fails a server for, unless told otherwise. */
function refusal(
  check: Pick<ConformanceCheck, 'id' | 'title' | 'reference' | 'oidf' | 'risk'> &
    Partial<Pick<ConformanceCheck, 'expected' | 'profile'>>,
  build: Build,
): ConformanceCheck {
  return {
    expected: REFUSES_PROOF,
    level: 'MUST',
    ...(check.oidf ? { profile: FAPI_FAILS } : {}),
    ...check,
    run: async (probe) => expectRefused(await probe.exchange(() => build(probe))),
  };
}

/** Sends the proof `make` signs, in the usual headers. */
const withProof =
  (make: (probe: Probe) => Promise<string>): Build =>
  async (probe) =>
    probe.dpop(await make(probe));

const missing = (
  member: string,
  where: 'header' | 'claims',
  rule: string,
  risk: RiskOf,
): ConformanceCheck =>
  refusal(
    {
      id: `no-${member}`,
      title: `Proof without ${member}`,
      reference: rule,
      // The OIDF test names its blocks so; only typ's says "in header".
      oidf: `Try DPoP proof where '${member}' is missing${member === 'typ' ? ' in header' : ''}`,
      risk,
    },
    withProof((probe) =>
      member === 'alg'
        ? // A JWS cannot be signed without alg: sign, then take it out of the header.
          probe.proof().then((proof) => reheaded(proof, { alg: undefined }))
        : probe.proof({}, { [where]: { [member]: undefined } }),
    ),
  );

/** The answer to a request without credentials: 401 and a DPoP challenge (RFC 6750 §3). */
function challengeVerdict(answer: Awaited<ReturnType<Probe['send']>>): Verdict {
  const observed = describeAnswer(answer);
  if (answer.status !== 401) {
    return isAccepted(answer)
      ? { outcome: 'fail', observed, note: 'accepted it' }
      : {
          outcome: 'fail',
          observed,
          note: 'a request without credentials gets 401',
          risk: WRONG_REFUSAL,
        };
  }
  if (!/(^|[\s,])DPoP(\s|,|$)/i.test(answer.challenge ?? '')) {
    return {
      outcome: 'fail',
      observed: `401, ${answer.challenge ? `WWW-Authenticate: ${answer.challenge}` : 'no WWW-Authenticate'}`,
      note: 'the DPoP challenge tells a client this API wants DPoP, and with which algs (a browser reads it only if CORS exposes WWW-Authenticate)',
      risk: WRONG_REFUSAL,
    };
  }
  return { outcome: 'pass', observed: '401, WWW-Authenticate: DPoP' };
}

export const REFUSAL_CHECKS: readonly ConformanceCheck[] = [
  {
    id: 'no-credentials',
    title: 'No Authorization header',
    reference: 'RFC 9449 §7.1, RFC 6750 §3',
    level: 'MUST',
    expected: '401, WWW-Authenticate: DPoP',
    risk: NO_PROTECTION,
    run: async (probe) => challengeVerdict(await probe.send([])),
  },
  refusal(
    {
      id: 'no-proof',
      title: 'DPoP token without a DPoP header',
      reference: 'RFC 9449 §7.1',
      oidf: 'Try resource access without DPoP proof',
      expected: 'refuses: 400 invalid_request or 401',
      risk: STOLEN_TOKEN,
    },
    async (probe) => [['Authorization', `DPoP ${probe.accessToken}`]],
  ),
  refusal(
    {
      id: 'token-as-bearer',
      title: 'DPoP-bound token sent as Bearer',
      reference: 'RFC 9449 §7.2',
      oidf: "Try resource access without DPoP proof and authorization type changed to 'Bearer'",
      expected: 'refuses: 401 invalid_token',
      risk: STOLEN_TOKEN,
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
      risk: KEY_HOLDER_ONLY,
    },
    async (probe) => [...probe.dpop(await probe.proof()), ['DPoP', await probe.proof()]],
  ),
  refusal(
    {
      id: 'malformed',
      title: 'Proof that is not a JWS (two parts)',
      reference: 'RFC 9449 §4.3 (2)',
      oidf: 'Try DPoP proof not well-formed JWT',
      risk: FORGED_PROOF,
    },
    withProof(async (probe) => (await probe.proof()).split('.').slice(0, 2).join('.')),
  ),
  missing('typ', 'header', 'RFC 9449 §4.2, §4.3 (3), §11.5', OTHER_JWT),
  // The header loses alg after signing, so the signature no longer covers what is sent.
  missing('alg', 'header', 'RFC 9449 §4.2, §4.3 (3)', FORGED_PROOF),
  // Without jwk there is no key to check the signature with.
  missing('jwk', 'header', 'RFC 9449 §4.2, §4.3 (3)', FORGED_PROOF),
  missing('jti', 'claims', 'RFC 9449 §4.2, §4.3 (3)', KEY_HOLDER_ONLY),
  missing('htm', 'claims', 'RFC 9449 §4.2, §4.3 (3)', KEY_HOLDER_ONLY),
  missing('htu', 'claims', 'RFC 9449 §4.2, §4.3 (3)', KEY_HOLDER_ONLY),
  // Nothing then dates the proof but a server nonce.
  missing('iat', 'claims', 'RFC 9449 §4.2, §4.3 (3)', unlessNonces(PRE_MADE_PROOF)),
  // ath limits a pre-made proof to the token it was made for (§11.2).
  missing('ath', 'claims', 'RFC 9449 §4.3 (12), §7', unlessNonces(PRE_MADE_PROOF)),
  refusal(
    {
      id: 'bad-typ',
      title: 'Proof with typ: jwt',
      reference: 'RFC 9449 §4.3 (4), §11.5',
      oidf: "Try DPoP proof with invalid 'typ' in header",
      risk: OTHER_JWT,
    },
    withProof((probe) => probe.proof({}, { header: { typ: 'jwt' } })),
  ),
  refusal(
    {
      id: 'alg-none',
      title: 'Proof with alg: none, unsigned',
      reference: 'RFC 9449 §4.3 (5), §11.6',
      oidf: 'Try DPoP proof with none alg',
      risk: FORGED_PROOF,
    },
    withProof((probe) => probe.proof({}, { signWith: 'none' })),
  ),
  refusal(
    {
      id: 'alg-hs256',
      title: 'Proof with alg: HS256 (a MAC)',
      reference: 'RFC 9449 §4.3 (5), §11.6',
      risk: FORGED_PROOF,
    },
    withProof((probe) => probe.proof({}, { signWith: crypto.getRandomValues(new Uint8Array(32)) })),
  ),
  refusal(
    {
      id: 'bad-signature',
      title: 'Signature that does not verify with jwk',
      reference: 'RFC 9449 §4.3 (6)',
      oidf: 'Try DPoP proof with invalid signature',
      risk: FORGED_PROOF,
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
      risk: KEY_HOLDER_ONLY,
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
      risk: PROOF_REUSED_ELSEWHERE,
    },
    withProof((probe) => probe.proof({ htm: probe.method === 'PUT' ? 'POST' : 'PUT' })),
  ),
  refusal(
    {
      id: 'lowercase-htm',
      title: 'Proof with htm in lower case',
      reference: 'RFC 9449 §4.3 (8), RFC 9110 §9.1',
      // Methods are case-sensitive, but a proof for `get` on a GET request names the request
      // it came with: only the key holder can write it so.
      risk: KEY_HOLDER_ONLY,
    },
    withProof((probe) => probe.proof({ htm: probe.method.toLowerCase() })),
  ),
  refusal(
    {
      id: 'wrong-htu',
      title: 'Proof for another URL (htu)',
      reference: 'RFC 9449 §4.3 (9)',
      oidf: "Try DPoP proof where 'htu' is a different url",
      risk: PROOF_REUSED_ELSEWHERE,
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
        // an iat an hour off then exposes nothing.
        profile: { name: 'FAPI 2.0 (without nonces)', verdict: 'fails' },
        risk: unlessNonces(when === 'past' ? OLD_PROOF : PRE_MADE_PROOF),
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
      risk: PROOF_REUSED_ELSEWHERE,
    },
    withProof(async (probe) =>
      probe.proof({}, { claims: { ath: await athOf(`${probe.accessToken}.another`) } }),
    ),
  ),
  refusal(
    {
      id: 'other-key',
      title: 'Proof signed by another key',
      reference: 'RFC 9449 §4.3 (12), §6',
      oidf: 'Try DPoP signed with a different key',
      expected: 'refuses: 401 invalid_token',
      risk: STOLEN_TOKEN,
    },
    withProof(async (probe) => probe.proof({}, {}, await createProofKey(probe.key.algorithm))),
  ),
];

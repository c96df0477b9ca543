/**
 * What a conforming resource server must still accept: correct requests that differ from the
 * usual one in ways RFC 9449 allows. A server that refuses them breaks real clients — a proof
 * made a few seconds early or late, a request with a query string, a header or scheme spelled in
 * another case, members it does not know — but exposes nothing, so by default a refusal only
 * warns. The correct request itself is different: if it is refused, the run proves nothing.
 */
import {
  ACCEPTS,
  expectAccepted,
  FAPI_FAILS,
  FAPI_WARNS,
  notApplicable,
  type ConformanceCheck,
} from './check.ts';
import { asksForNonce, describeAnswer } from './answer.ts';
import { ApiUnreachable, type Probe } from './probe.ts';
import { HONEST_CLIENTS_REFUSED, NO_RESULT } from './risks.ts';

/** Close enough to now for any server (the lab's API accepts iat up to 15 s ahead). */
const SKEW_SECONDS = 10;

function acceptance(
  check: Pick<ConformanceCheck, 'id' | 'title' | 'reference' | 'level' | 'oidf' | 'profile'> &
    Partial<Pick<ConformanceCheck, 'risk'>>,
  send: (probe: Probe) => ReturnType<Probe['exchange']>,
): ConformanceCheck {
  return {
    expected: ACCEPTS,
    risk: HONEST_CLIENTS_REFUSED,
    ...check,
    run: async (probe) => expectAccepted(await send(probe)),
  };
}

/** The usual request, with the proof `make` signs. */
const proofOf = (make: (probe: Probe) => Promise<string>) => (probe: Probe) =>
  probe.exchange(async () => probe.dpop(await make(probe)));

/** The htu a server must find equal to the request URL after RFC 3986 §6.2.2–6.2.3 normalisation. */
function spelledOtherwise(url: string, how: 'upper-case' | 'default-port'): string {
  const { protocol, host, hostname, pathname } = new URL(url);
  if (how === 'upper-case') return `${protocol.toUpperCase()}//${host.toUpperCase()}${pathname}`;
  return `${protocol}//${hostname}:${protocol === 'https:' ? 443 : 80}${pathname}`;
}

/** The first request: a correct one, after the nonce challenge if the server sends one. */
export const CORRECT_REQUEST: ConformanceCheck = {
  id: 'correct-request',
  title: 'A correct request',
  reference: 'RFC 9449 §7.1',
  level: 'MUST',
  expected: ACCEPTS,
  risk: NO_RESULT,
  gate: true,
  run: async (probe) => {
    let answer = await probe.send(probe.dpop(await probe.proof()));
    if (answer.status === 0) {
      throw new ApiUnreachable(
        `${probe.method} ${probe.url} got ${describeAnswer(answer)}: is the server running, and is the URL right?`,
      );
    }
    if (asksForNonce(answer)) {
      probe.requiresNonce = true;
      answer = await probe.send(probe.dpop(await probe.proof()));
    }
    probe.learnClock(answer);
    const verdict = expectAccepted(answer);
    if (verdict.outcome === 'pass') return verdict;
    return {
      ...verdict,
      note: `refused a correct request${answer.description ? ` (${answer.description})` : ''}: is the token for this resource (its audience and scope), and the method right?`,
    };
  },
};

export const ACCEPTANCE_CHECKS: readonly ConformanceCheck[] = [
  acceptance(
    {
      id: 'htu-without-query',
      title: 'Request with a query, htu without it',
      reference: 'RFC 9449 §4.2, §4.3 (9)',
      level: 'MUST',
      oidf: "Try DPoP proof where 'htu' does not contain the query/fragment",
      profile: FAPI_FAILS,
    },
    (probe) => {
      const url = new URL(probe.url);
      url.searchParams.append('dpop-conformance', '1');
      return probe.exchange(async () => probe.dpop(await probe.proof()), { url: url.href });
    },
  ),
  acceptance(
    {
      id: 'extra-members',
      title: 'Unknown header member and claim',
      reference: 'RFC 7515 §4, RFC 7519 §4',
      level: 'MUST',
      oidf: 'Try DPoP proof with extra claims on header and claims',
      profile: FAPI_FAILS,
    },
    proofOf((probe) =>
      probe.proof(
        {},
        { header: { 'x-dpop-conformance': 'ignore me' }, claims: { 'x-dpop-conformance': 1 } },
      ),
    ),
  ),
  ...(['before', 'after'] as const).map((when) =>
    acceptance(
      {
        id: `iat-${SKEW_SECONDS}s-${when}`,
        title: `Proof with iat ${SKEW_SECONDS} s ${when} now`,
        reference: 'RFC 9449 §4.3 (11), §11.1',
        // §11.1 sets no figure for a proof's age, and lets a server accept one from the near
        // future (MAY); clocks a few seconds apart are everyday.
        level: when === 'after' ? 'MAY' : 'beyond the RFCs',
      },
      proofOf((probe) =>
        probe.proof({ iat: probe.now() + (when === 'before' ? -SKEW_SECONDS : SKEW_SECONDS) }),
      ),
    ),
  ),
  acceptance(
    {
      id: 'lowercase-scheme',
      title: 'Scheme in lower case: dpop <token>',
      reference: 'RFC 9449 §7.1, RFC 9110 §11.1',
      level: 'MUST',
    },
    (probe) => probe.exchange(async () => probe.dpop(await probe.proof(), { scheme: 'dpop' })),
  ),
  acceptance(
    {
      id: 'uppercase-header-name',
      title: 'The proof in a header named DPOP',
      reference: 'RFC 9449 §4.1, RFC 9110 §5.1',
      level: 'MUST',
      oidf: 'Try DPoP proof with all upper case header value',
      profile: FAPI_WARNS,
    },
    (probe) => probe.exchange(async () => probe.dpop(await probe.proof(), { header: 'DPOP' })),
  ),
  acceptance(
    {
      id: 'htu-upper-case',
      title: 'htu with scheme and host in upper case',
      reference: 'RFC 9449 §4.3, RFC 3986 §6.2.2',
      level: 'SHOULD',
      oidf: 'Try DPoP proof expecting RS to compare scheme and hostname using case independent mode when validating htu claim',
      profile: FAPI_WARNS,
    },
    proofOf((probe) =>
      probe.proof({}, { claims: { htu: spelledOtherwise(probe.url, 'upper-case') } }),
    ),
  ),
  {
    id: 'htu-default-port',
    title: 'htu with the default port written out',
    reference: 'RFC 9449 §4.3, RFC 3986 §6.2.3',
    level: 'SHOULD',
    oidf: 'Try DPoP proof expecting Scheme based normalization of htu claim, where the port is not considered if that is the default for the scheme.',
    profile: FAPI_WARNS,
    expected: ACCEPTS,
    risk: HONEST_CLIENTS_REFUSED,
    run: async (probe) => {
      if (new URL(probe.url).port !== '') {
        return notApplicable('the URL has a port of its own, so there is no default port to add');
      }
      const htu = spelledOtherwise(probe.url, 'default-port');
      return expectAccepted(await proofOf((p) => p.proof({}, { claims: { htu } }))(probe));
    },
  },
];

/** The last check: the token and key still work, so the refusals above were for their faults. */
export const STILL_WORKS: ConformanceCheck = acceptance(
  {
    id: 'still-works',
    title: 'A correct request, at the end',
    reference: 'RFC 9449 §7.1',
    level: 'MUST',
    oidf: 'Check a correct DPoP proof still works',
    profile: FAPI_FAILS,
    // Refused now, the token or key stopped working during the run: the refusals above may be
    // for that, not for their faults.
    risk: NO_RESULT,
  },
  proofOf((probe) => probe.proof()),
);

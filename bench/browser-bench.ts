/**
 * Benchmarks 1 and 2, in headless Chromium on one page (bench/browser/bench-page.ts):
 *
 * 1. Proof cost: DPoP Lab's `signProof` with the key of `DpopDevtools.key()` (the real key store,
 *    key already loaded) vs the
 *    WebCrypto floor (SHA-256 + ECDSA P-256 sign), jose `SignJWT` alone, panva's `dpop` package
 *    and okta-auth-js's `generateDPoPProof`. Each sample makes many proofs one after another; the
 *    implementations take turns sample by sample, and each figure is the median of its samples.
 * 2. Interceptor overhead: GETs through `HttpClient` with DPoP Lab's interceptor vs a plain bearer
 *    interceptor, against a loopback endpoint; the two take turns, and the overhead is the median
 *    of the per-round differences. IndexedDB opens are counted to show the key comes from memory
 *    after the first call.
 */
import { chromium, type Page } from '@playwright/test';
import { EmbeddedJWK, jwtVerify } from 'jose';

import type { InterceptorKind, ProofImpl } from './browser/bench-page.ts';
import { bundleBenchPage } from './lib/page-bundle.ts';
import { startPageServer } from './lib/page-server.ts';
import { CHROME, CHROME_ARGS } from './lib/paths.ts';
import { median, quantile, round, type Figures } from './lib/results.ts';

const PROOF_ITERATIONS = 200;
const PROOF_SAMPLES = 15;
const REQUESTS_PER_SAMPLE = 100;
const REQUEST_SAMPLES = 15;
const MEMORY_REQUESTS_PER_SAMPLE = 300;
const KINDS: InterceptorKind[] = ['bearer', 'dpop', 'bearer-memory', 'dpop-memory'];

const PROOF_NAMES: Record<ProofImpl, string> = {
  dpopLab: 'DPoP Lab',
  floor: 'WebCrypto floor (SHA-256 + ES256 sign)',
  handBuilt: 'hand-built JWS (WebCrypto, no library)',
  jose: 'jose SignJWT alone',
  dpopPackage: '`dpop` package (ES256)',
  okta: 'okta-auth-js generateDPoPProof (RS256)',
};

/** A realistic access token: an ES256 JWT of the size the embedded server issues. */
const ACCESS_TOKEN = `eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9.${'x'.repeat(560)}.${'s'.repeat(86)}`;

export async function runBrowserBenchmarks(): Promise<Figures> {
  const bundle = await bundleBenchPage();
  const server = await startPageServer(bundle);
  const browser = await chromium.launch({ executablePath: CHROME, args: CHROME_ARGS });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(server.url);
    await page.waitForFunction(() => 'dpopBench' in window, undefined, { timeout: 30_000 });
    if (errors.length) throw new Error(`The bench page failed: ${errors.join('; ')}`);
    const proofFigures = await proofCost(page);
    const interceptorFigures = await interceptorOverhead(page, server);
    return { ...proofFigures, ...interceptorFigures };
  } finally {
    await browser.close();
    await server.close();
  }
}

async function proofCost(page: Page): Promise<Figures> {
  const examples = await page.evaluate((token) => window.dpopBench.proofSetup(token), ACCESS_TOKEN);
  // Every implementation must make a proof that verifies with its own jwk and carries ath (the
  // floor is not a proof: its signature is over a DPoP Lab proof's input, with another key).
  const algs: string[] = [];
  for (const [impl, proof] of Object.entries(examples) as [ProofImpl, string][]) {
    if (impl === 'floor') continue;
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt' });
    if (typeof payload['ath'] !== 'string' || payload['htm'] !== 'GET') {
      throw new Error(
        `${PROOF_NAMES[impl]} made a proof without ath/htm: ${JSON.stringify(payload)}`,
      );
    }
    algs.push(`${impl} ${protectedHeader.alg}`);
  }

  const impls = Object.keys(PROOF_NAMES) as ProofImpl[];
  const samples = Object.fromEntries(impls.map((impl) => [impl, [] as number[]])) as Record<
    ProofImpl,
    number[]
  >;
  // One warm-up round (JIT, first key use), then the measured rounds; order rotates per round.
  for (let r = -1; r < PROOF_SAMPLES; r++) {
    const order = impls.map((_, i) => impls[(i + Math.max(r, 0)) % impls.length]!);
    for (const impl of order) {
      const ms = await page.evaluate(
        ([name, iterations]) =>
          window.dpopBench.proofSample(name as ProofImpl, iterations as number),
        [impl, PROOF_ITERATIONS] as const,
      );
      if (r >= 0) samples[impl].push(ms);
    }
  }
  const ms = Object.fromEntries(impls.map((impl) => [impl, median(samples[impl])])) as Record<
    ProofImpl,
    number
  >;
  const ratio = ms.dpopLab / ms.floor;
  return {
    proof_ms: {
      value: round(ms.dpopLab, 4),
      unit: 'ms',
      compare: Object.fromEntries(
        impls
          .filter((impl) => impl !== 'dpopLab')
          .map((impl) => [PROOF_NAMES[impl], round(ms[impl], 4)]),
      ),
      notes: [
        `proof_ms: median of ${PROOF_SAMPLES} samples × ${PROOF_ITERATIONS} proofs each, one proof with ath, ` +
          `every proof verified with its embedded jwk (${algs.join(', ')}).`,
      ],
    },
    proof_vs_floor: {
      value: round(ratio, 2),
      unit: '×',
      compare: {
        'hand-built JWS (WebCrypto, no library)': round(ms.handBuilt / ms.floor, 2),
        'jose SignJWT alone': round(ms.jose / ms.floor, 2),
      },
      goal: { op: '≤', limit: 1.5 },
    },
  };
}

async function interceptorOverhead(
  page: Page,
  server: Awaited<ReturnType<typeof startPageServer>>,
): Promise<Figures> {
  const apiBase = `${server.url}/api/`;
  await page.evaluate(
    ([base, token]) => window.dpopBench.interceptorSetup(base!, token!),
    [apiBase, ACCESS_TOKEN],
  );
  const opensBefore = await page.evaluate(() => window.dpopBench.indexedDbOpens());
  const sample = (kind: InterceptorKind, requests: number) =>
    page.evaluate(
      ([k, n]) => window.dpopBench.interceptorSample(k as InterceptorKind, n as number),
      [kind, requests] as const,
    );
  // The first DPoP request of each client loads the key (IndexedDB); warm every path up.
  await sample('dpop', 1);
  await sample('dpop-memory', 1);
  const opensAfterFirst = await page.evaluate(() => window.dpopBench.indexedDbOpens());
  for (const kind of KINDS) await sample(kind, 20);
  const dpopBefore = server.apiRequests.withDpop;
  const totalBefore = server.apiRequests.total;

  const perRequest = Object.fromEntries(KINDS.map((kind) => [kind, [] as number[]])) as Record<
    InterceptorKind,
    number[]
  >;
  const differences: number[] = [];
  const memoryDifferences: number[] = [];
  for (let r = 0; r < REQUEST_SAMPLES; r++) {
    const order = r % 2 ? [...KINDS].reverse() : KINDS;
    const result = {} as Record<InterceptorKind, number>;
    for (const kind of order) {
      const requests = kind.endsWith('-memory') ? MEMORY_REQUESTS_PER_SAMPLE : REQUESTS_PER_SAMPLE;
      result[kind] = await sample(kind, requests);
      perRequest[kind].push(result[kind]);
    }
    differences.push(result.dpop - result.bearer);
    memoryDifferences.push(result['dpop-memory'] - result['bearer-memory']);
  }
  const opensAtEnd = await page.evaluate(() => window.dpopBench.indexedDbOpens());
  const dpopRequests = server.apiRequests.withDpop - dpopBefore;
  const allRequests = server.apiRequests.total - totalBefore;
  if (dpopRequests !== REQUEST_SAMPLES * REQUESTS_PER_SAMPLE || allRequests !== 2 * dpopRequests) {
    throw new Error(
      `Expected ${REQUEST_SAMPLES * REQUESTS_PER_SAMPLE} requests with a proof and as many without ` +
        `at the loopback endpoint; saw ${dpopRequests} of ${allRequests}.`,
    );
  }
  const keyFromMemory = opensAtEnd === opensAfterFirst;
  const ms = (kind: InterceptorKind) => round(median(perRequest[kind]), 3);
  const requestsAfterFirst =
    REQUEST_SAMPLES * (REQUESTS_PER_SAMPLE + MEMORY_REQUESTS_PER_SAMPLE) + 40;
  return {
    interceptor_overhead_ms: {
      value: round(median(memoryDifferences), 3),
      unit: 'ms',
      goal: { op: '≤', limit: 0.3 },
      compare: { 'the same, against the loopback endpoint': round(median(differences), 3) },
      notes: [
        `interceptor_overhead_ms: what the DPoP interceptor adds to an HttpClient request over a plain ` +
          `bearer interceptor, median over ${REQUEST_SAMPLES} rounds of (DPoP − bearer) time per request. ` +
          `Headline: HttpClient with a backend that answers at once (${MEMORY_REQUESTS_PER_SAMPLE} GETs per ` +
          `variant per round; DPoP ${ms('dpop-memory')} ms, bearer ${ms('bearer-memory')} ms per request), ` +
          `because against the loopback endpoint (${REQUESTS_PER_SAMPLE} GETs per variant per round; ` +
          `DPoP ${ms('dpop')} ms, bearer ${ms('bearer')} ms per request) the round-to-round spread of ` +
          `the difference (interquartile ${round(quantile(differences, 0.25), 3)} to ` +
          `${round(quantile(differences, 0.75), 3)} ms) is larger than the overhead itself on a busy machine.`,
        `Key from memory: IndexedDB opened ${opensAfterFirst - opensBefore}× for the first request of ` +
          `the two DPoP clients (generate + store, then load) and ${opensAtEnd - opensAfterFirst}× during ` +
          `the next ${requestsAfterFirst} DPoP and bearer requests (${keyFromMemory ? 'memory only' : 'NOT memory only'}).`,
      ],
    },
    interceptor_request_ms: {
      value: ms('dpop'),
      unit: 'ms',
      compare: { 'plain bearer interceptor': ms('bearer') },
    },
    interceptor_idb_opens_after_first: { value: opensAtEnd - opensAfterFirst, unit: 'opens' },
  };
}

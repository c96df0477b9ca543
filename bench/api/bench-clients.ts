/**
 * The DPoP clients of an API bench run: several users, each with its own proof key and an access
 * token bound to it (cnf.jkt), as many users would be. The API gives each principal (client +
 * user) a share of its replay capacity (RFC 9449 §11.1 replay entries;
 * server/resource-api/replay-cache.ts), so one user alone may not record 100,000 proofs while they
 * can be replayed: the load is spread round-robin.
 */
import { createProofKey, type ProofKey, signProof } from '@dpop-lab/protocol';
import type { TestIssuer } from '../../server/resource-api/testing/test-issuer.ts';

/** 16 users × the API's default share of 10,000 entries leaves room for 100,000 proofs and more. */
const BENCH_CLIENT_COUNT = 16;

export interface BenchClient {
  key: ProofKey;
  accessToken: string;
}

export async function createBenchClients(
  issuer: TestIssuer,
  count = BENCH_CLIENT_COUNT,
): Promise<BenchClient[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const key = await createProofKey();
      const accessToken = await issuer.mintAccessToken({
        jkt: key.thumbprint,
        subject: `bench-user-${index}`,
        expiresIn: 3600,
      });
      return { key, accessToken };
    }),
  );
}

/**
 * `count` request headers, each with its own proof (distinct jti), the clients taking turns;
 * signed before a run so signing is not measured. One nonce for the batch, made just before it
 * runs: a nonce stays valid for one to two 60-second steps, and a batch takes seconds.
 * `clockOffsetMs`: the API's clock is this far ahead (its `iat` window follows it).
 */
export async function dpopRequests(
  clients: readonly BenchClient[],
  htu: string,
  count: number,
  nonce?: () => string,
  clockOffsetMs = 0,
): Promise<Record<string, string>[]> {
  const current = nonce?.();
  const iat = Math.floor((Date.now() + clockOffsetMs) / 1000);
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const { key, accessToken } = clients[index % clients.length]!;
      const dpop = await signProof(key, { htm: 'GET', htu, accessToken, nonce: current, iat });
      return { authorization: `DPoP ${accessToken}`, dpop };
    }),
  );
}

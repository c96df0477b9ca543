/**
 * Who may make the API ask the issuer about an opaque token (RFC 7662), and how often (issue 19,
 * finding 2: 1,000 random Bearer tokens caused 1,000 introspections, one proof with a junk token
 * resent 300 times caused 300, and 100 senders slowed every real token's first call tenfold).
 * In this order:
 *
 * 1. a token the issuer called inactive a few seconds ago is refused again without asking
 *    (./inactive-tokens.ts);
 * 2. the caller's hook runs: the DPoP path uses the proof up for asking here, so a copy of it
 *    cannot make the API ask again (checks/record-proof-use.ts, `introspect`);
 * 3. a token being asked about already waits for that answer (./introspection-queue.ts);
 * 4. a token the API has not seen (not cached, never active before) uses one of its address's
 *    budget, 429 past it (./address-budget.ts); a known token being checked again does not;
 * 5. the call waits for one of a few slots (./introspection-queue.ts), then asks.
 * An inactive answer (or one the API refuses: no exp, another issuer) is kept for a few seconds.
 */
import type { AccessToken } from './access-token.ts';
import type { AddressBudget } from './address-budget.ts';
import { readIntrospectedToken } from './checks/read-introspected-token.ts';
import { invalidToken, TokenError, TooManyRequestsError } from './errors.ts';
import type { InactiveTokens } from './inactive-tokens.ts';
import type { Introspect } from './introspection.ts';
import type { IntrospectionQueue } from './introspection-queue.ts';

/** Who is asking, for one request. */
export interface IntrospectionCaller {
  /** The socket's remote address, whose budget a new token uses. */
  address: string;
  /** Runs before the API asks the issuer for this request (the DPoP path uses the proof up). */
  beforeAsking?: () => Promise<void>;
}

export interface IntrospectionGateParts {
  introspect: Introspect;
  /** The issuer the answer must name, if it names one. */
  issuer: string;
  inactive: InactiveTokens;
  queue: IntrospectionQueue;
  budget: AddressBudget;
}

export class IntrospectionGate {
  constructor(readonly parts: IntrospectionGateParts) {}

  /**
   * The token as the issuer describes it, or a refusal. `known`: the API has seen it active
   * before (its cached answer is only due to be checked again), so it costs no budget.
   */
  async read(
    token: string,
    hash: string,
    caller: IntrospectionCaller,
    { nowMs, known }: { nowMs: number; known: boolean },
  ): Promise<AccessToken> {
    const { introspect, issuer, inactive, queue, budget } = this.parts;
    const refused = inactive.get(hash, nowMs);
    if (refused !== undefined) throw invalidToken(refused);
    await caller.beforeAsking?.();
    const flight = queue.inFlight<AccessToken>(hash);
    if (flight) return flight;
    if (!known) {
      const waitMs = budget.take(caller.address, nowMs);
      if (waitMs > 0) {
        const seconds = Math.ceil(waitMs / 1000);
        throw new TooManyRequestsError(
          `This API has asked the authorization server about ${budget.burst} access tokens it had not seen from your address in a short time, the most it will: retry in ${seconds} s with the token you were issued.`,
          seconds,
        );
      }
    }
    return queue.run(hash, async () => {
      try {
        return await readIntrospectedToken(token, introspect, issuer);
      } catch (error) {
        if (error instanceof TokenError) inactive.set(hash, error.description, nowMs);
        throw error;
      }
    });
  }
}

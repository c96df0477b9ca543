/**
 * The API's own DPoP nonces (RFC 9449 §9), stateless: a nonce is `<step>.<mac>` where `step` is
 * the number of the current time step and `mac` = base64url(HMAC-SHA256(secret, label + step)).
 * Nothing is stored; any instance holding the same secret (API_NONCE_SECRET) accepts it.
 *
 * A nonce is accepted during the step it was issued in and the next one, so it lives between one
 * and two steps: long enough for a client to use it, short enough that a proof carrying it is
 * recent (RFC 9449 §8, §11.1). The step number is plain decimal so it is readable in DevTools.
 *
 * Every response carries a nonce and every proof brings one back, so the nonces of the current
 * and the previous step are kept: an HMAC per step, not two per request, and a proof's nonce is
 * usually one string comparison.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const NONCE_SECRET_ENV = 'API_NONCE_SECRET';
const LABEL = 'dpop-lab/resource-api/nonce/v1:';
const NONCE_SYNTAX = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/;

export type NonceVerdict = 'valid' | 'stale' | 'invalid';

export interface DpopNonces {
  /** A nonce for the current time step. */
  issue(): string;
  /** `valid` for this step or the previous one; `stale` when well-made but older (or from the future); otherwise `invalid`. */
  check(nonce: string): NonceVerdict;
  /**
   * Epoch milliseconds at which a nonce `check` found valid turns stale: the end of the step
   * after the one it was issued in. A proof carrying it cannot be accepted after that, so its
   * replay entry need not outlive it (issue 19).
   */
  acceptedUntil(nonce: string): number;
}

export interface DpopNonceOptions {
  /** 32 bytes; see readNonceSecret. */
  secret: Uint8Array;
  stepSeconds?: number;
  now?: () => number;
}

export function createDpopNonces({
  secret,
  stepSeconds = 60,
  now = Date.now,
}: DpopNonceOptions): DpopNonces {
  if (secret.byteLength !== 32) throw new Error('The DPoP nonce secret must be 32 bytes.');
  const key = Buffer.from(secret);
  const stepMs = stepSeconds * 1000;
  const currentStep = () => Math.floor(now() / stepMs);
  const computeMac = (step: number) =>
    createHmac('sha256', key).update(`${LABEL}${step}`).digest('base64url');
  const recent = new Map<number, string>();
  /** Kept for the steps a valid nonce can be from; others (a client's old or made-up step) not. */
  const mac = (step: number): string => {
    const current = currentStep();
    if (step !== current && step !== current - 1) return computeMac(step);
    let value = recent.get(step);
    if (value === undefined) {
      value = computeMac(step);
      for (const kept of recent.keys()) if (kept < current - 1) recent.delete(kept);
      recent.set(step, value);
    }
    return value;
  };
  /** The nonce the API hands out during `step`. */
  const nonceOf = (step: number) => `${step}.${mac(step)}`;
  /** The nonces of this step and the previous one, made once per step, not per request. */
  let valid = { step: Number.NaN, nonces: ['', ''] };
  const validNonces = (): readonly string[] => {
    const step = currentStep();
    if (step !== valid.step) valid = { step, nonces: [nonceOf(step), nonceOf(step - 1)] };
    return valid.nonces;
  };

  return {
    issue() {
      return validNonces()[0]!;
    },
    check(nonce) {
      // The usual case first: a nonce this API hands out now, or handed out in the previous step.
      // Both are public (every response carries one), so comparing them plainly leaks nothing.
      const [current, previous] = validNonces();
      if (nonce === current || nonce === previous) return 'valid';
      const match = NONCE_SYNTAX.exec(nonce);
      if (!match) return 'invalid';
      const step = Number(match[1]);
      // Any other step's MAC is secret until its step comes: compared in constant time. Compare
      // the text, not the decoded bytes: base64url has spare bits in its last character, so
      // decoding would accept several spellings of one MAC.
      const presented = Buffer.from(match[2] ?? '');
      const expected = Buffer.from(mac(step));
      if (presented.length !== expected.length || !timingSafeEqual(presented, expected))
        return 'invalid';
      // Written unusually (e.g. a leading zero) yet this step's or the previous one's.
      return step === valid.step || step === valid.step - 1 ? 'valid' : 'stale';
    },
    acceptedUntil(nonce) {
      // The step is the digits before the dot (NONCE_SYNTAX), which check() has matched.
      return (Number.parseInt(nonce, 10) + 2) * stepMs;
    },
  };
}

/**
 * The nonce secret from API_NONCE_SECRET (base64url of 32 bytes), or `undefined` when unset;
 * a set but malformed value is an error, so a typo does not silently fall back to a random secret.
 */
export function readNonceSecret(env: NodeJS.ProcessEnv = process.env): Uint8Array | undefined {
  const raw = env[NONCE_SECRET_ENV]?.trim();
  if (!raw) return undefined;
  const bytes = Buffer.from(raw, 'base64url');
  if (!/^[A-Za-z0-9_-]+$/.test(raw) || bytes.length !== 32) {
    throw new Error(
      `${NONCE_SECRET_ENV} must be 32 random bytes in base64url (43 characters), e.g. ` +
        `node -e "console.log(crypto.randomBytes(32).toString('base64url'))".`,
    );
  }
  return new Uint8Array(bytes);
}

/** The configured secret, or a random one: nonces then stay valid only for this process. */
export function nonceSecretOrRandom(env: NodeJS.ProcessEnv = process.env): Uint8Array {
  return readNonceSecret(env) ?? new Uint8Array(randomBytes(32));
}

/**
 * The replay cache on Redis, shared by every API instance behind one address (RFC 9449 §11.1):
 * a proof recorded by one instance is refused as a replay by all of them.
 *
 * One command per proof, a Lua script (./redis-record-proof.ts) that Redis runs atomically, so
 * of any number of concurrent requests with one proof, on any instances, exactly one is recorded.
 * Never a read then a write from here: two requests could both see "absent" in between. Each
 * principal's (client + user's) entries are one sorted set, at most `maxEntriesPerPrincipal` live
 * ones (its share, default 10,000: ./replay-cache.ts), made with at most `maxKeysPerPrincipal`
 * proof keys at once (default 32); the entry lives until the proof could no longer be accepted
 * (checks/read-proof-deadline.ts), so it is forgotten exactly when the proof checks would refuse
 * the proof anyway. Redis has no total limit here: size it for the principals that use the API
 * (docs/redis.md).
 *
 * Fail closed: when Redis is unreachable, slow or refuses the write, insertIfAbsent throws
 * ReplayStoreUnavailableError and the request gets 503 temporarily_unavailable; no proof is
 * ever accepted without being recorded. Nothing waits for Redis to come back:
 * - the offline queue is off, so a command sent while the client is disconnected fails at once
 *   instead of waiting for the reconnection;
 * - every command has a timeout, so a Redis that stops answering on an open connection costs a
 *   request `commandTimeoutMs` at most;
 * - the client reconnects by itself forever (exponential back-off up to `maxReconnectDelayMs`),
 *   and the first request after it is back is accepted again.
 * The outage is logged when it starts, then at most once per `logIntervalMs` while it lasts
 * (with the number of refused requests), and once when it ends: never once per request.
 */
import { ClientClosedError, ClientOfflineError, createClient, TimeoutError } from 'redis';

import { describeError, OutageReport } from './redis-outage-report.ts';
import { principalKeysOf, RECORD_PROOF } from './redis-record-proof.ts';
import {
  DEFAULT_KEYS_PER_PRINCIPAL,
  DEFAULT_REPLAY_CAPACITY,
  ReplayLimitError,
  replayShareOf,
  type ProofEntry,
  type ReplayCache,
} from './replay-cache.ts';

export const DEFAULT_REDIS_KEY_PREFIX = 'dpop-lab:dpop-proof:';

/** Redis did not record the proof (unreachable, no reply in time, or an error reply). */
export class ReplayStoreUnavailableError extends Error {
  override readonly name = 'ReplayStoreUnavailableError';
}

export interface RedisReplayCacheOptions {
  /** `redis://[user:password@]host:port[/db]`, or `rediss://` for TLS. */
  url: string;
  /** Prepended to every key (default `dpop-lab:dpop-proof:`). */
  keyPrefix?: string;
  /** Live entries one principal may hold (default 10,000, as in memory). */
  maxEntriesPerPrincipal?: number;
  /** Proof keys one principal may use at once (default 32, as in memory). */
  maxKeysPerPrincipal?: number;
  /** A command without a reply after this long fails (default 1 000 ms). */
  commandTimeoutMs?: number;
  /** A connection attempt fails after this long (default 2 000 ms). */
  connectTimeoutMs?: number;
  /** Upper bound of the reconnection back-off (default 1 000 ms). */
  maxReconnectDelayMs?: number;
  /** While Redis stays unreachable, at most one log line per this interval (default 30 s). */
  logIntervalMs?: number;
  /** Where outage reports go (default console.error). */
  log?: (message: string) => void;
  now?: () => number;
}

/** The URL without its password, for logs. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}

/** No reply within the command timeout. */
class ReplyTimeoutError extends Error {
  override readonly name = 'ReplyTimeoutError';
}

/**
 * node-redis's own command `timeout` only covers the wait until the command is written to the
 * socket, not the wait for the reply: a Redis that stops answering on an open connection would
 * hold the request forever. So every command also races a deadline of its own. The late reply
 * (if any) still arrives in order and is dropped, so replies never get out of step.
 */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ReplyTimeoutError()), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export class RedisReplayCache implements ReplayCache {
  readonly #client;
  readonly #prefix: string;
  readonly #where: string;
  readonly #outage: OutageReport;
  readonly #ready: Promise<void>;
  readonly #commandTimeoutMs: number;
  readonly #share: number;
  readonly #maxKeys: number;
  readonly #now: () => number;
  #lastConnectionError: unknown;

  /** Starts connecting at once and does not wait: until Redis answers, inserts fail (503). */
  constructor({
    url,
    keyPrefix = DEFAULT_REDIS_KEY_PREFIX,
    maxEntriesPerPrincipal = replayShareOf(DEFAULT_REPLAY_CAPACITY),
    maxKeysPerPrincipal = DEFAULT_KEYS_PER_PRINCIPAL,
    commandTimeoutMs = 1_000,
    connectTimeoutMs = 2_000,
    maxReconnectDelayMs = 1_000,
    logIntervalMs = 30_000,
    log = (message) => console.error(`resource API: ${message}`),
    now = Date.now,
  }: RedisReplayCacheOptions) {
    this.#prefix = keyPrefix;
    this.#share = maxEntriesPerPrincipal;
    this.#maxKeys = maxKeysPerPrincipal;
    this.#now = now;
    this.#commandTimeoutMs = commandTimeoutMs;
    this.#where = redactRedisUrl(url);
    this.#outage = new OutageReport(this.#where, logIntervalMs, log, now);
    this.#client = createClient({
      url,
      name: 'dpop-lab-resource-api',
      scripts: { recordProof: RECORD_PROOF },
      disableOfflineQueue: true,
      commandOptions: { timeout: commandTimeoutMs },
      // Bounds the memory held by commands waiting for a Redis that stopped answering; beyond
      // it a command fails at once (503).
      commandsQueueMaxLength: 10_000,
      socket: {
        connectTimeout: connectTimeoutMs,
        // A number means "retry in that many ms", forever (false would close the client for good).
        reconnectStrategy: (retries) =>
          Math.min(50 * 2 ** Math.min(retries, 10), maxReconnectDelayMs) +
          Math.floor(Math.random() * 50),
      },
    });
    // node-redis emits 'error' on every failed (re)connection attempt; without a listener the
    // process would crash.
    this.#client.on('error', (cause: unknown) => {
      this.#lastConnectionError = cause;
      this.#outage.failed(describeError(cause), false);
    });
    this.#client.on('ready', () => {
      this.#lastConnectionError = undefined;
      this.#outage.recovered();
    });
    this.#ready = new Promise((resolve) => this.#client.once('ready', () => resolve()));
    this.#client.connect().catch(() => {
      // Only rejects when close() ends the connection attempt; failures are reported via 'error'.
    });
  }

  /** Resolves once the first connection is ready (for start-up messages, tests and benches). */
  whenReady(): Promise<void> {
    return this.#ready;
  }

  get isReady(): boolean {
    return this.#client.isReady;
  }

  async insertIfAbsent({ key, expiresAt, principal, jkt }: ProofEntry): Promise<boolean> {
    const sets = principalKeysOf(this.#prefix, principal);
    let reply: unknown;
    try {
      reply = await withDeadline(
        this.#client.recordProof(sets.proofs, sets.keys, {
          proofKey: key,
          nowMs: this.#now(),
          expiresAt,
          share: this.#share,
          jkt,
          maxKeys: this.#maxKeys,
        }),
        this.#commandTimeoutMs,
      );
    } catch (cause) {
      const reason = this.#reason(cause);
      this.#outage.failed(reason, true);
      throw new ReplayStoreUnavailableError(
        `The replay store ${this.#where} did not record the proof (${reason}).`,
        { cause },
      );
    }
    if (this.#outage.ongoing) this.#outage.recovered();
    const [code, count, waitMs] = Array.isArray(reply) ? (reply as unknown[]) : [];
    if (code === 1) return true;
    if (code === 0) return false;
    if ((code === -1 || code === -2) && typeof count === 'number' && typeof waitMs === 'number')
      throw new ReplayLimitError(code === -1 ? 'proofs' : 'keys', count, Math.max(1_000, waitMs));
    throw new ReplayStoreUnavailableError(
      `The replay store ${this.#where} answered the insert with ${JSON.stringify(reply)}, not [1], [0] or a limit.`,
    );
  }

  #reason(cause: unknown): string {
    if (cause instanceof ReplyTimeoutError || cause instanceof TimeoutError)
      return `no answer within ${this.#commandTimeoutMs} ms`;
    if (cause instanceof ClientOfflineError || cause instanceof ClientClosedError) {
      const last = this.#lastConnectionError;
      return last === undefined ? 'not connected' : `not connected: ${describeError(last)}`;
    }
    return describeError(cause);
  }

  /** Closes the connection (and stops reconnecting); pending commands fail. */
  async close(): Promise<void> {
    this.#client.destroy();
  }
}

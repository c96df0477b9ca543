/**
 * Which replay cache the API uses, from API_REPLAY_STORE:
 * - unset (or `memory`): MemoryReplayCache, right for one instance;
 * - `redis://host:port` (or `rediss://` for TLS, with optional `user:password@` and `/db`):
 *   RedisReplayCache, shared by every instance that names the same Redis.
 * Anything else stops the API at start with a message saying what to write instead.
 */
import { MemoryReplayCache } from './memory-replay-cache.ts';
import { DEFAULT_REPLAY_CAPACITY, replayShareOf, type ReplayCache } from './replay-cache.ts';
import { RedisReplayCache, redactRedisUrl } from './redis-replay-cache.ts';

export const REPLAY_STORE_ENV = 'API_REPLAY_STORE';

export type ReplayStoreSetting = { kind: 'memory' } | { kind: 'redis'; url: string };

export function parseReplayStore(value: string | undefined): ReplayStoreSetting {
  const raw = value?.trim() ?? '';
  if (raw === '' || raw.toLowerCase() === 'memory') return { kind: 'memory' };
  const refuse = (what: string) =>
    new Error(
      `${REPLAY_STORE_ENV}=${redactRedisUrl(raw)} ${what}: leave it unset for the in-memory replay ` +
        `cache of one API instance, or name the Redis that all instances share as ` +
        `redis://host:port (rediss:// for TLS), e.g. ${REPLAY_STORE_ENV}=redis://127.0.0.1:6379.`,
    );
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('is not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw refuse(`has the scheme ${url.protocol.slice(0, -1)}, not redis or rediss`);
  if (!url.hostname) throw refuse('names no host');
  if (!/^\/?(\d{1,2})?$/.test(url.pathname))
    throw refuse(`has the path ${url.pathname}; only a database number (/0 … /15) may follow`);
  if (url.search || url.hash) throw refuse('has a query or fragment, which Redis URLs do not use');
  return { kind: 'redis', url: raw };
}

export interface ReplayStore {
  cache: ReplayCache;
  /** `true` when several API instances can share it. */
  shared: boolean;
  /** For the start-up line: `in memory (this instance only)` or the URL without password. */
  description: string;
  /** Waits up to `timeoutMs` for the store to answer; `false` if it does not yet. */
  waitUntilReady(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenReplayStoreOptions {
  now?: () => number;
  log?: (message: string) => void;
  /** API_REPLAY_CAPACITY: the in-memory cache's entries; a tenth is a principal's share everywhere. */
  capacity?: number | undefined;
}

export function openReplayStore(
  setting: ReplayStoreSetting,
  { now = Date.now, log, capacity = DEFAULT_REPLAY_CAPACITY }: OpenReplayStoreOptions = {},
): ReplayStore {
  if (setting.kind === 'memory') {
    return {
      cache: new MemoryReplayCache({ now, maxEntries: capacity }),
      shared: false,
      description: 'in memory (this instance only)',
      waitUntilReady: async () => true,
      close: async () => undefined,
    };
  }
  const cache = new RedisReplayCache({
    url: setting.url,
    maxEntriesPerPrincipal: replayShareOf(capacity),
    ...(log ? { log } : {}),
  });
  return {
    cache,
    shared: true,
    description: `${redactRedisUrl(setting.url)} (shared)`,
    async waitUntilReady(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      });
      try {
        return await Promise.race([cache.whenReady().then(() => true), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => cache.close(),
  };
}

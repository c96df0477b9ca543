/**
 * oidc-provider's storage (sessions, grants, codes, tokens, interactions, DPoP proof replay
 * records...) kept in memory and persisted to `<dataDir>/authorization-server-store.json`
 * (store-file.ts), so a restart of the authorization server does not sign everyone out.
 *
 *   const store = createFileAdapter(config.dataDir);   // reads the file once, synchronously
 *   new Provider(issuer, { ...configuration, adapter: store.Adapter });
 *   await store.close();                               // on shutdown: writes what is pending
 *
 * The interface is oidc-provider's (node_modules/oidc-provider/lib/adapters/memory_adapter.js
 * is the reference; same semantics, including expiry with the provider's clock tolerance and
 * `revokeByGrantId` removing every token-like model of the grant, whichever model asks).
 *
 * Limits (store-entries.ts): what anyone can create (sign-in pages, DPoP proof records, pushed
 * requests, client-credentials tokens) has its own bounded pools and is refused when they are
 * full (`StoreRefusal`: 503, or 429 for one address's share, with `Retry-After` set on the
 * request through `options.request`); it never pushes out sessions, grants or refresh tokens.
 *
 * Writes are coalesced: a change schedules one write `writeDelay` ms later (default 50), which
 * appends every change made meanwhile, one line each, and syncs. Once the file holds more than
 * twice what is live (plus `compactionSlack` bytes), the next write rewrites it instead, so the
 * cost of a write follows the size of the change, not of the store. Changes made in the last
 * `writeDelay` ms before a crash are lost; `flush()`/`close()` write them at once.
 *
 * All state lives in the object this factory returns: two stores never share anything, even in
 * one process (tests start a "restarted" server beside the old one's module instances).
 */
import { join } from 'node:path';

import type { Adapter, AdapterPayload } from 'oidc-provider';

import { clientAddressKey } from './client-address.ts';
import { createStoreEntries, type StoreLimits } from './store-entries.ts';
import {
  appendToStoreFile,
  readStoreFile,
  rewriteStoreFile,
  STORE_FILE_NAME,
  storeLine,
} from './store-file.ts';
import { StoreRefusal } from './store-refusal.ts';

export { STORE_FILE_NAME };

/** The request being served, as oidc-provider exposes it (`Provider.ctx`). */
export interface StoreRequest {
  /** The client's address. */
  readonly ip: string;
  set(field: string, value: string): void;
}

export interface FileAdapterOptions extends StoreLimits {
  /** Coalesce the writes of changes made within this many milliseconds (default 50). */
  writeDelay?: number;
  /** Rewrite the file once it exceeds twice the live entries by this many bytes (default 1 MiB). */
  compactionSlack?: number;
  /** Seconds added to every lifetime, as oidc-provider's memory adapter does (default 15, oidc-provider's `clockTolerance`). */
  clockTolerance?: number;
  /** How often expired entries are swept from memory, in milliseconds (default 60 000). */
  sweepInterval?: number;
  /** The request a write happens in, if any: its address counts against the pools' shares. */
  request?: () => StoreRequest | undefined;
  /** The clock, in milliseconds since the epoch (tests). */
  now?: () => number;
  /** Where the one-line warnings go (default console.warn). */
  warn?: (message: string) => void;
}

export interface FileAdapter {
  /** The class for oidc-provider's `adapter` option: `new Adapter('Session')` etc. */
  Adapter: new (name: string) => Adapter;
  /** Writes pending changes now; resolves once they are on disk. */
  flush(): Promise<void>;
  /** Stops the periodic sweep and flushes. The adapter keeps working (and writing) if used after. */
  close(): Promise<void>;
  /** The store file's path. */
  readonly file: string;
}

export function createFileAdapter(dataDir: string, options: FileAdapterOptions = {}): FileAdapter {
  const {
    writeDelay = 50,
    compactionSlack = 1024 * 1024,
    clockTolerance = 15,
    sweepInterval = 60_000,
    request = () => undefined,
    now = Date.now,
    warn = (message: string) => console.warn(message),
  } = options;
  const file = join(dataDir, STORE_FILE_NAME);
  const store = createStoreEntries(options, now);

  const lineBytes = (line: string) => Buffer.byteLength(line);
  const read = readStoreFile(file, warn);
  let fileBytes = read.bytes;
  let evictedOnLoad = 0;
  for (const entry of read.entries) {
    if (entry.expiresAt !== null && entry.expiresAt <= now()) continue;
    evictedOnLoad += store.restore(entry, lineBytes(storeLine({ put: entry }))).length;
  }
  /** Rewrite the file rather than append to it: it is absent, damaged, old, or holds more than memory. */
  let rewriteNext = read.rewrite || evictedOnLoad > 0;

  // --- writing: appended lines, coalesced; a rewrite when the file is mostly dead weight ------

  /** Lines not yet on disk. */
  let pending: string[] = [];
  /** Changes in memory that are not on disk yet (in `pending`, or lost by a failed write). */
  let unsaved = false;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> | undefined;

  const bloated = () => fileBytes > 2 * store.bytes + compactionSlack;

  /** Writes what changed since the last write; one write at a time. */
  async function write(): Promise<void> {
    // A failed write leaves rewriteNext set, so this one retries it.
    while (writing) await writing.catch(() => undefined);
    if (!unsaved && !bloated()) return;
    const lines = pending;
    pending = [];
    unsaved = false;
    const rewrite = rewriteNext || bloated();
    writing = (async () => {
      try {
        if (rewrite) {
          store.sweep();
          fileBytes = await rewriteStoreFile(file, dataDir, store.all(), new Date(now()));
          rewriteNext = false;
        } else {
          fileBytes += await appendToStoreFile(file, lines);
        }
      } catch (error) {
        rewriteNext = true; // a rewrite holds everything, including these lines
        unsaved = true;
        throw error;
      } finally {
        writing = undefined;
      }
    })();
    await writing;
  }

  function schedule(): void {
    timer ??= setTimeout(() => {
      timer = undefined;
      write().catch((error: unknown) => {
        warn(
          `authorization server: could not save the session store to ${file} (${(error as Error).message}); will retry with the next change.`,
        );
      });
    }, writeDelay);
  }

  function changed(lines: string[]): void {
    if (lines.length === 0) return;
    pending.push(...lines);
    unsaved = true;
    schedule();
  }

  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    return write();
  }

  // Expired entries leave memory; they leave the file with the next rewrite.
  const sweeper = setInterval(() => {
    if (store.sweep().length > 0 && bloated()) schedule();
  }, sweepInterval);
  sweeper.unref();

  // --- the adapter ------------------------------------------------------------------------------

  const copy = (entry: { payload: AdapterPayload } | undefined) =>
    entry ? structuredClone(entry.payload) : undefined;

  class FileStoreAdapter implements Adapter {
    constructor(readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      const expiresAt =
        typeof expiresIn === 'number' ? now() + (expiresIn + clockTolerance) * 1000 : null;
      // JSON-safe: what is kept in memory is exactly what a restart reads back.
      const copied = JSON.parse(JSON.stringify(payload)) as AdapterPayload;
      const entry = { model: this.model, id, payload: copied, expiresAt };
      const line = storeLine({ put: entry });
      const current = request();
      let evicted: string[];
      try {
        evicted = store.put(entry, lineBytes(line), current && clientAddressKey(current.ip));
      } catch (error) {
        if (error instanceof StoreRefusal) current?.set('Retry-After', String(error.retryAfter));
        throw error;
      }
      changed([line, ...evicted.map((key) => storeLine({ del: key }))]);
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return copy(store.get(store.keyOf(this.model, id)));
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const id = store.sessionByUid(uid);
      return id === undefined ? undefined : this.find(id);
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const key = store.keyByUserCode(userCode);
      return key === undefined ? undefined : copy(store.get(key));
    }

    async consume(id: string): Promise<void> {
      const entry = store.get(store.keyOf(this.model, id));
      if (!entry) return;
      const payload = { ...entry.payload, consumed: Math.floor(now() / 1000) };
      const consumed = { ...entry, payload };
      const line = storeLine({ put: consumed });
      store.restore(consumed, lineBytes(line));
      changed([line]);
    }

    async destroy(id: string): Promise<void> {
      const key = store.keyOf(this.model, id);
      if (store.remove(key)) changed([storeLine({ del: key })]);
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      const keys = store.grantMembers(grantId).filter((key) => store.remove(key));
      changed(keys.map((key) => storeLine({ del: key })));
    }
  }

  return {
    Adapter: FileStoreAdapter,
    flush,
    async close() {
      clearInterval(sweeper);
      await flush();
    },
    file,
  };
}

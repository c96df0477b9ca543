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
 * Limits (store-entries.ts, store-kinds.ts): what anyone can make, and authorization codes, have
 * bounded pools shared out by client address or account; sessions, grants and tokens are capped
 * per account. A write that would exceed them is refused (`StoreRefusal`: 503, or 429 for one
 * owner's share, with `Retry-After` set on the request through `options.request`).
 *
 * **What the server answered is on disk.** A change to what an account owns (a session, grant,
 * code or token written, consumed, destroyed or revoked with its grant) is appended and synced
 * before the server answers: within a request, `settle(request)` (which the server runs after
 * oidc-provider's handlers, before the answer goes out) syncs every change the request made at
 * once; outside one, the adapter call itself resolves only once its change is synced. So a
 * revocation or a rotation answered `200` survives a `kill -9`. Writes that arrive while one is
 * syncing share the next sync (one `fdatasync` for all of them). What anyone can make (sign-in
 * pages, proof records…) is written within `writeDelay` ms (default 50), coalesced: losing it in
 * a crash loses nothing anyone was promised. Once the file holds more than twice what is live
 * (plus `compactionSlack` bytes), the next write rewrites it instead.
 *
 * **A refused or unsaved request changes nothing.** Each request's changes are journalled; when
 * one of its writes is refused, or cannot be saved, every change it made is undone (a refresh
 * token it consumed is unspent again) before the error reaches oidc-provider, so the client can
 * retry with what it holds.
 *
 * All state lives in the object this factory returns: two stores never share anything, even in
 * one process (tests start a "restarted" server beside the old one's module instances).
 */
import { join } from 'node:path';

import type { Adapter, AdapterPayload } from 'oidc-provider';

import { clientAddressKey } from './client-address.ts';
import { createStoreEntries, type StoreLimits } from './store-entries.ts';
import { keyOf, type Entry } from './store-entry.ts';
import {
  appendToStoreFile,
  readStoreFile,
  rewriteStoreFile,
  STORE_FILE_NAME,
} from './store-file.ts';
import { storeKindOf } from './store-kinds.ts';
import { StoreRefusal } from './store-refusal.ts';

export { STORE_FILE_NAME };

/** The request being served, as oidc-provider exposes it (`Provider.ctx`). */
export interface StoreRequest {
  /** The client's address. */
  readonly ip: string;
  set(field: string, value: string): void;
}

export interface FileAdapterOptions extends StoreLimits {
  /** Coalesce the writes of what anyone can make within this many milliseconds (default 50). */
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
  /**
   * Resolves once every change `request` made to what an account owns is on disk; if they
   * cannot get there, undoes the request's changes and throws StoreRefusal (503).
   */
  settle(request: StoreRequest): Promise<void>;
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

  const read = readStoreFile(file, warn);
  let fileBytes = read.bytes;
  for (const entry of read.entries) {
    if (entry.expiresAt === null || entry.expiresAt > now()) store.restore(entry);
  }
  /** Rewrite the file rather than append to it: it is absent, damaged or old, or a write failed. */
  let rewriteNext = read.rewrite;

  // --- writing: appended lines, synced; a rewrite when the file is mostly dead weight --------

  /** Lines not yet on disk. */
  let pending: string[] = [];
  /** Lines queued since the start, and how many of them are known to be on disk. */
  let queued = 0;
  let saved = 0;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> | undefined;

  const bloated = () => fileBytes > 2 * store.bytes + compactionSlack;

  /** Writes everything pending (after the write in progress, if any); one write at a time. */
  async function write(): Promise<void> {
    // A failed write leaves rewriteNext set, so the next one rewrites the whole file.
    while (writing) await writing.catch(() => undefined);
    if (saved === queued && !rewriteNext && !bloated()) return;
    const lines = pending;
    const through = queued;
    pending = [];
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
        saved = Math.max(saved, through);
      } catch (error) {
        rewriteNext = true; // a rewrite holds everything, including these lines
        throw error;
      } finally {
        writing = undefined;
      }
    })();
    await writing;
  }

  const warnUnsaved = (error: unknown) =>
    warn(
      `authorization server: could not save the session store to ${file} (${(error as Error).message}); will retry with the next change.`,
    );

  function schedule(): void {
    timer ??= setTimeout(() => {
      timer = undefined;
      write().catch(warnUnsaved);
    }, writeDelay);
  }

  /** Queues lines; the number the last of them has in the queue. */
  function queue(lines: string[]): number {
    pending.push(...lines);
    queued += lines.length;
    return queued;
  }

  /** Resolves once line number `through` is on disk; rejects if the write that had it failed. */
  async function saveThrough(through: number): Promise<void> {
    while (saved < through) await write();
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

  // --- each request's changes, journalled so that a refused or unsaved request is undone -------

  /** Request → the entries its changes replaced (undefined: there was none), first change only. */
  const journals = new WeakMap<StoreRequest, Map<string, Entry | undefined>>();
  /** Request → the number of its last line that must be on disk before it is answered. */
  const owed = new WeakMap<StoreRequest, number>();

  function remember(current: StoreRequest | undefined, keys: string[]): void {
    if (!current) return;
    let journal = journals.get(current);
    if (!journal) journals.set(current, (journal = new Map()));
    for (const key of keys) if (!journal.has(key)) journal.set(key, store.peek(key));
  }

  /**
   * Puts back what the request changed. A concurrent request that changed the same keys since
   * loses that change: rare, and only after a refusal or a failed disk.
   */
  function undo(current: StoreRequest | undefined): void {
    const journal = current && journals.get(current);
    if (!journal) return;
    journals.delete(current);
    const lines: string[] = [];
    for (const [key, before] of journal) {
      const line = before ? store.restore(before) : store.remove(key);
      if (line) lines.push(line);
    }
    if (lines.length === 0) return;
    // If the request still owes a sync (settle), it covers the undoing too.
    const through = queue(lines);
    if (owed.has(current)) owed.set(current, through);
    schedule();
  }

  /** Waits for line `through`; if it cannot reach the disk, undoes `current` and refuses. */
  async function syncOrUndo(current: StoreRequest | undefined, through: number): Promise<void> {
    try {
      await saveThrough(through);
    } catch (error) {
      warnUnsaved(error);
      undo(current);
      const refusal = StoreRefusal.unsaved();
      current?.set('Retry-After', String(refusal.retryAfter));
      throw refusal;
    }
  }

  /**
   * Records a change made for the current request: `keys` are the entries it changes, `apply`
   * makes it and returns its lines. A refusal undoes the request (and names Retry-After). A
   * `durable` change is owed to the disk before the request is answered (settle); outside a
   * request, the call resolves once it is on disk.
   */
  async function change(keys: string[], durable: boolean, apply: () => string[]): Promise<void> {
    const current = request();
    remember(current, keys);
    let lines: string[];
    try {
      lines = apply();
    } catch (error) {
      if (error instanceof StoreRefusal) {
        undo(current);
        current?.set('Retry-After', String(error.retryAfter));
      }
      throw error;
    }
    if (lines.length === 0) return;
    const through = queue(lines);
    if (durable && !current) return syncOrUndo(current, through);
    if (durable && current) owed.set(current, through);
    schedule();
  }

  const isDurable = (entry: Entry | undefined) =>
    entry !== undefined && storeKindOf(entry.model, entry.payload).durable;

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
      const entry: Entry = { model: this.model, id, payload: copied, expiresAt };
      const ip = request()?.ip;
      await change([keyOf(this.model, id)], isDurable(entry), () =>
        store.put(entry, ip === undefined ? undefined : clientAddressKey(ip)),
      );
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return copy(store.get(keyOf(this.model, id)));
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
      const key = keyOf(this.model, id);
      const entry = store.get(key);
      if (!entry) return;
      const payload = { ...entry.payload, consumed: Math.floor(now() / 1000) };
      await change([key], isDurable(entry), () => [store.restore({ ...entry, payload })]);
    }

    async destroy(id: string): Promise<void> {
      const key = keyOf(this.model, id);
      const entry = store.peek(key);
      await change([key], isDurable(entry), () => {
        const line = store.remove(key);
        return line ? [line] : [];
      });
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      const keys = store.grantMembers(grantId);
      await change(keys, true, () => keys.flatMap((key) => store.remove(key) ?? []));
    }
  }

  return {
    Adapter: FileStoreAdapter,
    flush,
    async settle(current) {
      const through = owed.get(current);
      owed.delete(current);
      if (through !== undefined) await syncOrUndo(current, through);
    },
    async close() {
      clearInterval(sweeper);
      await flush();
    },
    file,
  };
}

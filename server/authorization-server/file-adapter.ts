/**
 * oidc-provider's storage (sessions, grants, codes, tokens, interactions, DPoP proof replay
 * records...) kept in memory and persisted to `<dataDir>/authorization-server-store.json`
 * (0600), so a restart of the authorization server does not sign everyone out.
 *
 *   const store = createFileAdapter(config.dataDir);   // reads the file once, synchronously
 *   new Provider(issuer, { ...configuration, adapter: store.Adapter });
 *   await store.close();                               // on shutdown: writes what is pending
 *
 * The interface is oidc-provider's (node_modules/oidc-provider/lib/adapters/memory_adapter.js
 * is the reference; same semantics, including expiry with the provider's clock tolerance and
 * `revokeByGrantId` removing every token-like model of the grant, whichever model asks).
 *
 * Writes are coalesced: a change schedules one write `writeDelay` ms later (default 50), which
 * saves everything changed meanwhile. Each write goes to a temporary file that is synced and
 * then renamed over the store, so a crash leaves the previous or the next file, never a torn
 * one. Changes made in the last `writeDelay` ms before a crash are lost; `flush()`/`close()`
 * write them at once. Expired entries are dropped on load, on every write and every minute;
 * past `maxEntries` the least recently written entries are dropped first.
 *
 * All state lives in the object this factory returns: two stores never share anything, even in
 * one process (tests start a "restarted" server beside the old one's module instances).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

import type { Adapter, AdapterPayload } from 'oidc-provider';

export const STORE_FILE_NAME = 'authorization-server-store.json';

export interface FileAdapterOptions {
  /** Coalesce the writes of changes made within this many milliseconds (default 50). */
  writeDelay?: number;
  /** Most entries kept, over all models (default 5000); the least recently written go first. */
  maxEntries?: number;
  /** Seconds added to every lifetime, as oidc-provider's memory adapter does (default 15, oidc-provider's `clockTolerance`). */
  clockTolerance?: number;
  /** How often expired entries are swept from memory, in milliseconds (default 60 000). */
  sweepInterval?: number;
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

/** Models that belong to a grant (oidc-provider's memory adapter: `grantable`). */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

interface Entry {
  model: string;
  id: string;
  payload: AdapterPayload;
  /** Milliseconds since the epoch; null: never expires. */
  expiresAt: number | null;
}

interface StoredFile {
  version: 1;
  savedAt: string;
  entries: Entry[];
}

const keyOf = (model: string, id: string) => `${model}:${id}`;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEntry(value: unknown): value is Entry {
  if (!isPlainObject(value)) return false;
  const { model, id, payload, expiresAt } = value;
  return (
    typeof model === 'string' &&
    model !== '' &&
    typeof id === 'string' &&
    id !== '' &&
    isPlainObject(payload) &&
    (expiresAt === null || (typeof expiresAt === 'number' && Number.isFinite(expiresAt)))
  );
}

/** A JSON-safe deep copy: what is kept in memory is exactly what a restart reads back. */
function jsonCopy(payload: AdapterPayload): AdapterPayload {
  return JSON.parse(JSON.stringify(payload)) as AdapterPayload;
}

export function createFileAdapter(dataDir: string, options: FileAdapterOptions = {}): FileAdapter {
  const {
    writeDelay = 50,
    maxEntries = 5000,
    clockTolerance = 15,
    sweepInterval = 60_000,
    now = Date.now,
    warn = (message: string) => console.warn(message),
  } = options;
  const file = join(dataDir, STORE_FILE_NAME);

  /** Every entry by `<model>:<id>`, least recently written first. */
  const entries = new Map<string, Entry>();
  /** Session uid → session id. */
  const sessionUids = new Map<string, string>();
  /** Device flow user code → `<model>:<id>`. */
  const userCodes = new Map<string, string>();
  /** Grant id → keys of its tokens. */
  const grants = new Map<string, Set<string>>();

  const expired = (entry: Entry, at = now()) => entry.expiresAt !== null && entry.expiresAt <= at;

  function index(key: string, entry: Entry): void {
    const { model, id, payload } = entry;
    if (model === 'Session' && typeof payload['uid'] === 'string') {
      sessionUids.set(payload['uid'], id);
    }
    if (typeof payload['userCode'] === 'string') userCodes.set(payload['userCode'], key);
    if (GRANTABLE.has(model) && typeof payload['grantId'] === 'string') {
      const members = grants.get(payload['grantId']) ?? new Set<string>();
      members.add(key);
      grants.set(payload['grantId'], members);
    }
  }

  function unindex(key: string, entry: Entry): void {
    const { model, id, payload } = entry;
    const uid = payload['uid'];
    if (model === 'Session' && typeof uid === 'string' && sessionUids.get(uid) === id) {
      sessionUids.delete(uid);
    }
    const userCode = payload['userCode'];
    if (typeof userCode === 'string' && userCodes.get(userCode) === key) userCodes.delete(userCode);
    const grantId = payload['grantId'];
    if (typeof grantId === 'string') {
      const members = grants.get(grantId);
      members?.delete(key);
      if (members?.size === 0) grants.delete(grantId);
    }
  }

  function remove(key: string): boolean {
    const entry = entries.get(key);
    if (!entry) return false;
    entries.delete(key);
    unindex(key, entry);
    return true;
  }

  function put(entry: Entry): void {
    const key = keyOf(entry.model, entry.id);
    remove(key); // also moves it to the end: the most recently written
    entries.set(key, entry);
    index(key, entry);
  }

  /** Drops expired entries; true if any was dropped. */
  function sweep(): boolean {
    const at = now();
    let dropped = false;
    for (const [key, entry] of entries) {
      if (expired(entry, at)) dropped = remove(key) || dropped;
    }
    return dropped;
  }

  /** Keeps at most maxEntries: expired ones go first, then the least recently written. */
  function bound(): void {
    if (entries.size <= maxEntries) return;
    sweep();
    for (const key of entries.keys()) {
      if (entries.size <= maxEntries) break;
      remove(key);
    }
  }

  /** The live entry for a key, dropping it if it has expired. */
  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry && expired(entry)) {
      remove(key);
      changed();
      return undefined;
    }
    return entry;
  }

  // --- loading, once -------------------------------------------------------------------------

  function load(): void {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      warn(
        `authorization server: ${file}: the session store was unreadable (${(error as Error).message}); starting with no sessions.`,
      );
      return;
    }
    let stored: unknown;
    try {
      stored = JSON.parse(text);
    } catch {
      stored = undefined;
    }
    if (!isPlainObject(stored) || stored['version'] !== 1 || !Array.isArray(stored['entries'])) {
      warn(
        `authorization server: ${file}: the session store was unreadable (not a version 1 store); starting with no sessions.`,
      );
      return;
    }
    const at = now();
    let malformed = 0;
    for (const entry of stored['entries'] as unknown[]) {
      if (!isEntry(entry)) malformed++;
      else if (!expired(entry, at)) put(entry);
    }
    if (malformed > 0) {
      warn(
        `authorization server: ${file}: ignored ${malformed} malformed entr${malformed === 1 ? 'y' : 'ies'} of the session store.`,
      );
    }
    bound();
  }

  load();

  // --- writing, coalesced ----------------------------------------------------------------------

  let dirty = false;
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> | undefined;

  async function writeAtomically(text: string): Promise<void> {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, file);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }

  /** Writes the current state if anything changed since the last write; one write at a time. */
  async function write(): Promise<void> {
    // A failed write leaves `dirty` set, so this one retries it.
    while (writing) await writing.catch(() => undefined);
    if (!dirty) return;
    dirty = false;
    sweep();
    const stored: StoredFile = {
      version: 1,
      savedAt: new Date(now()).toISOString(),
      entries: [...entries.values()],
    };
    writing = writeAtomically(`${JSON.stringify(stored)}\n`)
      .catch((error: unknown) => {
        dirty = true; // try again with the next change or flush
        throw error;
      })
      .finally(() => {
        writing = undefined;
      });
    await writing;
  }

  function changed(): void {
    dirty = true;
    timer ??= setTimeout(() => {
      timer = undefined;
      write().catch((error: unknown) => {
        warn(
          `authorization server: could not save the session store to ${file} (${(error as Error).message}); will retry with the next change.`,
        );
      });
    }, writeDelay);
  }

  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    return write();
  }

  const sweeper = setInterval(() => {
    if (sweep()) changed();
  }, sweepInterval);
  sweeper.unref();

  // --- the adapter ------------------------------------------------------------------------------

  class FileStoreAdapter implements Adapter {
    constructor(readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      const expiresAt =
        typeof expiresIn === 'number' ? now() + (expiresIn + clockTolerance) * 1000 : null;
      put({ model: this.model, id, payload: jsonCopy(payload), expiresAt });
      bound();
      changed();
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      const entry = live(keyOf(this.model, id));
      return entry ? structuredClone(entry.payload) : undefined;
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const id = sessionUids.get(uid);
      return id === undefined ? undefined : this.find(id);
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const key = userCodes.get(userCode);
      const entry = key === undefined ? undefined : live(key);
      return entry ? structuredClone(entry.payload) : undefined;
    }

    async consume(id: string): Promise<void> {
      const entry = live(keyOf(this.model, id));
      if (!entry) return;
      entry.payload['consumed'] = Math.floor(now() / 1000);
      changed();
    }

    async destroy(id: string): Promise<void> {
      if (remove(keyOf(this.model, id))) changed();
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      const members = grants.get(grantId);
      if (!members) return;
      for (const key of [...members]) remove(key);
      grants.delete(grantId);
      changed();
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

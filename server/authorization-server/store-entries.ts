/**
 * The authorization server's entries in memory (file-adapter.ts persists them), in separate
 * bounded pools so that what anyone can create never pushes out what a signed-in user owns:
 *
 * - one pool per kind that needs no signed-in user — sign-in pages (`Interaction`, one per
 *   `GET /auth`), DPoP proof records (`ReplayDetection`), pushed requests and client-credentials
 *   tokens (the service client's secret is published). Full: the write is refused with
 *   `503` (`StoreRefusal`); one client address may hold at most a tenth of a pool, beyond
 *   which that address alone gets `429`. A refusal names when to try again (`Retry-After`):
 *   when the oldest entry in the way expires. Nothing is evicted, so a proof record can never be
 *   pushed out and replayed, and no pending sign-in page is lost;
 * - everything else (sessions, grants, codes, refresh and access tokens): when full, expired
 *   entries go first, then spent ones (rotated-out refresh tokens, used codes), then the least
 *   recently written.
 *
 * Indexes for oidc-provider's lookups (session uid, device user code, grant id) follow every
 * removal, whatever its cause.
 */
import type { AdapterPayload } from 'oidc-provider';

import { StoreRefusal } from './store-refusal.ts';

export interface Entry {
  model: string;
  id: string;
  payload: AdapterPayload;
  /** Milliseconds since the epoch; null: never expires. */
  expiresAt: number | null;
}

/** The kinds anyone can create, and what to call them in a refusal. */
const SHORT_LIVED_KINDS: Readonly<Record<string, string>> = {
  Interaction: 'sign-in pages',
  ReplayDetection: 'DPoP proof records',
  PushedAuthorizationRequest: 'pushed authorization requests',
  ClientCredentials: 'client-credentials tokens',
};

/** Models that belong to a grant (oidc-provider's memory adapter: `grantable`). */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

export interface StoreLimits {
  /** Sessions, grants, codes and tokens (default 20 000). */
  maxEntries?: number;
  /** Entries of each kind anyone can create (default 10 000); one address may hold a tenth. */
  maxShortLived?: number;
}

interface Held {
  entry: Entry;
  /** Size of its line in the store file: how much a rewrite of the file costs. */
  bytes: number;
  /** The client address that created it (short-lived kinds only). */
  address?: string;
}

const keyOf = (model: string, id: string) => `${model}:${id}`;

export function createStoreEntries(limits: StoreLimits, now: () => number) {
  const { maxEntries = 20_000, maxShortLived = 10_000 } = limits;
  const maxPerAddress = Math.max(1, Math.floor(maxShortLived / 10));
  /** Pool name (a short-lived model, or '' for the rest) → entries, least recently written first. */
  const pools = new Map<string, Map<string, Held>>();
  const poolOf = (model: string) => (model in SHORT_LIVED_KINDS ? model : '');
  function pool(name: string): Map<string, Held> {
    let entries = pools.get(name);
    if (!entries) pools.set(name, (entries = new Map()));
    return entries;
  }
  const poolOfKey = (key: string) => pool(poolOf(key.slice(0, key.indexOf(':'))));
  /**
   * `<pool>|<address>` → that address's entries in that pool, least recently written first (the
   * pool's order): its count is the map's size, the one in the way of its next write the first.
   */
  const perAddress = new Map<string, Map<string, Held>>();
  /** Keys of spent entries (oidc-provider's `consumed`), oldest first: evicted first. */
  const spent = new Set<string>();
  const sessionUids = new Map<string, string>();
  const userCodes = new Map<string, string>();
  const grants = new Map<string, Set<string>>();
  let bytes = 0;
  let lastSweep = -Infinity;

  const expired = ({ entry }: Held, at = now()) =>
    entry.expiresAt !== null && entry.expiresAt <= at;
  const secondsUntil = ({ entry }: Held) =>
    Math.max(1, Math.ceil(((entry.expiresAt ?? now()) - now()) / 1000));

  function index(key: string, held: Held, add: boolean): void {
    const { model, id, payload } = held.entry;
    const { uid, userCode, grantId, consumed } = payload;
    if (model === 'Session' && typeof uid === 'string') {
      if (add) sessionUids.set(uid, id);
      else if (sessionUids.get(uid) === id) sessionUids.delete(uid);
    }
    if (typeof userCode === 'string') {
      if (add) userCodes.set(userCode, key);
      else if (userCodes.get(userCode) === key) userCodes.delete(userCode);
    }
    if (GRANTABLE.has(model) && typeof grantId === 'string') {
      const members = grants.get(grantId) ?? new Set<string>();
      if (add) grants.set(grantId, members.add(key));
      else if (members.delete(key) && members.size === 0) grants.delete(grantId);
    }
    if (add && consumed !== undefined && poolOf(model) === '') spent.add(key);
    else spent.delete(key);
    if (held.address !== undefined) {
      const share = `${poolOf(model)}|${held.address}`;
      const own = perAddress.get(share);
      if (add) perAddress.set(share, (own ?? new Map()).set(key, held));
      else if (own?.delete(key) && own.size === 0) perAddress.delete(share);
    }
    bytes += add ? held.bytes : -held.bytes;
  }

  function remove(key: string): boolean {
    const entries = poolOfKey(key);
    const held = entries.get(key);
    if (!held) return false;
    entries.delete(key);
    index(key, held, false);
    return true;
  }

  /** Drops the expired entries at the front of a pool or an address's share (its oldest writes). */
  function pruneFront(entries: Map<string, Held>): void {
    for (const [key, held] of entries) {
      if (!expired(held)) break;
      remove(key);
    }
  }

  /**
   * Refuses a new short-lived entry when its address's share or its pool is full. Costs the
   * expired entries it drops, never a pass over the pool: a refused address (the abusive path)
   * is answered from its own oldest entry, which expires by the time it names, and is then
   * dropped from the front of its share by the next attempt.
   */
  function checkRoom(model: string, entries: Map<string, Held>, address: string | undefined) {
    pruneFront(entries);
    const kind = SHORT_LIVED_KINDS[model] ?? model;
    const share = address === undefined ? undefined : perAddress.get(`${model}|${address}`);
    if (share) pruneFront(share);
    if (share && share.size >= maxPerAddress) {
      const wait = secondsUntil(share.values().next().value!);
      throw StoreRefusal.addressShareUsed(kind, maxPerAddress, wait);
    }
    if (entries.size >= maxShortLived) {
      const wait = secondsUntil(entries.values().next().value!);
      throw StoreRefusal.poolFull(kind, maxShortLived, wait);
    }
  }

  /** Keys evicted to keep the signed-in users' pool within its limit. */
  function evict(entries: Map<string, Held>): string[] {
    const evicted: string[] = [];
    // A full sweep costs a pass over the store: at most once a second.
    if (entries.size > maxEntries && now() - lastSweep >= 1000) sweep();
    while (entries.size > maxEntries) {
      const key = spent.values().next().value ?? entries.keys().next().value!;
      remove(key);
      evicted.push(key);
    }
    return evicted;
  }

  /** Puts an entry last in its pool (an update keeps its address); the keys evicted for it. */
  function place(entry: Entry, lineBytes: number, address: string | undefined): string[] {
    const key = keyOf(entry.model, entry.id);
    const name = poolOf(entry.model);
    const entries = pool(name);
    const previous = entries.get(key);
    remove(key);
    const held: Held = { entry, bytes: lineBytes };
    if (name !== '') held.address = previous ? previous.address : address;
    entries.set(key, held);
    index(key, held, true);
    return name === '' ? evict(entries) : [];
  }

  /** Drops every expired entry; the keys it dropped. */
  function sweep(): string[] {
    const at = now();
    lastSweep = at;
    const dropped: string[] = [];
    for (const entries of pools.values()) {
      for (const [key, held] of entries) {
        if (expired(held, at) && remove(key)) dropped.push(key);
      }
    }
    return dropped;
  }

  return {
    keyOf,
    /** The live entry for a key; an expired one is dropped. */
    get(key: string): Entry | undefined {
      const held = poolOfKey(key).get(key);
      if (!held) return undefined;
      if (!expired(held)) return held.entry;
      remove(key);
      return undefined;
    },
    /**
     * Stores an entry as the most recently written of its pool; throws StoreRefusal for a new
     * short-lived entry without room. Returns the keys it evicted.
     */
    put(entry: Entry, lineBytes: number, address?: string): string[] {
      const name = poolOf(entry.model);
      const entries = pool(name);
      if (name !== '' && !entries.has(keyOf(entry.model, entry.id))) {
        checkRoom(entry.model, entries, address);
      }
      return place(entry, lineBytes, address);
    },
    /** Stores an entry without asking for room (reading the file, marking one consumed). */
    restore: (entry: Entry, lineBytes: number) => place(entry, lineBytes, undefined),
    remove,
    sweep,
    /** Keys of the tokens of a grant. */
    grantMembers: (grantId: string) => [...(grants.get(grantId) ?? [])],
    sessionByUid: (uid: string) => sessionUids.get(uid),
    keyByUserCode: (userCode: string) => userCodes.get(userCode),
    *all(): Iterable<Entry> {
      for (const entries of pools.values()) for (const { entry } of entries.values()) yield entry;
    },
    /** Total size of the entries' lines: what a rewritten file would hold. */
    get bytes() {
      return bytes;
    },
  };
}

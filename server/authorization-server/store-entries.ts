/**
 * The authorization server's entries in memory (file-adapter.ts persists them), in pools that
 * keep what one client or one account makes from pushing out what others own (store-kinds.ts says
 * which entry goes where):
 *
 * - a **bounded pool** per kind anyone can make, and one for authorization codes: full, a new
 *   entry is refused with `503` (StoreRefusal); one client address (one account, for codes) may
 *   hold a tenth of a pool, beyond which it alone gets `429`. Nothing is evicted from them;
 * - the **accounts' pool** (sessions, grants, refresh and access tokens): one account may hold a
 *   tenth of it (at least 20); beyond that it evicts its own entries — expired ones among its
 *   oldest, then spent ones (rotated-out refresh tokens), then access tokens, then the least
 *   recently written (a periodic sweep drops every expired entry). When the pool is full,
 *   expired and spent entries go, whoever owns them; if none is left, the write is refused with
 *   `503`: another account's live session, grant or token is never evicted;
 * - **spent markers**: a rotated-out refresh token evicted from the accounts' pool leaves a small
 *   marker (spent-marker.ts) until it would have expired, so that its reuse still revokes its
 *   grant. Markers have a pool of the same size; an account beyond a tenth of it, or a full
 *   pool, drops its oldest marker (the token it stood for can no longer be told apart from an
 *   unknown one, which is refused all the same).
 *
 * A refusal names when to try again (`Retry-After`): when the oldest entry in the way expires.
 * Every change returns the store-file lines that record it (store-entry.ts), evictions included.
 * Indexes for oidc-provider's lookups (session uid, device user code, grant id) follow every
 * removal, whatever its cause.
 */
import { isSpentRefreshToken, spentMarkerOf } from './spent-marker.ts';
import { keyOf, storeLine, type Entry } from './store-entry.ts';
import {
  ACCOUNTS_POOL,
  ACCOUNTS_POOL_WORDS,
  storeKindOf,
  type BoundedKind,
  type StoreKind,
} from './store-kinds.ts';
import { StoreRefusal } from './store-refusal.ts';

export interface StoreLimits {
  /**
   * The accounts' pool, and the markers' (default 20 000); one account may hold a tenth of each
   * (at least 20).
   */
  maxEntries?: number;
  /** Each bounded pool (default 10 000); one address or account may hold a tenth. */
  maxShortLived?: number;
}

/** An account's share of the accounts' pool never falls below this: one sign-in is 4 entries. */
const MIN_ACCOUNT_SHARE = 20;
const MARKERS_POOL = 'markers';

/** Models that belong to a grant (oidc-provider's memory adapter: `grantable`). */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

interface Held {
  entry: Entry;
  /** Size of its line in the store file: how much a rewrite of the file costs. */
  bytes: number;
  /** A pool name (store-kinds.ts), or MARKERS_POOL. */
  pool: string;
  /** `address:…` or `account:…`: whose share it counts against (undefined: nobody's). */
  owner: string | undefined;
  kind: StoreKind;
}

/** One owner's entries in one pool, least recently written first. */
interface Share {
  entries: Map<string, Held>;
  /** Spent entries (accounts' pool): evicted first. */
  spent: Set<string>;
  /** Access tokens (accounts' pool): evicted next. */
  replaceable: Set<string>;
}

const first = <T>(items: Iterable<T>): T | undefined => {
  for (const item of items) return item;
  return undefined;
};

export function createStoreEntries(limits: StoreLimits, now: () => number) {
  const { maxEntries = 20_000, maxShortLived = 10_000 } = limits;
  const boundedShare = Math.max(1, Math.floor(maxShortLived / 10));
  const accountShare = Math.max(MIN_ACCOUNT_SHARE, Math.floor(maxEntries / 10));

  /** Every entry by key, wherever it is kept. */
  const held = new Map<string, Held>();
  /** Pool name → its entries, least recently written first. */
  const pools = new Map<string, Map<string, Held>>();
  /** `<pool>|<owner>` → that owner's share of that pool. */
  const shares = new Map<string, Share>();
  /** Spent entries of the accounts' pool, oldest first: evicted first when it is full. */
  const spent = new Set<string>();
  const sessionUids = new Map<string, string>();
  const userCodes = new Map<string, string>();
  const grants = new Map<string, Set<string>>();
  let bytes = 0;
  let lastSweep = -Infinity;
  /** The earliest expiry in the accounts' pool at the last sweep: its refusals' Retry-After. */
  let nextExpiry: number | null = null;

  const poolNamed = (name: string) => {
    let entries = pools.get(name);
    if (!entries) pools.set(name, (entries = new Map()));
    return entries;
  };
  const shareOf = (pool: string, owner: string) => {
    const name = `${pool}|${owner}`;
    let share = shares.get(name);
    if (!share)
      shares.set(name, (share = { entries: new Map(), spent: new Set(), replaceable: new Set() }));
    return share;
  };

  const expired = ({ entry }: Held, at = now()) =>
    entry.expiresAt !== null && entry.expiresAt <= at;
  const secondsUntil = (at: number | null) =>
    Math.max(1, Math.ceil(((at ?? now() + 60_000) - now()) / 1000));

  function describe(entry: Entry, line: string): Held {
    const kind: StoreKind = storeKindOf(entry.model, entry.payload);
    const accountId = entry.payload['accountId'];
    const byAddress = entry.address === undefined ? undefined : `address:${entry.address}`;
    const byAccount = typeof accountId === 'string' ? `account:${accountId}` : undefined;
    const owner = kind.bounded && kind.owner === 'address' ? byAddress : (byAccount ?? byAddress);
    const pool = entry.marker ? MARKERS_POOL : kind.pool;
    return { entry, bytes: Buffer.byteLength(line), pool, owner, kind };
  }

  /** Adds (or, `add` false, removes) a held entry to every structure that knows it. */
  function index(key: string, item: Held, add: boolean): void {
    const { model, id, payload } = item.entry;
    const { uid, userCode, grantId } = payload;
    if (add) {
      held.set(key, item);
      poolNamed(item.pool).set(key, item);
    } else {
      held.delete(key);
      pools.get(item.pool)?.delete(key);
    }
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
    const isSpent = item.pool === ACCOUNTS_POOL && payload['consumed'] !== undefined;
    if (isSpent) {
      if (add) spent.add(key);
      else spent.delete(key);
    }
    if (item.owner !== undefined && add) {
      const share = shareOf(item.pool, item.owner);
      share.entries.set(key, item);
      if (isSpent) share.spent.add(key);
      else if (!item.kind.bounded && item.kind.replaceable) share.replaceable.add(key);
    } else if (item.owner !== undefined) {
      const name = `${item.pool}|${item.owner}`;
      const share = shares.get(name);
      share?.entries.delete(key);
      share?.spent.delete(key);
      share?.replaceable.delete(key);
      if (share?.entries.size === 0) shares.delete(name);
    }
    bytes += add ? item.bytes : -item.bytes;
  }

  function detach(key: string): Held | undefined {
    const item = held.get(key);
    if (item) index(key, item, false);
    return item;
  }

  /** Drops the expired entries at the front of a pool or a share (its oldest writes). */
  function pruneFront(entries: Map<string, Held>): void {
    for (const [key, item] of entries) {
      if (!expired(item)) break;
      detach(key);
    }
  }

  /**
   * Refuses a new entry of a bounded pool when its owner's share or the pool is full. Costs the
   * expired entries it drops, never a pass over the pool: a refused owner (the abusive path) is
   * answered from its own oldest entry, which expires by the time it names.
   */
  function checkBoundedRoom(kind: BoundedKind, owner: string | undefined): void {
    const entries = poolNamed(kind.pool);
    pruneFront(entries);
    const share = owner === undefined ? undefined : shares.get(`${kind.pool}|${owner}`);
    if (share) pruneFront(share.entries);
    if (share && share.entries.size >= boundedShare) {
      const wait = secondsUntil(first(share.entries.values())!.entry.expiresAt);
      throw StoreRefusal.shareUsed(kind.words, kind.owner, boundedShare, wait);
    }
    if (entries.size >= maxShortLived) {
      const wait = secondsUntil(first(entries.values())!.entry.expiresAt);
      throw StoreRefusal.poolFull(kind.words, maxShortLived, wait);
    }
  }

  /** Makes room in the markers' pool for one more of `owner`'s; the lines of what it dropped. */
  function roomForMarker(owner: string | undefined): string[] {
    const lines: string[] = [];
    const drop = (key: string) => {
      detach(key);
      lines.push(storeLine({ del: key }));
    };
    const share = owner === undefined ? undefined : shares.get(`${MARKERS_POOL}|${owner}`);
    if (share) {
      pruneFront(share.entries);
      while (share.entries.size >= accountShare) drop(first(share.entries.keys())!);
    }
    const markers = poolNamed(MARKERS_POOL);
    pruneFront(markers);
    while (markers.size >= maxEntries) drop(first(markers.keys())!);
    return lines;
  }

  /** Removes an entry to make room; a spent refresh token leaves its marker. Its lines. */
  function evict(key: string): string[] {
    const item = detach(key)!;
    if (!isSpentRefreshToken(item.entry)) return [storeLine({ del: key })];
    const marker = spentMarkerOf(item.entry);
    const line = storeLine({ put: marker });
    const markerHeld = describe(marker, line);
    const dropped = roomForMarker(markerHeld.owner);
    index(key, markerHeld, true);
    return [line, ...dropped];
  }

  /**
   * Makes room in the accounts' pool for one more of `owner`'s entries: its own first, if it is
   * at its share; then, if the pool is full, anyone's spent entries; else refuses (503). The
   * lines of what it evicted.
   */
  function roomInAccounts(owner: string | undefined): string[] {
    const lines: string[] = [];
    const share = owner === undefined ? undefined : shares.get(`${ACCOUNTS_POOL}|${owner}`);
    if (share) {
      pruneFront(share.entries);
      while (share.entries.size >= accountShare) {
        const key = first(share.spent) ?? first(share.replaceable) ?? first(share.entries.keys())!;
        lines.push(...evict(key));
      }
    }
    const pool = poolNamed(ACCOUNTS_POOL);
    pruneFront(pool);
    // A full sweep costs a pass over the store: at most once a second.
    if (pool.size >= maxEntries && now() - lastSweep >= 1000) sweep();
    while (pool.size >= maxEntries) {
      const key = first(spent);
      if (key === undefined) {
        throw StoreRefusal.poolFull(ACCOUNTS_POOL_WORDS, maxEntries, secondsUntil(nextExpiry));
      }
      lines.push(...evict(key));
    }
    return lines;
  }

  function attach(entry: Entry): string {
    const key = keyOf(entry.model, entry.id);
    const line = storeLine({ put: entry });
    detach(key);
    index(key, describe(entry, line), true);
    return line;
  }

  /** Drops every expired entry; the keys it dropped. */
  function sweep(): string[] {
    const at = now();
    lastSweep = at;
    const dropped: string[] = [];
    let earliest: number | null = null;
    for (const [key, item] of held) {
      const expiresAt = item.entry.expiresAt;
      if (expired(item, at)) {
        detach(key);
        dropped.push(key);
      } else if (item.pool === ACCOUNTS_POOL && expiresAt !== null) {
        earliest = earliest === null ? expiresAt : Math.min(earliest, expiresAt);
      }
    }
    nextExpiry = earliest;
    return dropped;
  }

  return {
    /** The live entry for a key (a spent token's marker included); an expired one is dropped. */
    get(key: string): Entry | undefined {
      const item = held.get(key);
      if (!item) return undefined;
      if (!expired(item)) return item.entry;
      detach(key);
      return undefined;
    },
    /** The entry for a key as it is held, expired or not (to put it back, see restore). */
    peek: (key: string): Entry | undefined => held.get(key)?.entry,
    /**
     * Stores an entry as the most recently written of its pool, recording `address` (the
     * client's, client-address.ts) with a new one; an update keeps the first address. Throws
     * StoreRefusal when it may not grow its pool. Returns the store-file lines of the change:
     * its own, then those of what it evicted.
     */
    put(entry: Entry, address?: string): string[] {
      const key = keyOf(entry.model, entry.id);
      const previous = held.get(key);
      const recorded = previous?.entry.address ?? address;
      const kept: Entry = recorded === undefined ? entry : { ...entry, address: recorded };
      const line = storeLine({ put: kept });
      const next = describe(kept, line);
      const grows = !previous || previous.pool !== next.pool || previous.owner !== next.owner;
      if (previous) detach(key);
      let evicted: string[] = [];
      try {
        if (grows && next.kind.bounded) checkBoundedRoom(next.kind, next.owner);
        else if (grows) evicted = roomInAccounts(next.owner);
      } catch (error) {
        if (previous) index(key, previous, true);
        throw error;
      }
      index(key, next, true);
      return [line, ...evicted];
    },
    /**
     * Stores an entry as it is, without asking for room (reading the file, marking one consumed,
     * putting one back); its store-file line.
     */
    restore: attach,
    /** Removes an entry; its store-file line, or undefined if there was none. */
    remove(key: string): string | undefined {
      return detach(key) ? storeLine({ del: key }) : undefined;
    },
    sweep,
    /** Keys of the tokens of a grant (markers included). */
    grantMembers: (grantId: string) => [...(grants.get(grantId) ?? [])],
    sessionByUid: (uid: string) => sessionUids.get(uid),
    keyByUserCode: (userCode: string) => userCodes.get(userCode),
    *all(): Iterable<Entry> {
      for (const { entry } of held.values()) yield entry;
    },
    /** Total size of the entries' lines: what a rewritten file would hold. */
    get bytes() {
      return bytes;
    },
  };
}

export type StoreEntries = ReturnType<typeof createStoreEntries>;

/**
 * The authorization server's store on disk: `<dataDir>/authorization-server-store.json`, 0600,
 * in a 0700 folder. One JSON value per line: a header, then changes in the order they happened.
 *
 *   {"version":2,"savedAt":"2030-01-01T00:00:00.000Z"}
 *   {"put":{"model":"Session","id":"…","payload":{…},"expiresAt":1893456000000,"address":"192.0.2.1"}}
 *   {"del":"Session:…"}
 *
 * A change is appended (and synced) as one line, so a write costs the size of what changed,
 * however large the store is. Now and then the file is rewritten with one `put` per live entry
 * (a temporary file, synced, renamed over it), which drops what has expired or been deleted; a
 * crash leaves the old file or the new one, never a torn one. A line torn by a crash while
 * appending is skipped when the file is read. A version 1 file (`{"version":1,"entries":[…]}`,
 * one JSON document) is still read, and rewritten as version 2 at the first change.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';

import { storeLine, type Entry } from './store-entry.ts';

export const STORE_FILE_NAME = 'authorization-server-store.json';

export interface StoreRead {
  /** The entries, in the order they were last written. */
  entries: Entry[];
  /** The file is absent, damaged or of version 1: rewrite it before appending to it. */
  rewrite: boolean;
  /** Size of the file in bytes. */
  bytes: number;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEntry(value: unknown): value is Entry {
  if (!isPlainObject(value)) return false;
  const { model, id, payload, expiresAt, address, marker } = value;
  return (
    typeof model === 'string' &&
    model !== '' &&
    !model.includes(':') &&
    typeof id === 'string' &&
    id !== '' &&
    isPlainObject(payload) &&
    (expiresAt === null || (typeof expiresAt === 'number' && Number.isFinite(expiresAt))) &&
    (address === undefined || typeof address === 'string') &&
    (marker === undefined || marker === true)
  );
}

const parse = (line: string): unknown => {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
};

/** Reads the file once, synchronously (at start); says in one line what it could not read. */
export function readStoreFile(file: string, warn: (message: string) => void): StoreRead {
  const empty = { entries: [], rewrite: true, bytes: 0 };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      warn(
        `authorization server: ${file}: the session store was unreadable (${(error as Error).message}); starting with no sessions.`,
      );
    }
    return empty;
  }
  const lines = text.split('\n').filter((line) => line !== '');
  const header = parse(lines[0] ?? '');
  const version = isPlainObject(header) ? header['version'] : undefined;
  let changes: unknown[];
  if (version === 1 && isPlainObject(header) && Array.isArray(header['entries'])) {
    changes = (header['entries'] as unknown[]).map((put) => ({ put }));
  } else if (version === 2) {
    changes = lines.slice(1).map(parse);
  } else {
    warn(
      `authorization server: ${file}: the session store was unreadable (not a store of version 1 or 2); starting with no sessions.`,
    );
    return empty;
  }

  const byKey = new Map<string, Entry>();
  let malformed = 0;
  for (const change of changes) {
    if (isPlainObject(change) && isEntry(change['put'])) {
      const entry = change['put'];
      const key = `${entry.model}:${entry.id}`;
      byKey.delete(key); // the latest write goes last
      byKey.set(key, entry);
    } else if (isPlainObject(change) && typeof change['del'] === 'string') {
      byKey.delete(change['del']);
    } else {
      malformed++;
    }
  }
  if (malformed > 0) {
    warn(
      `authorization server: ${file}: ignored ${malformed} malformed entr${malformed === 1 ? 'y' : 'ies'} of the session store.`,
    );
  }
  return {
    entries: [...byKey.values()],
    rewrite: version === 1 || malformed > 0,
    bytes: Buffer.byteLength(text),
  };
}

/** Appends lines and syncs them; the number of bytes written. */
export async function appendToStoreFile(file: string, lines: string[]): Promise<number> {
  const text = lines.join('');
  const handle = await open(file, 'a', 0o600);
  try {
    await handle.writeFile(text);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  return Buffer.byteLength(text);
}

/** Replaces the file with a header and one line per entry, atomically; the bytes written. */
export async function rewriteStoreFile(
  file: string,
  dataDir: string,
  entries: Iterable<Entry>,
  savedAt: Date,
): Promise<number> {
  const parts = [`${JSON.stringify({ version: 2, savedAt: savedAt.toISOString() })}\n`];
  for (const entry of entries) parts.push(storeLine({ put: entry }));
  const text = parts.join('');
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
  return Buffer.byteLength(text);
}

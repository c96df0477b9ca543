/**
 * What the lab keeps for this tab across views and reloads — the inspector's log, the attack
 * lab's and the checks' results — in sessionStorage, under one prefix, so sign-in and sign-out can
 * forget it all at once. Never a token: proofs (single-use, bound to one request), answers and
 * explanations only.
 */
const PREFIX = 'dpop-lab.lab.';

/** The record `name`, if it is there and `isValid` accepts it; null otherwise. */
export function readLabRecord<T>(name: string, isValid: (value: unknown) => value is T): T | null {
  try {
    const value: unknown = JSON.parse(sessionStorage.getItem(PREFIX + name) ?? 'null');
    return isValid(value) ? value : null;
  } catch {
    return null;
  }
}

/** Keeps `value` as the record `name`; a full or refused storage only means it is not kept. */
export function writeLabRecord(name: string, value: unknown): void {
  try {
    sessionStorage.setItem(PREFIX + name, JSON.stringify(value));
  } catch {
    // Quota or private mode: the lab works on, it only forgets at the next reload.
  }
}

/** Forgets every lab record of this tab: a new session starts from nothing. */
export function forgetLabRecords(): void {
  for (const key of Object.keys(sessionStorage)) {
    if (key.startsWith(PREFIX)) sessionStorage.removeItem(key);
  }
}

/** Whether `value` is a plain object (for `isValid` checks). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

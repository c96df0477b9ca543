import { DpopError, DpopErrorCode } from '../dpop-error';

/** What each IndexedDB failure means, by the `name` of the DOMException, and what to do. */
const FAILURES: Record<string, { code: DpopErrorCode; explain: (where: string) => string }> = {
  BlockedError: {
    code: 'key_storage_blocked',
    explain: (where) =>
      `the ${where} is held open by another tab of this app. Close the other tabs and reload.`,
  },
  QuotaExceededError: {
    code: 'key_storage_quota',
    explain: () =>
      "the browser's storage quota for this site is exhausted. " +
      'Free up site data (DevTools → Application → Storage) and reload.',
  },
  DataCloneError: {
    code: 'key_storage_clone',
    explain: () =>
      'this browser cannot store a CryptoKey in IndexedDB (DataCloneError). ' +
      'Use a current Chrome, Edge, Firefox or Safari.',
  },
  VersionError: {
    code: 'key_storage_version',
    explain: (where) =>
      `the ${where} exists with a newer version than this app expects. ` +
      'Clear this site’s data, or configure another name with withKeyStorage({ databaseName }).',
  },
};

const UNAVAILABLE = ['InvalidStateError', 'SecurityError', 'UnknownError', 'ReferenceError'];

/** Turns an IndexedDB failure into a `DpopError` that says what failed and what to do. */
export function toKeyStorageError(error: unknown, action: string, databaseName: string): DpopError {
  if (error instanceof DpopError) {
    return error;
  }
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  const where = `IndexedDB database "${databaseName}"`;
  const known = FAILURES[name];
  if (known) {
    return new DpopError(known.code, `Could not ${action}: ${known.explain(where)}`, {
      cause: error,
    });
  }
  if (UNAVAILABLE.includes(name)) {
    return new DpopError(
      'key_storage_unavailable',
      `Could not ${action}: IndexedDB is unavailable (private browsing, disabled site data, ` +
        'or an insecure context). Allow site data for this origin and reload.',
      { cause: error },
    );
  }
  return new DpopError(
    'key_storage_failed',
    `Could not ${action} in the ${where}: ${describe(error)}. ` +
      'Reload; if it persists, clear this site’s data.',
    { cause: error },
  );
}

function describe(error: unknown): string {
  return error instanceof Error || error instanceof DOMException
    ? `${error.name}: ${error.message}`
    : String(error);
}

import { DpopError } from './dpop-error';

/**
 * The one loader of the part of the core a signed-out visitor's first page does without: the key
 * store (WebCrypto, IndexedDB through idb) and proof signing (@dpop-lab/protocol, jose), in
 * `runtime/`. Fetched by `import()` on first use and kept. A failed fetch (offline, a newer
 * deployment) is a `DpopError` that says what to do, and the next call tries again.
 *
 * Files outside `runtime/` reach it only through here (the lint rule `dpop-lab/lazy-runtime`
 * keeps it so): one static import of it would pull all of it into the first page load.
 */
let loading: Promise<typeof import('./runtime/runtime')> | undefined;

export function loadRuntime(): Promise<typeof import('./runtime/runtime')> {
  return (loading ??= import('./runtime/runtime').catch((cause: unknown) => {
    loading = undefined;
    throw new DpopError(
      'code_not_loaded',
      `Could not load the DPoP key store and proof signer (${cause instanceof Error ? cause.message : String(cause)}): ` +
        'check the network connection and reload the page.',
      { cause },
    );
  }));
}

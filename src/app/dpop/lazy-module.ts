import { DpopError } from './dpop-error';

/**
 * A part of the DPoP core that a signed-out visitor's first page does without — the key store
 * (WebCrypto, IndexedDB), proof signing and the token checks (jose) — fetched by `import()` on
 * first use and kept. A failed fetch (offline, a newer deployment) is a `DpopError` that says
 * what to do, and the next call tries again.
 */
export function lazyModule<M>(part: string, load: () => Promise<M>): () => Promise<M> {
  let loading: Promise<M> | undefined;
  return () =>
    (loading ??= load().catch((cause: unknown) => {
      loading = undefined;
      throw new DpopError(
        'code_not_loaded',
        `Could not load ${part} (${cause instanceof Error ? cause.message : String(cause)}): ` +
          'check the network connection and reload the page.',
        { cause },
      );
    }));
}

/**
 * The key store, the sender and the checks of issued tokens (dpop-runtime.ts), one chunk that
 * `Dpop` and the interceptor share.
 */
export const runtime = lazyModule(
  'the DPoP key store and proof signer',
  () => import('./dpop-runtime'),
);

import { inject, Injector, Type } from '@angular/core';

import { AuthError } from './auth-error';

/**
 * The root services of a module split off the first page load (auth-parts.ts): the module is
 * `import()`ed on the first call, then kept. A failed fetch (offline, a newer deployment) is an
 * `AuthError` that says what to do, and the next call tries again. Call it in an injection
 * context; `lazy((m) => m.SignInFlow)` resolves to the service.
 */
export function lazyServices<M>(
  part: string,
  load: () => Promise<M>,
): <T>(pick: (module: M) => Type<T>) => Promise<T> {
  const injector = inject(Injector);
  let loading: Promise<M> | undefined;
  const module = () =>
    (loading ??= load().catch((cause: unknown) => {
      loading = undefined;
      throw new AuthError(
        'code_not_loaded',
        `Could not load ${part} (${cause instanceof Error ? cause.message : String(cause)}): ` +
          'check the network connection and reload the page.',
        { cause },
      );
    }));
  return async (pick) => injector.get(pick(await module()));
}

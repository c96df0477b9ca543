import { inject, Injector, Type } from '@angular/core';

import { AuthError } from './auth-error';

/**
 * The root services of a module split off the first page load (auth-parts.ts): the module is
 * `import()`ed on the first call, then kept; `parts((m) => m.SignInFlow)` resolves to the
 * service. A failed fetch (offline, a newer deployment) is an `AuthError` that says what to do,
 * and the next call tries again. Call it in an injection context.
 */
export function lazyServices<M>(
  part: string,
  load: () => Promise<M>,
): <T>(pick: (module: M) => Type<T>) => Promise<T> {
  const injector = inject(Injector);
  let loaded: Promise<M> | null = null;
  return async (pick) => {
    loaded ??= load();
    const module = await loaded.catch((cause: unknown) => {
      loaded = null;
      throw notLoaded(part, cause);
    });
    return injector.get(pick(module));
  };
}

function notLoaded(part: string, cause: unknown): AuthError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return new AuthError(
    'code_not_loaded',
    `Could not load ${part} (${why}): check the network connection and reload the page.`,
    { cause },
  );
}

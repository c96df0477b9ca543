import { HttpInterceptorFn } from '@angular/common/http';
import { EnvironmentInjector, inject, runInInjectionContext } from '@angular/core';
import { from, switchMap } from 'rxjs';

/**
 * An interceptor whose code is fetched with the first request it owns, so it stays out of the
 * first page load. `owns` decides, synchronously and in the interceptor's injection context,
 * whether a request is its own; every other request passes untouched and loads nothing.
 */
export function lazyInterceptor(
  owns: () => boolean,
  load: () => Promise<HttpInterceptorFn>,
): HttpInterceptorFn {
  return (req, next) => {
    if (!owns()) return next(req);
    const injector = inject(EnvironmentInjector);
    return from(load()).pipe(
      switchMap((interceptor) => runInInjectionContext(injector, () => interceptor(req, next))),
    );
  };
}

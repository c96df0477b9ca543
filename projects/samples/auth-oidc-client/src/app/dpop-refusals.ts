import { HttpInterceptorFn } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { DpopError } from '@dpop-lab/angular';
import { tap } from 'rxjs';

/**
 * The last `DpopError` of a request. angular-auth-oidc-client reports a failed token request only
 * as "OidcService code request <authority>" (the cause goes to its log), so a refused downgrade
 * is kept here to be shown as what it is.
 */
@Injectable({ providedIn: 'root' })
export class DpopRefusals {
  last: DpopError | null = null;
}

/** Goes before `dpopInterceptor`, so it sees the errors the DPoP interceptor raises. */
export const recordDpopRefusals: HttpInterceptorFn = (req, next) => {
  const refusals = inject(DpopRefusals);
  return next(req).pipe(
    tap({
      error: (error: unknown) => {
        if (error instanceof DpopError) refusals.last = error;
      },
    }),
  );
};

import { EnvironmentProviders, makeEnvironmentProviders } from '@angular/core';

import { BEARER_SIGN_IN_MODE } from '../auth/sign-in-mode';
import { BearerSignInMode } from './bearer-sign-in-mode';

/**
 * The walkthrough's comparison with plain bearer tokens: "Use plain bearer tokens" on the home
 * page signs in with config.json's `bearerClientId`. Register it only when config.json names a
 * `bearerClientId` (as `appConfig()` does). Add `bearerInterceptor` before `dpopInterceptor` in
 * `withInterceptors([...])` too.
 */
export function provideBearerComparison(): EnvironmentProviders {
  return makeEnvironmentProviders([{ provide: BEARER_SIGN_IN_MODE, useClass: BearerSignInMode }]);
}

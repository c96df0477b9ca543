import { inject, Injectable } from '@angular/core';
import { DpopDevtools } from '@dpop-lab/angular/devtools';
import {
  runConformance,
  type CheckResult,
  type ConformanceReport,
} from '@dpop-lab/protocol/conformance';

import { Auth } from '../auth/auth';
import { APP_CONFIG } from '../config/app-config';
import { issuerNonce } from './issuer-nonce';

/**
 * Runs the DPoP conformance catalogue — the one `npm run conformance` runs, from
 * @dpop-lab/protocol/conformance — in this browser against the configured API, with this
 * session's token and key (which signs, through devtools, and never leaves the core). Its requests
 * go out with `fetch` itself: no interceptor adds to them, and the app's nonce cache and the
 * inspector's log stay as they were. The faulty proofs are refused and the correct ones use up
 * only their own `jti`, so the session is not affected.
 */
@Injectable({ providedIn: 'root' })
export class ApiChecker {
  private readonly config = inject(APP_CONFIG);
  /** The resource checked: the users API, which the session's token is for. */
  readonly url = `${this.config.api.baseUrl}users`;
  private readonly auth = inject(Auth);
  private readonly devtools = inject(DpopDevtools);

  async run(onResult: (result: CheckResult) => void): Promise<ConformanceReport> {
    const accessToken = await this.auth.accessToken(this.config.api.resource);
    if (!accessToken) throw new Error('There is no access token for the API: sign in first.');
    const foreignNonce = await issuerNonce(this.config.issuer, this.config.clientId);
    return runConformance({
      url: this.url,
      key: await this.devtools.key(),
      accessToken,
      ...(foreignNonce ? { foreignNonce } : {}),
      onResult,
    });
  }
}

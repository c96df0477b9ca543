import { inject, Injectable } from '@angular/core';
import type { JWK } from 'jose';

import {
  runConformance,
  type CheckResult,
  type ConformanceReport,
} from '../../../server/conformance/index.ts';
import { Auth } from '../auth/auth';
import { APP_CONFIG } from '../config/app-config';
import { Dpop } from '../dpop';
import { issuerNonce } from './issuer-nonce';

/**
 * Runs the DPoP conformance catalogue — the one `npm run conformance` runs, from
 * server/conformance/ — in this browser against the configured API, with this session's token
 * and key. Its requests go out with `fetch` itself: no interceptor adds to them, and the app's
 * nonce cache and the inspector's log stay as they were. The faulty proofs are refused and the
 * correct ones use up only their own `jti`, so the session is not affected.
 */
@Injectable({ providedIn: 'root' })
export class ApiChecker {
  private readonly config = inject(APP_CONFIG);
  /** The resource checked: the users API, which the session's token is for. */
  readonly url = `${this.config.api.baseUrl}users`;
  private readonly auth = inject(Auth);
  private readonly dpop = inject(Dpop);

  async run(onResult: (result: CheckResult) => void): Promise<ConformanceReport> {
    const accessToken = await this.auth.accessToken(this.config.api.resource);
    if (!accessToken) throw new Error('There is no access token for the API: sign in first.');
    const { privateKey, publicJwk, algorithm, thumbprint } = await this.dpop.key();
    const foreignNonce = await issuerNonce(this.config.issuer, this.config.clientId);
    return runConformance({
      url: this.url,
      key: { privateKey, publicJwk: publicJwk as JWK, algorithm, thumbprint },
      accessToken,
      ...(foreignNonce ? { foreignNonce } : {}),
      onResult,
    });
  }
}

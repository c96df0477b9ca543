import { inject, Injectable } from '@angular/core';

import { AuthError } from '../auth/auth-error';
import type { SignInMode } from '../auth/sign-in-mode';
import type { TokenResponse } from '../auth/token-client';
import { APP_CONFIG } from '../config/app-config';

/**
 * The walkthrough's plain-bearer sign-in: the second client (`bearerClientId`), registered
 * without DPoP. No key, no `dpop_jkt`, no proofs: the server issues `token_type: Bearer` tokens
 * that work for whoever holds them — which is what the comparison shows.
 */
@Injectable()
export class BearerSignInMode implements SignInMode {
  readonly name = 'Bearer' as const;
  // Registered (provideBearerComparison) only when config.json names it: `?? ''` is for the type.
  readonly clientId: string = inject(APP_CONFIG).bearerClientId ?? '';
  readonly tokenRequestContext = undefined;

  async prepare(): Promise<undefined> {
    return undefined;
  }

  /** No proof was sent, so the server must answer `token_type: Bearer` (RFC 6750). */
  async checkIssued(response: TokenResponse): Promise<undefined> {
    if (response.token_type?.toLowerCase() !== 'bearer') {
      throw new AuthError(
        'invalid_token_response',
        `The bearer client was issued ${response.token_type ?? 'untyped'} tokens instead of plain ` +
          'Bearer ones: register it without DPoP (no dpop_bound_access_tokens).',
      );
    }
    return undefined;
  }

  async restore(): Promise<boolean> {
    return true; // nothing to lose: the tokens are bound to nothing
  }

  async end(): Promise<void> {
    // Nothing is bound to these tokens, so there is nothing to delete.
  }
}

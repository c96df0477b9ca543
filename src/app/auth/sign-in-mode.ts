import { HttpContext } from '@angular/common/http';
import { inject, Injectable, InjectionToken } from '@angular/core';

import { APP_CONFIG } from '../config/app-config';
import { Dpop, withDpopProof } from '../dpop';
import { AuthError } from './auth-error';
import type { OidcMetadata } from './oidc-discovery';
import type { SignInModeName } from './session';
import type { TokenResponse } from './token-client';

/**
 * How a sign-in binds its tokens, chosen once when it starts: the app's own DPoP client, or the
 * walkthrough's plain-bearer client (registered by `provideBearerComparison()`). Everything that
 * differs between the two is here, so the sign-in flow and the refresher never branch on it.
 */
export interface SignInMode {
  readonly name: SignInModeName;
  readonly clientId: string;
  /** The context of token requests (the DPoP proof); none for bearer tokens. */
  readonly tokenRequestContext: HttpContext | undefined;
  /** Before the redirect: a fresh key; resolves to `dpop_jkt` (RFC 9449 §10) or undefined. */
  prepare(metadata: OidcMetadata): Promise<string | undefined>;
  /** After a token response: refuses tokens of the wrong kind; resolves to the key's thumbprint. */
  checkIssued(response: TokenResponse): Promise<string | undefined>;
  /** Whether a stored session bound to `jkt` can still be used here (its key is still stored). */
  restore(jkt: string | undefined): Promise<boolean>;
  /** At sign-out: whatever the tokens were bound to is deleted. */
  end(): Promise<void>;
}

/** The walkthrough's plain-bearer mode, when the app registers it. */
export const BEARER_SIGN_IN_MODE = new InjectionToken<SignInMode>('BEARER_SIGN_IN_MODE');

/** The app's own client: tokens bound to the DPoP key, every token request with a proof. */
@Injectable({ providedIn: 'root' })
export class DpopSignInMode implements SignInMode {
  private readonly dpop = inject(Dpop);
  readonly name = 'DPoP' as const;
  readonly clientId = inject(APP_CONFIG).clientId;
  readonly tokenRequestContext = withDpopProof();

  async prepare(metadata: OidcMetadata): Promise<string | undefined> {
    try {
      return await this.dpop.prepare(metadata);
    } catch (error) {
      throw AuthError.from(error);
    }
  }

  async checkIssued(response: TokenResponse): Promise<string> {
    try {
      return await this.dpop.verifyIssued(response);
    } catch (error) {
      throw AuthError.from(error);
    }
  }

  restore(jkt: string | undefined): Promise<boolean> {
    return this.dpop.restore(jkt);
  }

  end(): Promise<void> {
    return this.dpop.end();
  }
}

/** The modes this app can sign in with: its own DPoP client, and the bearer one if registered. */
@Injectable({ providedIn: 'root' })
export class SignInModes {
  private readonly dpop = inject(DpopSignInMode);
  private readonly bearer = inject(BEARER_SIGN_IN_MODE, { optional: true });

  /** Whether "Use plain bearer tokens" can be offered. */
  readonly bearerAvailable = this.bearer !== null;

  get(name: SignInModeName): SignInMode {
    if (name === 'DPoP') return this.dpop;
    if (!this.bearer) {
      throw new AuthError(
        'bearer_client_missing',
        'config.json names no "bearerClientId", so the app cannot sign in with plain bearer tokens.',
      );
    }
    return this.bearer;
  }
}

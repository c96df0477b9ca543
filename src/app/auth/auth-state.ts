import { computed, Injectable, signal } from '@angular/core';

import { AuthError } from './auth-error';
import { displayNameOf, Session } from './session';

export type AuthStatus = 'signed-out' | 'signing-in' | 'signed-in' | 'error';

interface State {
  session: Session | null;
  /** A sign-in was started or its callback is being completed. */
  signingIn: boolean;
  /** Why the last sign-in (or refresh) failed. */
  error: AuthError | null;
  /** Something the user should know that is not a failure, e.g. "your session has ended". */
  notice: string | null;
}

const INITIAL: State = { session: null, signingIn: false, error: null, notice: null };

/** The sign-in state as one signal; everything the views read is computed from it. */
@Injectable({ providedIn: 'root' })
export class AuthState {
  private readonly state = signal<State>(INITIAL);

  readonly session = computed(() => this.state().session);
  readonly error = computed(() => this.state().error);
  readonly notice = computed(() => this.state().notice);
  readonly status = computed<AuthStatus>(() => {
    const { session, signingIn, error } = this.state();
    if (error) return 'error';
    if (signingIn) return 'signing-in';
    return session ? 'signed-in' : 'signed-out';
  });
  readonly isSignedIn = computed(() => this.status() === 'signed-in');
  readonly user = computed(() => this.session()?.user ?? null);
  readonly displayName = computed(() => displayNameOf(this.user()));
  readonly keyThumbprint = computed(() => this.session()?.jkt ?? null);

  /** This tab's session from now on (null: signed out); `notice` says why when it ended unasked. */
  setSession(session: Session | null, notice?: string): void {
    this.state.update((state) => ({
      ...state,
      session,
      ...(notice === undefined ? {} : { notice }),
    }));
  }

  /** A sign-in starts, or its callback is being completed. */
  signingIn(): void {
    this.state.update((state) => ({ ...state, signingIn: true, error: null, notice: null }));
  }

  signInFinished(): void {
    this.state.update((state) => ({ ...state, signingIn: false }));
  }

  /** The view shows text chosen by the error's code; the developer's message goes to the console. */
  failed(error: AuthError): void {
    console.error(`${error.name} ${error.code}: ${error.message}`);
    this.state.update((state) => ({ ...state, signingIn: false, error }));
  }

  /** Hides the current error and notice. */
  dismiss(): void {
    this.state.update((state) => ({ ...state, error: null, notice: null }));
  }
}

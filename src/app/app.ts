import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { filter, map } from 'rxjs';
import { Auth } from './auth/auth';
import { KeyStorageNotice } from './auth/key-storage-notice';
import { APP_CONFIG } from './config/app-config';
import { ProblemAlert, toProblem } from './shared/problem';

/** The shell: header with navigation and the sign-in state, messages, and the routed page. */
@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, RouterLinkActive, ProblemAlert, KeyStorageNotice],
  templateUrl: './app.html',
  styleUrl: './app.css',
})
export class App {
  protected readonly auth = inject(Auth);
  private readonly router = inject(Router);
  private readonly redirectPath = inject(APP_CONFIG).redirectPath;

  protected readonly links = [
    { path: '/', label: 'Home', exact: true },
    { path: '/profile', label: 'Profile', exact: false },
    { path: '/users', label: 'Users', exact: false },
    { path: '/inspector', label: 'Inspector', exact: false },
    { path: '/attacks', label: 'Attack lab', exact: false },
  ];

  private readonly url = toSignal(
    this.router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      map((event) => event.urlAfterRedirects),
    ),
    { initialValue: this.router.url },
  );

  /** A sign-in error, except on the callback page, which shows it itself. */
  protected readonly problem = computed(() => {
    const error = this.auth.status() === 'error' ? this.auth.error() : null;
    const onCallback = this.url().split(/[?#]/)[0] === this.redirectPath;
    return error && !onCallback ? toProblem(error, 'The authorization server') : null;
  });

  protected signIn(): void {
    const here = this.url().split(/[?#]/)[0] === this.redirectPath ? '/' : this.url();
    void this.auth.signIn(here);
  }

  protected signOut(): void {
    void this.auth.signOut();
  }
}

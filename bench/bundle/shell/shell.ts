/**
 * The Angular shell every bundle variant shares: zoneless, router, HttpClient (fetch backend),
 * a header with navigation and a Sign in button, and lazy pages. The variants differ only in
 * what the Sign in button and the callback page do and which interceptor HttpClient gets
 * (see ../<variant>/main.ts).
 */
import {
  ApplicationConfig,
  ChangeDetectionStrategy,
  Component,
  EnvironmentProviders,
  inject,
  InjectionToken,
  Provider,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter, RouterLink, RouterOutlet, Routes } from '@angular/router';

export const API_BASE = 'http://localhost:3001/api/';

/** What the variant does on "Sign in" and on the callback route. */
export interface ShellAuth {
  signIn(): Promise<void>;
  completeSignIn(url: URL): Promise<void>;
}

export const SHELL_AUTH = new InjectionToken<ShellAuth>('SHELL_AUTH');

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink],
  template: `
    <header>
      <a routerLink="/">Shell</a>
      <nav><a routerLink="/users">Users</a></nav>
      <button type="button" (click)="signIn()">Sign in</button>
    </header>
    <main><router-outlet /></main>
  `,
})
export class Shell {
  private readonly auth = inject(SHELL_AUTH);

  protected signIn(): void {
    void this.auth.signIn();
  }
}

export const routes: Routes = [
  { path: '', pathMatch: 'full', loadComponent: () => import('./home').then((m) => m.Home) },
  { path: 'users', loadComponent: () => import('./users').then((m) => m.Users) },
  { path: 'login/callback', loadComponent: () => import('./callback').then((m) => m.Callback) },
];

/** The shell's providers plus the variant's. */
export function shellConfig(...providers: (Provider | EnvironmentProviders)[]): ApplicationConfig {
  return {
    providers: [
      provideBrowserGlobalErrorListeners(),
      provideZonelessChangeDetection(),
      provideRouter(routes),
      ...providers,
    ],
  };
}

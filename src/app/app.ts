import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterLink, RouterOutlet } from '@angular/router';
import { Auth } from './auth/auth';
import { MessagesSlot } from './shell/messages-slot';
import { pathOf } from './shell/app-paths';
import { SignInButton } from './shell/sign-in-button';

/**
 * The shell: a skip link, the header with navigation and the sign-in state, the messages
 * (loaded beside the first page, see MessagesSlot), and the routed page. A change of view moves
 * focus to the new view's heading, which a screen reader then reads out.
 */
@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterOutlet, RouterLink, MessagesSlot, SignInButton],
  templateUrl: './app.html',
  styleUrl: './app.css',
})
export class App {
  protected readonly auth = inject(Auth);
  private readonly router = inject(Router);

  protected readonly links = [
    { path: '/', label: 'Home', exact: true },
    { path: '/profile', label: 'Profile', exact: false },
    { path: '/users', label: 'Users', exact: false },
    { path: '/inspector', label: 'Inspector', exact: false },
    { path: '/attacks', label: 'Attack lab', exact: false },
    { path: '/check', label: 'Check this API', exact: false },
  ];

  /** The path of the page shown, without query or fragment; set on every navigation. */
  private readonly path = signal(pathOf(this.router.url));

  /**
   * The link of the page shown, which gets `active` and `aria-current="page"`: the shell compares
   * paths itself, which RouterLinkActive would do at about 1 kB more of the first load.
   */
  protected readonly current = computed(() => {
    const path = this.path();
    const matches = (link: { path: string; exact: boolean }) =>
      path === link.path || (!link.exact && path.startsWith(`${link.path}/`));
    return this.links.find(matches)?.path ?? null;
  });

  constructor() {
    let firstView = true;
    this.router.events.pipe(takeUntilDestroyed()).subscribe((event) => {
      if (!(event instanceof NavigationEnd)) return;
      const url = event.urlAfterRedirects;
      this.path.set(pathOf(url));
      // Not on the first page of a visit (the browser starts at the top), nor for a link to a
      // part of a view (#fragment): that view moves focus there itself.
      if (!firstView && !url.includes('#')) afterViewRender(focusViewHeading);
      firstView = false;
    });
  }

  protected signOut(): void {
    void this.auth.signOut();
  }

  /** The skip link moves focus (not the URL, which the router owns) to the main content. */
  protected skipToMain(event: Event): void {
    event.preventDefault();
    document.getElementById('main')?.focus();
  }
}

/**
 * Runs `work` once the view just activated has rendered. Activation scheduled change detection,
 * which runs in a task of its own, before NavigationEnd; a task set now runs after it. (Cheaper
 * than afterNextRender, which would add about 2.5 kB to the first load.)
 */
function afterViewRender(work: () => void): void {
  setTimeout(work);
}

/** Focus on the view's heading, the start of its content: `tabindex=-1` makes it focusable. */
function focusViewHeading(): void {
  const heading = document.querySelector<HTMLElement>('main h1');
  if (!heading) return;
  heading.tabIndex = -1;
  heading.focus();
}

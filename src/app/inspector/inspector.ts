import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { ActivatedRoute, RouterLink } from '@angular/router';

import { Dpop } from '@dpop-lab/angular';
import { DpopDevtools } from '@dpop-lab/angular/devtools';

import { Auth } from '../auth/auth';
import { APP_CONFIG, KEY_DATABASE_NAME } from '../config/app-config';
import { CopyButton } from '../shared/copy-button';
import { loader, pendingTask } from '../shared/loader';
import { ClaimTable } from './claim-table';
import { ExchangeLog, UserAction } from './exchange-log';
import { describeRequest, groupByAction, groupExchanges, RequestView } from './request-view';

/** How many requests the page draws (the log keeps a few more attempts). */
const SHOWN_REQUESTS = 20;

interface KeyView {
  algorithm: string;
  publicJwk: string;
  thumbprint: string;
  extractable: boolean;
  storage: string;
}

/**
 * The inspector: the requests the DPoP interceptor handled in this tab's session, grouped by what
 * the user did, newest first — each named by its purpose, with its nonce handshake drawn as
 * arrows, its proofs decoded, explained and copyable, and its access token checked against the
 * proof (`ath`) and the key (`cnf.jkt`); then this browser's DPoP key. Decoded, not verified.
 * `/inspector#request-<id>` opens and focuses one request (the views link to their last call).
 */
@Component({
  selector: 'app-inspector',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ClaimTable, CopyButton, RouterLink],
  templateUrl: './inspector.html',
  styleUrl: './inspector.css',
})
export class Inspector {
  private readonly log = inject(ExchangeLog);
  private readonly auth = inject(Auth);
  private readonly dpop = inject(Dpop);
  private readonly devtools = inject(DpopDevtools);
  private readonly config = inject(APP_CONFIG);
  private readonly track = pendingTask();

  protected readonly key = loader(
    () => this.describeKey(),
    () => 'This browser',
  );
  protected readonly requests = signal<RequestView[]>([]);
  protected readonly actions = computed(() =>
    groupByAction(this.requests()).map(({ action, requests }) => ({
      key: action.key,
      title: this.actionTitle(action),
      // When it started: the first try of its oldest request.
      time: new Date(requests.at(-1)!.group.attempts[0].at).toLocaleTimeString(),
      requests,
    })),
  );
  /** The request a link asked for (`#request-<id>`), else the newest: shown open. */
  private readonly wanted = inject(ActivatedRoute).snapshot.fragment?.replace(/^request-/, '');
  protected readonly openRequest = computed(() => this.wanted ?? this.requests()[0]?.group.id);
  private version = 0;

  constructor() {
    this.log.exchanges
      .pipe(takeUntilDestroyed())
      .subscribe(
        (exchanges) => void this.describe(groupExchanges(exchanges).slice(0, SHOWN_REQUESTS)),
      );
  }

  protected clear(): void {
    this.log.clear();
  }

  private actionTitle(action: UserAction): string {
    if (action.path === this.config.redirectPath) return 'Signed in';
    return ACTION_TITLES[action.path] ?? `On ${action.path}`;
  }

  private describe(groups: ReturnType<typeof groupExchanges>): Promise<void> {
    const version = ++this.version;
    return this.track(async () => {
      const context = {
        api: this.config.api,
        tokenFor: (url: string) => {
          const resource = this.devtools.resourceFor(url);
          return resource ? this.auth.peekAccessToken(resource.resource) : null;
        },
      };
      const views = await Promise.all(groups.map((group) => describeRequest(group, context)));
      if (version !== this.version) return;
      const first = this.requests().length === 0;
      this.requests.set(views);
      // Once drawn (change detection runs in a task of its own, scheduled by the set above).
      if (first && this.wanted) setTimeout(() => this.focusWanted());
    });
  }

  /** The request a link asked for: brought into view and focused, so it is read out first. */
  private focusWanted(): void {
    const article = document.getElementById(`request-${this.wanted}`);
    if (!article) return;
    article.focus();
  }

  private async describeKey(): Promise<KeyView> {
    const key = await this.devtools.key();
    return {
      algorithm: key.algorithm,
      publicJwk: JSON.stringify(key.publicJwk, null, 2),
      thumbprint: key.thumbprint,
      extractable: key.extractable,
      storage: STORAGE_DESCRIPTIONS[this.dpop.storage()],
    };
  }
}

/** What the user was doing, by the view's path (the sign-in callback's is config.json's). */
const ACTION_TITLES: Record<string, string> = {
  '/': 'On the home page',
  '/profile': 'Opened Profile',
  '/users': 'Opened Users',
  '/inspector': 'In the Inspector',
  '/attacks': 'In the attack lab',
  '/check': 'On Check this API',
  'sign-out': 'Signed out',
};

const STORAGE_DESCRIPTIONS = {
  indexeddb: `IndexedDB, database "${KEY_DATABASE_NAME}" (survives reloads; deleted at sign-out)`,
  memory: 'Memory only: this browser refused to store it, so it ends with this tab',
  unknown: 'Not known yet',
};

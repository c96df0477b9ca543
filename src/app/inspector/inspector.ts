import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';

import { Dpop } from '@dpop-lab/angular';
import { DpopDevtools } from '@dpop-lab/angular/devtools';

import { Auth } from '../auth/auth';
import { KEY_DATABASE_NAME } from '../config/app-config';
import { loader, pendingTask } from '../shared/loader';
import { ClaimTable } from './claim-table';
import { ExchangeLog } from './exchange-log';
import { describeRequest, groupExchanges, RequestView } from './request-view';

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
 * The inspector: this browser's DPoP key, and the last requests the interceptor handled, newest
 * first — each with its nonce handshake drawn as arrows, its proofs decoded and explained, and its
 * access token checked against the proof (`ath`) and the key (`cnf.jkt`). Decoded, not verified.
 */
@Component({
  selector: 'app-inspector',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ClaimTable, RouterLink],
  templateUrl: './inspector.html',
  styleUrl: './inspector.css',
})
export class Inspector {
  private readonly log = inject(ExchangeLog);
  private readonly auth = inject(Auth);
  private readonly dpop = inject(Dpop);
  private readonly devtools = inject(DpopDevtools);
  private readonly track = pendingTask();

  protected readonly key = loader(
    () => this.describeKey(),
    () => 'This browser',
  );
  protected readonly requests = signal<RequestView[]>([]);
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

  private describe(groups: ReturnType<typeof groupExchanges>): Promise<void> {
    const version = ++this.version;
    return this.track(async () => {
      const context = {
        tokenFor: (url: string) => {
          const resource = this.devtools.resourceFor(url);
          return resource ? this.auth.peekAccessToken(resource.resource) : null;
        },
      };
      const views = await Promise.all(groups.map((group) => describeRequest(group, context)));
      if (version === this.version) this.requests.set(views);
    });
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

const STORAGE_DESCRIPTIONS = {
  indexeddb: `IndexedDB, database "${KEY_DATABASE_NAME}" (survives reloads; deleted at sign-out)`,
  memory: 'Memory only: this browser refused to store it, so it ends with this tab',
  unknown: 'Not known yet',
};

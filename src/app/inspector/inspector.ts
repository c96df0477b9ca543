import { ChangeDetectionStrategy, Component, inject, PendingTasks, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';

import { Auth } from '../auth/auth';
import { DPOP_KEY_STORAGE, DpopAllowList, DpopKeyStore } from '../dpop';
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
  private readonly allowList = inject(DpopAllowList);
  private readonly keys = inject(DpopKeyStore);
  private readonly databaseName = inject(DPOP_KEY_STORAGE).databaseName;
  private readonly pendingTasks = inject(PendingTasks);

  protected readonly key = signal<KeyView | null>(null);
  protected readonly keyProblem = signal<string | null>(null);
  protected readonly requests = signal<RequestView[]>([]);
  protected readonly tokenType = this.auth.tokenType;
  private version = 0;

  constructor() {
    void this.loadKey();
    this.log.exchanges
      .pipe(takeUntilDestroyed())
      .subscribe(
        (exchanges) => void this.describe(groupExchanges(exchanges).slice(0, SHOWN_REQUESTS)),
      );
  }

  protected clear(): void {
    this.log.clear();
  }

  private async describe(groups: ReturnType<typeof groupExchanges>): Promise<void> {
    const version = ++this.version;
    const done = this.pendingTasks.add();
    try {
      const context = {
        tokenFor: (url: string) => {
          const resource = this.allowList.match(url);
          return resource ? this.auth.peekAccessToken(resource.resource) : null;
        },
      };
      const views = await Promise.all(groups.map((group) => describeRequest(group, context)));
      if (version === this.version) this.requests.set(views);
    } finally {
      done();
    }
  }

  private async loadKey(): Promise<void> {
    const done = this.pendingTasks.add();
    try {
      const [pair, jwk, thumbprint, algorithm] = await Promise.all([
        this.keys.keyPair(),
        this.keys.publicJwk(),
        this.keys.thumbprint(),
        this.keys.algorithm(),
      ]);
      const storage = this.keys.storage();
      this.key.set({
        algorithm,
        publicJwk: JSON.stringify(jwk, null, 2),
        thumbprint,
        extractable: pair.privateKey.extractable,
        storage:
          storage === 'indexeddb'
            ? `IndexedDB, database "${this.databaseName}" (survives reloads; deleted at sign-out)`
            : storage === 'memory'
              ? 'Memory only: this browser refused to store it, so it ends with this tab'
              : 'Not known yet',
      });
    } catch (error) {
      this.keyProblem.set(
        `The DPoP key could not be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      done();
    }
  }
}

import { inject, Injectable } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router } from '@angular/router';
import { BehaviorSubject, Observable } from 'rxjs';

import { DpopDevtools, DpopExchange } from '@dpop-lab/angular/devtools';

import { isRecord, readLabRecord, writeLabRecord } from '../shared/lab-records';
import { RequestPurpose, RequestPurposes } from '../shared/request-purpose';
import { pathOf } from '../shell/app-paths';

/**
 * An exchange as the inspector keeps it: what the DPoP interceptor reported, why the app sent it
 * (`purpose`, when the request cannot tell) and what the user was doing (`action`).
 */
export interface LoggedExchange extends Omit<DpopExchange, 'requestId'> {
  /** The same for a request's first attempt and its retries; unique across reloads. */
  requestId: string;
  purpose?: RequestPurpose;
  action: UserAction;
}

/** The view the user had opened when a request went out: one visit to it, or a sign-out there. */
export interface UserAction {
  /** The same for every request of one visit (or of one sign-out). */
  key: string;
  /** The view's path, e.g. `/users`; `sign-out` for a sign-out. */
  path: string;
}

/** How many attempts the log keeps (the oldest go first). */
export const EXCHANGE_LOG_SIZE = 60;
const RECORD = 'exchanges';

/**
 * The inspector's log: every attempt the DPoP interceptor sent in this tab's session, newest
 * first. It starts with the page (app.config.ts), takes the exchanges `DpopDevtools` replays from
 * start-up, and keeps them in sessionStorage, so a reload (or the round trip of a sign-in) does
 * not empty it. It holds what an exchange carries — method, URL, status, the proof (public,
 * single-use data), the server's error and nonce — never an access token.
 */
@Injectable({ providedIn: 'root' })
export class ExchangeLog {
  private readonly purposes = inject(RequestPurposes);
  private readonly router = inject(Router);
  /** Tells this page's request ids (which count from 1 on every page) from an earlier page's. */
  private readonly page = Math.round(performance.timeOrigin).toString(36);
  private action: UserAction = this.visit(0, this.router.url);
  // An observable rather than a signal, so readers need no effect(): every Angular core feature a
  // lazy page uses lands in the initial bundle (core is one module), and nothing else uses effect.
  private readonly entries = new BehaviorSubject<readonly LoggedExchange[]>(
    readLabRecord(RECORD, isLog) ?? [],
  );

  /** Newest first; emits the current list on subscribe and after every change. */
  readonly exchanges: Observable<readonly LoggedExchange[]> = this.entries.asObservable();

  constructor() {
    this.router.events.pipe(takeUntilDestroyed()).subscribe((event) => {
      if (event instanceof NavigationEnd)
        this.action = this.visit(event.id, event.urlAfterRedirects);
    });
    inject(DpopDevtools)
      .exchanges.pipe(takeUntilDestroyed())
      .subscribe((exchange) => this.record(exchange));
  }

  /** Logs an attempt the interceptor reported, with its purpose and the user's action now. */
  record(exchange: DpopExchange): void {
    const purpose = this.purposes.of(exchange.proof) ?? undefined;
    const signingOut = purpose?.kind === 'revocation';
    const logged: LoggedExchange = {
      ...exchange,
      requestId: `${this.page}-${exchange.requestId}`,
      ...(purpose ? { purpose } : {}),
      action: signingOut ? { key: `${this.action.key}-out`, path: 'sign-out' } : this.action,
    };
    this.keep([logged, ...this.entries.value].slice(0, EXCHANGE_LOG_SIZE));
  }

  clear(): void {
    this.keep([]);
  }

  private keep(entries: readonly LoggedExchange[]): void {
    writeLabRecord(RECORD, entries);
    this.entries.next(entries);
  }

  private visit(navigationId: number, url: string): UserAction {
    return { key: `${this.page}-${navigationId}`, path: pathOf(url) };
  }
}

function isLog(value: unknown): value is LoggedExchange[] {
  return (
    Array.isArray(value) &&
    value.every(
      (entry) =>
        isRecord(entry) &&
        typeof entry['requestId'] === 'string' &&
        typeof entry['url'] === 'string' &&
        typeof entry['proof'] === 'string' &&
        typeof entry['status'] === 'number' &&
        isRecord(entry['action']),
    )
  );
}

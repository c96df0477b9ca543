import { inject, Injectable } from '@angular/core';
import { createProofKey } from '@dpop-lab/protocol';

import { SESSION_STORE_NAME } from '../auth/shared-sessions';
import { APP_CONFIG } from '../config/app-config';
import { outcomeOfStatus } from './defence-outcome';
import { LessonOutcome, ProgressReport, shortened, statusOf, StepLog } from './lesson';
import { discover, postToken } from './page-script';

interface StoredSession {
  refreshToken?: unknown;
}

/**
 * Reads the stored session from IndexedDB `name` with IndexedDB itself, as injected script would;
 * null when none.
 */
async function readStoredSession(name: string): Promise<StoredSession | null> {
  // Opening a database that does not exist would create an empty one: look first.
  const databases = await indexedDB.databases();
  if (!databases.some((database) => database.name === name)) return null;
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  try {
    if (!db.objectStoreNames.contains('session')) return null;
    return await new Promise<StoredSession | null>((resolve, reject) => {
      const read = db.transaction('session').objectStore('session').get('current');
      read.onsuccess = () => resolve((read.result as StoredSession | undefined) ?? null);
      read.onerror = () => reject(read.error);
    });
  } finally {
    db.close();
  }
}

/**
 * The lesson "a stolen refresh token": script in the page reads the session from IndexedDB — the
 * refresh token is right there — and uses it from a client of its own. A DPoP session's refresh
 * token is bound to the browser's key (RFC 9449 §5: the authorization server binds a public
 * client's refresh tokens), so it is refused without a proof of that key, and with a proof of
 * any other. A plain bearer refresh token works for whoever holds it.
 */
@Injectable({ providedIn: 'root' })
export class StolenRefreshToken {
  private readonly config = inject(APP_CONFIG);
  /** Where the app keeps the session: what any script of this origin can open. */
  private readonly sessionDatabase = inject(SESSION_STORE_NAME);

  /** Runs the lesson; `report` hears each step as it happens (the refusals take seconds). */
  async run(report?: ProgressReport): Promise<LessonOutcome> {
    const log = new StepLog(report);
    const stored = await readStoredSession(this.sessionDatabase);
    if (typeof stored?.refreshToken !== 'string') {
      throw new Error(
        `There is no refresh token in IndexedDB ${this.sessionDatabase} to steal: sign in first (a tab whose key is kept in memory only keeps its session in the tab).`,
      );
    }
    const refreshToken = stored.refreshToken;
    log.done(
      `Opened IndexedDB ${this.sessionDatabase} → session → current, as any script of this origin can: a DPoP session with a refresh token (${shortened(refreshToken)}).`,
    );
    const { token_endpoint } = await discover(this.config.issuer);
    const form = {
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: this.config.clientId,
      ...(this.config.api.resource ? { resource: this.config.api.resource } : {}),
    };

    log.doing('Sending it to the token endpoint from a client of its own, without a DPoP proof…');
    const plain = await postToken(token_endpoint, form);
    log.done(
      `Sent it to the token endpoint from a client of its own, without a DPoP proof: ${statusOf(plain)}.`,
    );
    if (plain.status === 200) return this.accepted(plain.body, refreshToken, log);

    log.doing('Making a key of its own and sending it again with a proof of that key…');
    const ownKey = await createProofKey();
    const signed = await postToken(token_endpoint, form, ownKey);
    log.done(
      `Made a key of its own and sent it again with a proof of that key${signed.challengedWith ? ', after the nonce challenge' : ''}: ${statusOf(signed)}.`,
    );
    if (signed.status === 200) return this.accepted(signed.body, refreshToken, log);
    return {
      outcome: outcomeOfStatus(signed.status),
      status: statusOf(signed),
      steps: log.steps,
      why: 'The refresh token is bound to this browser’s key, like every token of the session (RFC 9449 §5). Without a proof signed by that non-exportable key it is useless — even to script that read it straight out of IndexedDB.',
    };
  }

  private accepted(body: Record<string, unknown>, stolen: string, log: StepLog): LessonOutcome {
    const next = body['refresh_token'];
    const rotated = typeof next === 'string' && next !== stolen;
    log.done(
      `Got a new access token (token_type ${String(body['token_type'])})${rotated ? ' and a new refresh token: the server rotated it' : ''}.`,
    );
    return {
      outcome: 'got-through',
      status: '200',
      steps: log.steps,
      why: rotated
        ? 'A plain refresh token works for whoever holds it. Rotation only shows the theft afterwards — your app’s copy is now spent, so its next refresh presents a used token and the server ends the whole grant (RFC 9700 §4.14.2), signing you out.'
        : 'A plain refresh token works for whoever holds it — new access tokens on demand, for as long as the refresh token lives.',
    };
  }
}

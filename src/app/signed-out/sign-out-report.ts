import { SIGN_OUT_REPORT_KEY } from '../shell/sign-out-arrival';

/** Whether the refresh token was revoked at sign-out (RFC 7009), and if not, why. */
export type Revocation =
  | { outcome: 'revoked' }
  | { outcome: 'not-revoked'; reason: string }
  | { outcome: 'no-refresh-token' };

/**
 * What a sign-out did, as its code knows it: written before the app leaves (for the
 * authorization server's sign-out, or straight to the app's page when that server is down) and
 * shown by the SignedOut page, which says only what is true.
 */
export interface SignOutReport {
  /** The thumbprint of the DPoP key the session was bound to. */
  jkt: string | null;
  /** Whether the key was deleted from this browser. */
  keyDeleted: boolean;
  revocation: Revocation;
  /**
   * The session at the authorization server: `ending` (the app sent the browser to its sign-out
   * page, which ends it and sends the browser back), `unreachable`, `no-endpoint` (it names no
   * end_session_endpoint, so it stays), or `none` (there was no session here to end it for).
   */
  server: 'ending' | 'unreachable' | 'no-endpoint' | 'none';
  /** True until the report has been shown once (the landing page then goes to it). */
  arriving: boolean;
}

export function saveSignOutReport(report: SignOutReport): void {
  try {
    sessionStorage.setItem(SIGN_OUT_REPORT_KEY, JSON.stringify(report));
  } catch {
    // Storage refused: the signed-out page then says only that you are signed out.
  }
}

/** The report of this tab's last sign-out, marked as shown; null when there is none. */
export function takeSignOutReport(): SignOutReport | null {
  try {
    const report = JSON.parse(
      sessionStorage.getItem(SIGN_OUT_REPORT_KEY) ?? 'null',
    ) as SignOutReport | null;
    if (typeof report?.revocation?.outcome !== 'string') return null;
    if (report.arriving) saveSignOutReport({ ...report, arriving: false });
    return report;
  } catch {
    return null;
  }
}

/** A new sign-in: the last sign-out's report is history. */
export function forgetSignOutReport(): void {
  sessionStorage.removeItem(SIGN_OUT_REPORT_KEY);
}

/**
 * Where sign-out leaves its report for the page that shows it (SignedOut): sessionStorage, so it
 * is this tab's only and survives the round trip to the authorization server.
 */
export const SIGN_OUT_REPORT_KEY = 'dpop-lab.signed-out';

/** Whether this tab has just come back from a sign-out whose report it has not shown yet. */
export function arrivingFromSignOut(): boolean {
  try {
    const report = JSON.parse(sessionStorage.getItem(SIGN_OUT_REPORT_KEY) ?? 'null') as {
      arriving?: unknown;
    } | null;
    return report?.arriving === true;
  } catch {
    return false;
  }
}

/**
 * The navigation state (`history.state`) the sign-in callback lands on the wanted view with, so
 * the shell can say there what sign-in did — and on that view only.
 */
export const JUST_SIGNED_IN = 'dpopLabJustSignedIn';

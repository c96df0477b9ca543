/**
 * The bearer comparison's redirect URI path (register `<app origin>/bearer/callback` for the bearer
 * client): its own route, so the DPoP sign-in's callback never sees the comparison's codes.
 */
export const BEARER_CALLBACK_PATH = 'bearer/callback';

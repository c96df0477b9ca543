// The part of sign-in loaded when first needed (see `Auth`): a signed-out visitor's first page
// needs none of it. One module, so it loads as one chunk.
export { OidcDiscovery } from './oidc-discovery';
export { SignInFlow } from './sign-in-flow';
export { SignOut } from './sign-out';
export { TokenRefresher } from './token-refresher';

// Re-exported for the bundler, not for use: it splits the start-up code into chunks by which
// entry points reach it, and every other one that reaches the session state reaches `Auth` too.
// Reaching it from here keeps the start-up part of auth in one chunk (0.3 kB less to load).
export { Auth } from './auth';

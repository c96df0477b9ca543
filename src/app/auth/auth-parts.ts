// The part of sign-in loaded when first needed (see `Auth`): a signed-out visitor's first page
// needs none of it. One module, so it loads as one chunk.
export { OidcDiscovery } from './oidc-discovery';
export { SignInFlow } from './sign-in-flow';
export { SignOut } from './sign-out';
export { TokenRefresher } from './token-refresher';

/**
 * The oidc-client-ts page of e2e/other-clients.spec.ts, bundled with esbuild at test time and
 * served at the SPA's origin: oidc-client-ts 3.5 signs in to the embedded authorization server as
 * the lab's SPA client, with DPoP (its IndexedDB key store, the code bound with `dpop_jkt`), then
 * calls the API with a proof from `dpopProof` and answers its nonce challenge — the recipe of
 * docs/other-clients.md. After the sign-in it also renews through the refresh token, with and
 * without `resource`, and shows what the API said each time in the page's <output> as JSON.
 */
import { IndexedDbDPoPStore, UserManager, type User } from 'oidc-client-ts';

export interface PageConfig {
  issuer: string;
  clientId: string;
  redirectUri: string;
  /** The resource to call, e.g. http://localhost:3101/api/users. */
  url: string;
  /** The API's resource indicator (RFC 8707), e.g. http://localhost:3101/api. */
  resource: string;
}

/** What the API answered a call, as the page read it. */
export interface ApiAnswer {
  status: number;
  error?: string;
  description?: string;
}

export interface PageResults {
  /** Each call, by the token it used: the sign-in's, and two renewals'. */
  signedIn?: ApiAnswer;
  renewedWithResource?: ApiAnswer;
  renewedWithout?: ApiAnswer;
  failure?: string;
}

const config = JSON.parse(document.getElementById('config')!.textContent!) as PageConfig;

const userManager = new UserManager({
  authority: config.issuer,
  client_id: config.clientId,
  redirect_uri: config.redirectUri,
  scope: 'openid profile users:read',
  // On the authorization request only (RFC 8707 §2.1): the code exchange goes without it.
  resource: config.resource,
  dpop: { bind_authorization_code: true, store: new IndexedDbDPoPStore() },
});

/** A challenge parameter of the DPoP scheme, e.g. `error`, unquoted. */
const parameter = (challenge: string, name: string) =>
  new RegExp(`${name}="((?:[^"\\\\]|\\\\.)*)"`).exec(challenge)?.[1]?.replace(/\\(.)/g, '$1');

/** GET with the user's token and a fresh proof; the API's answer, and its nonce if it asks for one. */
async function send(user: User, nonce?: string): Promise<{ answer: ApiAnswer; nonce?: string }> {
  const proof = await userManager.dpopProof(config.url, user, 'GET', nonce);
  const response = await fetch(config.url, {
    headers: { Authorization: `DPoP ${user.access_token}`, DPoP: proof ?? '' },
  });
  const challenge = response.headers.get('WWW-Authenticate') ?? '';
  const error = parameter(challenge, 'error');
  const description = parameter(challenge, 'error_description');
  const fresh = response.headers.get('DPoP-Nonce');
  return {
    answer: {
      status: response.status,
      ...(error ? { error } : {}),
      ...(description ? { description } : {}),
    },
    ...(error === 'use_dpop_nonce' && fresh ? { nonce: fresh } : {}),
  };
}

/** A call to the API, answering its nonce challenge once (RFC 9449 §9). */
async function callApi(user: User): Promise<ApiAnswer> {
  const first = await send(user);
  return first.nonce ? (await send(user, first.nonce)).answer : first.answer;
}

/** A renewal through the refresh token: `resource` goes only where the call passes it. */
async function renew(resource?: string): Promise<User> {
  const user = await userManager.signinSilent(resource ? { resource } : {});
  if (!user) throw new Error('the renewal gave no user');
  return user;
}

async function afterSignIn(): Promise<PageResults> {
  const signedIn = await callApi(await userManager.signinRedirectCallback());
  const renewedWithResource = await callApi(await renew(config.resource));
  const renewedWithout = await callApi(await renew());
  return { signedIn, renewedWithResource, renewedWithout };
}

function show(results: PageResults): void {
  document.querySelector('output')!.textContent = JSON.stringify(results);
}

document
  .getElementById('settings-only')!
  .addEventListener('click', () => void userManager.signinRedirect());
document
  .getElementById('token-request')!
  .addEventListener(
    'click',
    () => void userManager.signinRedirect({ extraTokenParams: { resource: config.resource } }),
  );

if (new URLSearchParams(location.search).has('code')) {
  afterSignIn().then(show, (error: unknown) => show({ failure: String(error) }));
}

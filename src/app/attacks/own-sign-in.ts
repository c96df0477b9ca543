import { inject, Injectable } from '@angular/core';
import { DpopDevtools } from '@dpop-lab/angular/devtools';
import { createProofKey, tokenBindingOf } from '@dpop-lab/protocol';

import { createPkce, randomToken } from '../auth/pkce';
import { APP_CONFIG } from '../config/app-config';
import { outcomeOfStatus } from './defence-outcome';
import { LessonOutcome, ProgressReport, shortened, statusOf, StepLog } from './lesson';
import { discover, getWithDpop, postToken } from './page-script';

/** Long enough for a user who has to sign in in the popup; it normally comes back at once. */
const POPUP_TIMEOUT_MS = 120_000;
const POLL_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The lesson "script in the page starts its own sign-in" (draft-ietf-oauth-browser-based-apps,
 * "Acquisition and extraction of new tokens"): script running in this page cannot read the
 * non-extractable key, but it does not need to. It makes a key of its own and runs the
 * authorization-code flow itself in a popup, with the app's public client, redirect URI and a
 * `dpop_jkt` of its key. While the authorization server still has the user's session, the popup
 * comes straight back with a code, which the script reads from the popup's address (same origin)
 * and redeems. The tokens are DPoP-bound — to the script's key.
 */
@Injectable({ providedIn: 'root' })
export class OwnSignIn {
  private readonly config = inject(APP_CONFIG);
  private readonly devtools = inject(DpopDevtools);

  /** Call it in the click handler: a popup opened later would be blocked. */
  openPopup(): Window | null {
    return window.open('about:blank', 'dpop-lab-own-sign-in', 'popup,width=480,height=640');
  }

  /** Runs the lesson in `popup`; `report` hears each step as it happens. */
  async run(popup: Window | null, report?: ProgressReport): Promise<LessonOutcome> {
    if (!popup) throw new Error('The browser blocked the popup: allow popups for this page.');
    const log = new StepLog(report);
    const { config } = this;
    const key = await createProofKey();
    const appKey = (await this.devtools.key()).thumbprint;
    log.done(
      `Made its own ES256 key pair, thumbprint ${key.thumbprint} — not this browser's key (${appKey}).`,
    );
    const server = await discover(config.issuer);
    const { verifier, challenge } = await createPkce();
    const state = randomToken();
    const authorize = new URL(server.authorization_endpoint);
    for (const [name, value] of Object.entries({
      response_type: 'code',
      client_id: config.clientId,
      redirect_uri: config.redirectUri,
      scope: config.scopes.join(' '),
      state,
      nonce: randomToken(),
      code_challenge: challenge,
      code_challenge_method: 'S256',
      dpop_jkt: key.thumbprint,
      ...(config.api.resource ? { resource: config.api.resource } : {}),
    })) {
      authorize.searchParams.set(name, value);
    }
    popup.location.href = authorize.href;
    log.done(
      `Sent a popup to the authorization endpoint with the app's own client_id (${config.clientId}) and redirect_uri, a PKCE challenge of its own, and dpop_jkt = its key's thumbprint.`,
    );
    log.doing('Waiting for the popup to come back with a code…');

    const callback = await this.waitForCallback(popup);
    const code = callback.searchParams.get('code');
    if (callback.searchParams.get('state') !== state || !code) {
      const error = callback.searchParams.get('error') ?? 'no code';
      throw new Error(`The authorization server did not issue a code (${error}).`);
    }
    log.done(
      'The authorization server still had your session, so the popup came straight back with a code; the script read it from the popup’s address (same origin) and closed the popup.',
    );

    const client = { client_id: config.clientId };
    const exchange = await postToken(
      server.token_endpoint,
      {
        ...client,
        grant_type: 'authorization_code',
        code,
        redirect_uri: config.redirectUri,
        code_verifier: verifier,
      },
      key,
    );
    const refreshToken = exchange.body['refresh_token'];
    log.done(
      `Redeemed the code with its PKCE verifier and a proof of its key: ${statusOf(exchange)}, token_type ${String(exchange.body['token_type'])}${typeof refreshToken === 'string' ? `, and a refresh token (${shortened(refreshToken)})` : ''}.`,
    );
    let accessToken = exchange.body['access_token'];
    if (config.api.resource && typeof refreshToken === 'string') {
      const forApi = await postToken(
        server.token_endpoint,
        {
          ...client,
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          resource: config.api.resource,
        },
        key,
      );
      accessToken = forApi.body['access_token'];
      log.done(`Asked for a token for the API with the refresh token: ${statusOf(forApi)}.`);
    }
    if (typeof accessToken !== 'string') throw new Error('The script got no access token.');
    const binding = tokenBindingOf(accessToken);
    const jkt = binding.format === 'jwt' ? binding.jkt : undefined;
    log.done(`Its access token's cnf.jkt is ${jkt ?? '(none)'}: the script's key.`);

    const usersUrl = `${config.api.baseUrl}users`;
    const api = await getWithDpop(usersUrl, accessToken, key);
    log.done(
      `Called GET ${new URL(usersUrl).pathname} with it and a proof of its own key: ${statusOf(api)}.`,
    );
    const outcome = outcomeOfStatus(api.status);
    return {
      outcome,
      status: statusOf(api),
      steps: log.steps,
      why:
        outcome === 'got-through'
          ? 'DPoP did its job — the token is bound to a key, and the API checked the proof — but the key is the script’s. A script that can run here can get tokens of its own while your session at the authorization server lasts.'
          : `This API or authorization server stopped the script’s sign-in (${statusOf(api)}).`,
    };
  }

  /** Waits until the popup is back at the redirect URI (readable once it is same-origin again). */
  private async waitForCallback(popup: Window): Promise<URL> {
    const deadline = Date.now() + POPUP_TIMEOUT_MS;
    try {
      while (Date.now() < deadline) {
        if (popup.closed) {
          throw new Error(
            'The popup closed before it came back: closed by hand, or cut off from this page by a Cross-Origin-Opener-Policy (which is a defence against this, too).',
          );
        }
        let href = '';
        try {
          href = popup.location.href;
        } catch {
          // Still at the authorization server: another origin's address cannot be read.
        }
        if (href.startsWith(this.config.redirectUri)) {
          popup.stop(); // the app in the popup need not start: the script has what it wants
          return new URL(href);
        }
        await sleep(POLL_MS);
      }
      throw new Error('The popup did not come back within two minutes.');
    } finally {
      popup.close();
    }
  }
}

/**
 * Our interaction routes, which replace oidc-provider's `devInteractions` (that one accepts
 * any password and loads web fonts). oidc-provider sends the browser to `/interaction/<uid>`
 * whenever it needs the user: to log in, or to consent.
 *
 *   GET  /interaction/<uid>          login prompt → the login page; consent prompt → granted at
 *                                    once for the DPoP app, a page for the plain-bearer client
 *                                    and the command line's client
 *   POST /interaction/<uid>/login    checks the demo account, then hands the result back to
 *                                    oidc-provider, which redirects to `/auth/<uid>` to resume;
 *                                    repeated failures wait, then lock out (login-throttle.ts);
 *                                    a correct password sets a device cookie (device-cookies.ts)
 *   POST /interaction/<uid>/consent  the consent page's Allow or Cancel (consent.ts)
 *
 * Cross-site request forgery: the `_interaction` cookie that ties the browser to `<uid>` is
 * SameSite=Lax and path-scoped, so a form posted from another site arrives without it and
 * `interactionDetails` fails.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { errors, type InteractionDetails, type Provider } from 'oidc-provider';

import { authenticate } from './accounts.ts';
import { consentFor } from './clients.ts';
import { finishConsent } from './consent.ts';
import { renderConsentPage } from './consent-page.ts';
import { renderErrorPage } from './error-page.ts';
import { HttpError, readFormBody } from './form-body.ts';
import { PAGE_HEADERS } from './html.ts';
import type { DeviceCookies } from './device-cookies.ts';
import type { LoginAttempt, LoginThrottle } from './login-throttle.ts';
import { renderLoginPage, tooManyFailuresMessage, wrongCredentialsMessage } from './login-page.ts';

const ROUTE = /^\/interaction\/([\w-]+)(?:\/(login|consent))?$/;

/** What stands between a guesser and the password check. */
export interface LoginGuards {
  throttle: LoginThrottle;
  devices: DeviceCookies;
}

/** One request to an interaction route. */
interface Visit {
  provider: Provider;
  req: IncomingMessage;
  res: ServerResponse;
  /** The interaction named in the URL. */
  uid: string;
}

function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { ...PAGE_HEADERS, ...headers });
  res.end(html);
}

async function clientName(provider: Provider, clientId: string | undefined): Promise<string> {
  const client = clientId ? await provider.Client.find(clientId) : undefined;
  return client?.clientName ?? clientId ?? 'the application';
}

async function details({ provider, req, res, uid }: Visit) {
  const interaction = await provider.interactionDetails(req, res);
  // The cookie names the interaction this browser is in; a different uid in the URL is a
  // stale tab or a forged link.
  if (interaction.uid !== uid)
    throw new errors.SessionNotFound('interaction uid does not match the interaction cookie');
  return interaction;
}

async function showConsent(visit: Visit, interaction: InteractionDetails) {
  const { provider, req, res, uid } = visit;
  const clientId = interaction.params.client_id;
  switch (consentFor(clientId)) {
    case 'grant':
      return finishConsent(provider, req, res, interaction);
    case 'ask':
      return sendHtml(
        res,
        200,
        renderConsentPage({
          action: `/interaction/${uid}/consent`,
          clientId,
          clientName: await clientName(provider, clientId),
          scope: String(interaction.params['scope'] ?? ''),
        }),
      );
    case 'refuse':
      return finishConsent(provider, req, res, interaction, 'this server only serves its own app');
  }
}

async function showInteraction(visit: Visit) {
  const interaction = await details(visit);
  switch (interaction.prompt.name) {
    case 'login':
      return sendHtml(
        visit.res,
        200,
        renderLoginPage({
          action: `/interaction/${visit.uid}/login`,
          clientName: await clientName(visit.provider, interaction.params.client_id),
        }),
      );
    case 'consent':
      return showConsent(visit, interaction);
    default:
      throw new HttpError(
        400,
        `This server has no page for the "${interaction.prompt.name}" step.`,
      );
  }
}

/** A form posted to one step of the interaction: its fields, and the interaction at that step. */
async function postedForm(visit: Visit, atStep: (interaction: InteractionDetails) => boolean) {
  const form = await readFormBody(visit.req);
  const interaction = await details(visit);
  if (!atStep(interaction)) throw new HttpError(400, 'This sign-in step is already complete.');
  return { form, interaction };
}

async function submitLogin(visit: Visit, { throttle, devices }: LoginGuards) {
  const { provider, req, res, uid } = visit;
  const { form, interaction } = await postedForm(visit, ({ prompt }) => prompt.name === 'login');
  const username = form.get('username') ?? '';
  const attempt: LoginAttempt = {
    username,
    address: req.socket.remoteAddress ?? '',
    device: await devices.deviceOf(req, username),
  };
  // Same page again, the typed username kept, nothing else changes.
  const again = async (status: number, error: string, wait: number) =>
    sendHtml(
      res,
      status,
      renderLoginPage({
        action: `/interaction/${uid}/login`,
        clientName: await clientName(provider, interaction.params.client_id),
        username,
        error,
      }),
      wait > 0 ? { 'Retry-After': String(wait) } : {},
    );
  // No await from here to `failed`: a guess sent in parallel sees the wait this one sets.
  const wait = throttle.waitFor(attempt);
  if (wait > 0) return again(429, tooManyFailuresMessage(wait), wait);
  const accountId = authenticate(username, form.get('password') ?? '');
  if (!accountId) {
    const next = throttle.failed(attempt);
    return again(401, wrongCredentialsMessage(next), next);
  }
  throttle.succeeded(attempt);
  // This browser is now trusted for this name: other addresses' failures no longer hold it back.
  res.appendHeader('Set-Cookie', await devices.issue(username, attempt.device));
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId } },
    { mergeWithLastSubmission: false },
  );
}

async function submitConsent(visit: Visit) {
  const { form, interaction } = await postedForm(
    visit,
    ({ prompt, params }) => prompt.name === 'consent' && consentFor(params.client_id) === 'ask',
  );
  const allowed = form.get('decision') === 'allow';
  const { provider, req, res } = visit;
  await finishConsent(provider, req, res, interaction, allowed ? undefined : 'the user cancelled');
}

function sendError(res: ServerResponse, error: unknown): void {
  if (error instanceof HttpError) {
    sendHtml(res, error.status, renderErrorPage({ error: error.message }), { Connection: 'close' });
  } else if (error instanceof errors.SessionNotFound) {
    sendHtml(
      res,
      400,
      renderErrorPage({ error: 'This sign-in page has expired or belongs to another sign-in.' }),
    );
  } else {
    console.error('authorization server: interaction failed', error);
    sendHtml(res, 500, renderErrorPage({ error: 'The sign-in failed on the server.' }));
  }
}

/**
 * Returns a request handler for the interaction routes that answers `false` for any other
 * path, so the caller can hand the request to oidc-provider.
 */
export function interactionRoutes(provider: Provider, guards: LoginGuards) {
  return async function handleInteraction(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<boolean> {
    const match = ROUTE.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (!match) return false;
    const [, uid = '', step] = match;
    const visit: Visit = { provider, req, res, uid };
    const method = step ? 'POST' : 'GET';
    try {
      if (req.method !== method) {
        sendHtml(res, 405, renderErrorPage({ error: `Use ${method} here.` }), { Allow: method });
      } else if (step === 'login') {
        await submitLogin(visit, guards);
      } else if (step === 'consent') {
        await submitConsent(visit);
      } else {
        await showInteraction(visit);
      }
    } catch (error) {
      if (!res.headersSent) sendError(res, error);
      else res.destroy();
    }
    return true;
  };
}

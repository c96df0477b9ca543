/**
 * The consent step (oidc-provider's `consent` prompt), decided per client by `consentFor`
 * (clients.ts): granted at once for the DPoP app, asked on a page for the plain-bearer client
 * (consent-page.ts), refused for anyone else. A grant covers exactly what is missing from the
 * request — OIDC scopes, claims and, per resource indicator (RFC 8707), that resource's
 * scopes — as oidc-provider's own example does after its consent screen. oidc-provider keeps the
 * grant with the user's session, so the question comes once per session.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { errors, type InteractionDetails, type Provider } from 'oidc-provider';

async function grantConsent(provider: Provider, interaction: InteractionDetails): Promise<string> {
  const { prompt, params, session } = interaction;
  const accountId = session?.accountId;
  const clientId = params.client_id;
  if (!accountId || !clientId) throw new errors.SessionNotFound('consent without a signed-in user');

  const grant =
    (interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined) ??
    new provider.Grant({ accountId, clientId });
  const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = prompt.details;
  if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
  if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

/**
 * Ends the consent step: with a grant, or with `access_denied` and `refusal` as its description
 * (RFC 6749 §4.1.2.1), which oidc-provider sends back to the app.
 */
export async function finishConsent(
  provider: Provider,
  req: IncomingMessage,
  res: ServerResponse,
  interaction: InteractionDetails,
  refusal?: string,
): Promise<void> {
  if (refusal !== undefined) {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: refusal },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  const grantId = await grantConsent(provider, interaction);
  await provider.interactionFinished(
    req,
    res,
    { consent: { grantId } },
    { mergeWithLastSubmission: true },
  );
}

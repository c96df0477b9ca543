/**
 * Test fixture: what an issuer's introspection endpoint (RFC 7662 §2.2) says about a valid opaque
 * token bound to the harness key (`cnf.jkt`, RFC 9449 §6.2) and meant for the harness API, with
 * these changes (`undefined` leaves a member out).
 */
import { PUBLIC_URL, type Harness } from './api-harness.ts';

export function activeAnswer(
  h: Harness,
  changes: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    active: true,
    iss: h.issuer.issuer,
    aud: `${PUBLIC_URL}/api`,
    exp: Math.floor(h.clock.now() / 1000) + 300,
    scope: 'openid users:read',
    client_id: 'dpop-lab-spa',
    token_type: 'DPoP',
    cnf: { jkt: h.key.thumbprint },
    ...changes,
  };
}

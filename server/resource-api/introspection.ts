/**
 * Token introspection (RFC 7662) with the API's own client credentials: POST the token to the
 * issuer's `introspection_endpoint` (from its discovery document), authenticated with HTTP Basic
 * (client_secret_basic, RFC 6749 §2.3.1: id and secret form-encoded, then base64), and read the
 * JSON answer.
 *
 * Anything but a JSON object with a 200 is the authorization server's trouble, not the client's:
 * ServiceUnavailableError (503), so a good token is not thrown away, and nothing is cached. A slow
 * endpoint costs a request `timeoutMs` at most.
 */
import { ServiceUnavailableError } from './errors.ts';

export interface IntrospectionOptions {
  /** The endpoint; resolves to `undefined` while the issuer's discovery document is unreachable. */
  endpoint: () => Promise<string | undefined>;
  clientId: string;
  clientSecret: string;
  /** Default 3 000 ms. */
  timeoutMs?: number;
  /** Where failures are reported for the operator (default console.error). */
  log?: (message: string) => void;
}

export type Introspect = (token: string) => Promise<Record<string, unknown>>;

const formEncode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');

export function createIntrospection({
  endpoint,
  clientId,
  clientSecret,
  timeoutMs = 3_000,
  log = (message) => console.error(`resource API: ${message}`),
}: IntrospectionOptions): Introspect {
  const authorization = `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`;
  const unavailable = (why: string, cause?: unknown) => {
    log(`token introspection failed: ${why}`);
    return new ServiceUnavailableError(
      `This API could not check the access token with the authorization server (${why}): retry in a few seconds with the same token and a new proof.`,
      { cause },
    );
  };

  return async (token) => {
    const url = await endpoint();
    if (url === undefined) throw unavailable('its discovery document is unreachable');
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: {
          authorization,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      const slow = cause instanceof DOMException && cause.name === 'TimeoutError';
      throw unavailable(
        slow ? `no answer from ${url} within ${timeoutMs} ms` : `${url} is unreachable`,
        cause,
      );
    }
    if (response.status === 401) {
      await response.body?.cancel();
      throw unavailable(
        `${url} refused the API's client credentials (401): check API_INTROSPECTION_CLIENT_ID and API_INTROSPECTION_CLIENT_SECRET`,
      );
    }
    let answer: unknown;
    try {
      answer = response.ok ? await response.json() : undefined;
    } catch (cause) {
      throw unavailable(`${url} answered with something that is not JSON`, cause);
    }
    if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
      await response.body?.cancel().catch(() => undefined);
      throw unavailable(`${url} answered HTTP ${response.status} without a JSON object`);
    }
    return answer as Record<string, unknown>;
  };
}

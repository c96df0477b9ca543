import { AppConfig, ConfigError, validateConfig } from './app-config';

/**
 * Fetches and validates `config.json` before the app starts. Every failure — file missing,
 * server unreachable, not JSON, a bad field — becomes a `ConfigError` whose message says
 * what was wrong and what to do, for the start-up error page.
 */
export async function loadConfig(
  url: string | URL = new URL('config.json', document.baseURI),
  origin: string = location.origin,
  fetchFn: typeof fetch = fetch.bind(globalThis),
): Promise<AppConfig> {
  let response: Response;
  try {
    response = await fetchFn(url, { cache: 'no-store', headers: { Accept: 'application/json' } });
  } catch (error) {
    throw new ConfigError(
      `config.json could not be loaded from ${url}: the request failed (${describe(error)}). ` +
        'Is the app served by `npm start`?',
    );
  }
  if (!response.ok) {
    throw new ConfigError(
      response.status === 404
        ? `config.json is missing: ${url} answered 404. npm start and npm run serve:prod serve ` +
            'one made from their settings; a server of your own must serve it beside index.html.'
        : `config.json could not be loaded: ${url} answered ${response.status} ${response.statusText}.`.trim(),
    );
  }
  let raw: unknown;
  try {
    raw = await response.json();
  } catch (error) {
    throw new ConfigError(`config.json is not valid JSON (${describe(error)}).`);
  }
  return validateConfig(raw, origin);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

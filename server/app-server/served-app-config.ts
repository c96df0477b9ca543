/**
 * The config.json the app is served — by the app server and by `npm start`'s dev server alike —
 * and the origins it makes the app call, from which the page's CSP `connect-src` is built
 * (security-headers.ts). One source, so the policy always lets the app reach the servers its
 * configuration names, on whatever ports they run.
 */
import { readFileSync } from 'node:fs';

import type { WorldConfig } from '../config.ts';
import { appConfigFor } from './app-config-for.ts';

export interface ServedAppConfig {
  /** The body of `/config.json`. */
  body: string;
  /** The origins the app calls: its issuer's and its API's (`connect-src`). */
  origins: string[];
}

/**
 * `appConfig` when given (a sample app's, app-server/sample-config-for.ts); else the file
 * APP_CONFIG names (a real identity provider, say), read once, at start; without it, the
 * configuration of the embedded servers (AS_PORT, API_PORT, ISSUER, API_PUBLIC_URL…).
 */
export function servedAppConfig(config: WorldConfig, appConfig?: unknown): ServedAppConfig {
  if (appConfig !== undefined) {
    return { body: JSON.stringify(appConfig, null, 2), origins: originsCalledBy(appConfig) };
  }
  if (config.appConfigFile) {
    const { body, value } = readAppConfigFile(config.appConfigFile);
    return { body, origins: originsCalledBy(value) };
  }
  return servedAppConfig(config, appConfigFor(config));
}

/** The file's text, once it is known to be JSON; the app itself names any field it cannot use. */
function readAppConfigFile(path: string): { body: string; value: unknown } {
  const what = `APP_CONFIG=${path}`;
  const instead = 'or unset APP_CONFIG to serve the configuration of the embedded servers';
  let body: string;
  try {
    body = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(
      `${what} cannot be read (${reason}): give the path of a config.json, ${instead}.`,
    );
  }
  try {
    return { body, value: JSON.parse(body) };
  } catch (error) {
    throw new Error(`${what} is not valid JSON (${(error as Error).message}): fix it, ${instead}.`);
  }
}

/**
 * The origins of `issuer` and `api.baseUrl` (the fields the app calls, src/app/config/app-config.ts).
 * A field that is not an http(s) URL adds nothing: the app refuses that config.json and says why.
 */
function originsCalledBy(appConfig: unknown): string[] {
  const fields = appConfig as { issuer?: unknown; api?: { baseUrl?: unknown } } | null;
  const origins = [fields?.issuer, fields?.api?.baseUrl].map(originOf);
  return [...new Set(origins.filter((origin) => origin !== undefined))];
}

function originOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
}

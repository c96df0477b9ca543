import { InjectionToken } from '@angular/core';

/**
 * A sample app's runtime configuration, `config.json` beside its index.html (the app server
 * writes it from the world's ports: server/app-server/sample-config-for.ts).
 */
export interface SampleConfig {
  /** The authorization server's issuer; discovery is at `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  /** The sample's public client, registered with DPoP-bound tokens. */
  clientId: string;
  scopes: string[];
  /**
   * The API: `baseUrl` is its allow-list prefix, `resource` its RFC 8707 resource indicator, which
   * goes on every token request so the access token's audience is the API.
   */
  api: { baseUrl: string; resource: string };
}

export const SAMPLE_CONFIG = new InjectionToken<SampleConfig>('SAMPLE_CONFIG');

/** The sample's registered redirect URI and post-logout redirect URI: its own root page. */
export function sampleHomeUri(): string {
  return `${location.origin}/`;
}

/** Fetches `config.json`; an error says which field is missing or what the server answered. */
export async function loadSampleConfig(): Promise<SampleConfig> {
  const url = new URL('config.json', document.baseURI);
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) {
    throw new Error(`${url} answered ${response.status}: serve the sample with its config.json.`);
  }
  const config = (await response.json()) as Partial<SampleConfig>;
  const missing = [
    typeof config.issuer !== 'string' && 'issuer',
    typeof config.clientId !== 'string' && 'clientId',
    !Array.isArray(config.scopes) && 'scopes',
    typeof config.api?.baseUrl !== 'string' && 'api.baseUrl',
    typeof config.api?.resource !== 'string' && 'api.resource',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new Error(`config.json lacks ${missing.join(', ')}: see the sample's README.`);
  }
  return config as SampleConfig;
}

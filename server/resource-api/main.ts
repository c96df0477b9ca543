/**
 * Starts the resource API alone (`npm run start:api`), configured from the environment
 * (../config.ts): API_PORT, API_PUBLIC_URL (the URL clients use, shared by all instances behind
 * one address), API_ISSUER, API_AUDIENCE and API_TOKEN_SHAPES (whose tokens it accepts, and in
 * which shapes), API_BEARER (the walkthrough's plain-bearer client, on by default only for the
 * embedded issuer), API_INTROSPECTION_CLIENT_ID and API_INTROSPECTION_CLIENT_SECRET (for opaque
 * tokens), API_REPLAY_STORE (redis://host:port to share the replay cache between instances) and
 * API_NONCE_SECRET (the same on every instance, so each accepts the others' nonces; it also keeps
 * nonces valid across restarts).
 */
import { apiBearerClientOf, apiIssuerOf, apiTokenShapesOf, readConfig } from '../config.ts';
import { startResourceApi, type RunningResourceApi } from './create-resource-api.ts';

let api: RunningResourceApi;
try {
  const config = readConfig();
  api = await startResourceApi({ config, port: config.apiPort });
  console.log(
    `resource API  ${config.apiPublicUrl}/api/users, /api/apps  (listening on ${api.url}; ` +
      `trusts ${apiIssuerOf(config)} for aud ${config.apiResource}, tokens ${apiTokenShapesOf(config).join(', ')}; DPoP nonce ${config.apiRequireNonce ? 'required' : 'off'}; ` +
      `Bearer ${apiBearerClientOf(config) ? `for ${apiBearerClientOf(config)} only` : 'off'}; ` +
      `replay store ${api.replayStore})`,
  );
} catch (error) {
  console.error(`resource API: cannot start: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
}

async function stop(): Promise<void> {
  await api.close();
  process.exit(0);
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

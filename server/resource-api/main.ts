/**
 * Starts the resource API alone (`npm run start:api`), configured from the environment
 * (../config.ts; API_NONCE_SECRET for a nonce secret that survives restarts).
 */
import { readConfig } from '../config.ts';
import { startResourceApi } from './create-resource-api.ts';

const config = readConfig();
const api = await startResourceApi({ config, port: config.apiPort });

console.log(
  `resource API  ${config.apiPublicUrl}/api/users, /api/apps  (listening on ${api.url}; ` +
    `trusts ${config.issuer}; DPoP nonce ${config.apiRequireNonce ? 'required' : 'off'})`,
);

async function stop(): Promise<void> {
  await api.close();
  process.exit(0);
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

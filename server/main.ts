/**
 * Starts the embedded DPoP world: the authorization server and the resource API, on the
 * ports in ./config.ts. `npm start` runs this beside `ng serve`; the e2e tests run it too.
 */
import { startAuthorizationServer } from './authorization-server/create-authorization-server.ts';
import { startResourceApi } from './resource-api/create-resource-api.ts';
import { readConfig } from './config.ts';

const config = readConfig();
const as = await startAuthorizationServer({ config, port: config.asPort });
const api = await startResourceApi({ config, port: config.apiPort });

console.log(
  `authorization server  ${as.issuer}  (DPoP nonce ${config.asRequireNonce ? 'required' : 'off'}, ` +
    `refresh tokens ${config.asRotateRefreshTokens ? 'rotated on every use' : 'not rotated'})`,
);
console.log(
  `resource API          ${config.apiPublicUrl}/api/users  (DPoP nonce ${config.apiRequireNonce ? 'required' : 'off'})`,
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([as.close(), api.close()]);
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

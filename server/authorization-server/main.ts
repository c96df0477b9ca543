/**
 * `npm run start:as`: the authorization server alone, configured from the environment
 * (see ../config.ts for the variables and their defaults).
 */
import { readConfig } from '../config.ts';
import { startAuthorizationServer } from './create-authorization-server.ts';

const config = readConfig();
const server = await startAuthorizationServer({ config });
console.log(
  `Authorization server: ${server.url} (discovery: ${server.url}/.well-known/openid-configuration)`,
);
console.log(
  `  DPoP nonces at the token endpoint: ${config.asRequireNonce ? 'on' : 'off (AS_DPOP_NONCE=off)'}`,
);
console.log(
  `  refresh tokens: ${config.asRotateRefreshTokens ? 'rotated on every use' : 'not rotated (AS_ROTATE_REFRESH_TOKENS=off)'}`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}

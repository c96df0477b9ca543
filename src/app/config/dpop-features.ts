import {
  DpopFeature,
  withAlgorithms,
  withAllowList,
  withClockSkewCorrection,
  withKeyStorage,
  withTokenSource,
} from '@dpop-lab/angular';

import { AuthTokenSource } from '../auth/auth-token-source';
import { AppConfig, KEY_DATABASE_NAME } from './app-config';

/**
 * How the lab configures the DPoP core for `config` (app.config.ts adds its devtools; the bench's
 * bundle shell measures these alone).
 */
export function dpopFeatures(config: AppConfig): DpopFeature[] {
  return [
    // The API; the authorization server's endpoints and userinfo join when discovery names them
    // (OidcDiscovery).
    withAllowList([{ url: config.api.baseUrl, resource: config.api.resource }]),
    withTokenSource(AuthTokenSource),
    // IndexedDB refused the key (private mode, DataCloneError): a memory-only key for this tab.
    withKeyStorage({ databaseName: KEY_DATABASE_NAME, memoryFallback: true }),
    // ES256 first; EdDSA, PS256, RS256 for a server that does not accept it (RFC 9449 §5.1, §7.1).
    withAlgorithms(['ES256', 'EdDSA', 'PS256', 'RS256']),
    // A device clock minutes off: correct iat by the API's Date header and retry once.
    withClockSkewCorrection(),
  ];
}

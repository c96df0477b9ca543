import { lazyModule } from './lazy-module';

/**
 * jose, loaded with the first proof or the first check of an issued token: a signed-out
 * visitor's first page needs neither, and the start-up check of the key store neither.
 */
export const jose = lazyModule(
  'jose, which signs and reads DPoP JWTs',
  () => import('./jwt-parts'),
);

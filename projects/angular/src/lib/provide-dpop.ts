import { EnvironmentProviders, makeEnvironmentProviders, Provider, Type } from '@angular/core';

import { DpopResource, parseDpopResource } from './dpop-allow-list';
import {
  DEFAULT_CLOCK_SKEW,
  DEFAULT_KEY_STORAGE,
  DPOP_ALGORITHMS,
  DPOP_ALLOW_LIST,
  DPOP_CLOCK_SKEW,
  DPOP_KEY_STORAGE,
  DPOP_SUPPORTED_ALGORITHMS,
  DpopAlgorithm,
  DpopClockSkewOptions,
  DpopKeyStorageOptions,
} from './dpop-config';
import { DpopError } from './dpop-error';
import { DpopTokenSource } from './dpop-token-source';

type DpopFeatureKind =
  | 'allow-list'
  | 'token-source'
  | 'key-storage'
  | 'algorithms'
  | 'clock-skew-correction'
  // withDpopDevtools(), from @dpop-lab/angular/devtools.
  | 'devtools';

/** A configuration feature for `provideDpop()`, like Angular's `HttpFeature`. */
export interface DpopFeature<KindT extends DpopFeatureKind = DpopFeatureKind> {
  readonly kind: KindT;
  readonly providers: (Provider | EnvironmentProviders)[];
}

/**
 * Configures the DPoP core. Register the interceptor where `HttpClient` is set up:
 *
 * ```ts
 * providers: [
 *   provideHttpClient(withInterceptors([dpopInterceptor])),
 *   provideDpop(
 *     withAllowList([{ url: 'https://api.example.com/api/', resource: 'https://api.example.com' }]),
 *     withTokenSource(MyTokenSource),
 *     withKeyStorage({ databaseName: 'my-app', memoryFallback: true }),
 *     withAlgorithms(['ES256', 'EdDSA', 'PS256', 'RS256']),
 *     withClockSkewCorrection(),
 *   ),
 * ]
 * ```
 */
export function provideDpop(...features: DpopFeature[]): EnvironmentProviders {
  const seen = new Set<DpopFeatureKind>();
  for (const feature of features) {
    if (seen.has(feature.kind)) {
      // A second one would silently override the first; say so instead.
      throw new DpopError(
        'duplicate_feature',
        `provideDpop() got the "${feature.kind}" feature twice; pass it once with all its values.`,
      );
    }
    seen.add(feature.kind);
  }
  return makeEnvironmentProviders(features.flatMap((feature) => feature.providers));
}

/** The resources that receive `Authorization: DPoP` + proof (exact origin, whole path segments). */
export function withAllowList(resources: DpopResource[]): DpopFeature<'allow-list'> {
  // Validate now, so a typo fails at bootstrap rather than at the first API call.
  resources.forEach(parseDpopResource);
  return feature('allow-list', [{ provide: DPOP_ALLOW_LIST, useValue: [...resources] }]);
}

/** The app's source of access tokens for allow-listed resources. */
export function withTokenSource(type: Type<DpopTokenSource>): DpopFeature<'token-source'> {
  return feature('token-source', [{ provide: DpopTokenSource, useClass: type }]);
}

/**
 * Where the key pair is kept (default: IndexedDB database `dpop-keys`), and whether a browser that
 * refuses to store it (private modes, `DataCloneError`, a key that does not come back) gets a
 * memory-only key for the tab instead of an error (`memoryFallback`; the user then stays signed in
 * until the page reloads — tell them: `Dpop.storage()` and `Dpop.storageProblem()`).
 */
export function withKeyStorage(options: DpopKeyStorageOptions): DpopFeature<'key-storage'> {
  return feature('key-storage', [
    { provide: DPOP_KEY_STORAGE, useValue: { ...DEFAULT_KEY_STORAGE, ...options } },
  ]);
}

/**
 * The proof algorithms this app may sign with, most preferred first (default: ES256, EdDSA,
 * PS256, RS256). The key uses the first one every server accepts — per discovery's
 * `dpop_signing_alg_values_supported` (RFC 9449 §5.1) and a resource server's
 * `WWW-Authenticate: DPoP algs` (§7.1) — and this browser's WebCrypto can make.
 */
export function withAlgorithms(algorithms: DpopAlgorithm[]): DpopFeature<'algorithms'> {
  const unknown = algorithms.filter((alg) => !DPOP_SUPPORTED_ALGORITHMS.includes(alg));
  if (algorithms.length === 0 || unknown.length > 0) {
    throw new DpopError(
      'invalid_algorithms',
      `withAlgorithms() needs a non-empty list of ${DPOP_SUPPORTED_ALGORITHMS.join(', ')}` +
        (unknown.length ? `; "${unknown.join('", "')}" is not one of them.` : '.'),
    );
  }
  return feature('algorithms', [{ provide: DPOP_ALGORITHMS, useValue: [...new Set(algorithms)] }]);
}

/**
 * Corrects the proofs' `iat` for this device's clock skew, measured per server from the `Date`
 * header of its responses; a proof refused (`invalid_dpop_proof`) while the clock was off is
 * retried once with the corrected `iat` (RFC 9449 §4.3, §11.1). Cross-origin servers must list
 * `Date` in `Access-Control-Expose-Headers`.
 */
export function withClockSkewCorrection(
  options: DpopClockSkewOptions = {},
): DpopFeature<'clock-skew-correction'> {
  const thresholdSeconds = options.thresholdSeconds ?? DEFAULT_CLOCK_SKEW.thresholdSeconds;
  return feature('clock-skew-correction', [
    { provide: DPOP_CLOCK_SKEW, useValue: { enabled: true, thresholdSeconds } },
  ]);
}

function feature<KindT extends DpopFeatureKind>(
  kind: KindT,
  providers: Provider[],
): DpopFeature<KindT> {
  return { kind, providers };
}

import { EnvironmentProviders, makeEnvironmentProviders, Provider, Type } from '@angular/core';

import { parseDpopResource } from './dpop-allow-list';
import { DPOP_ALLOW_LIST, DPOP_KEY_STORAGE, DpopKeyStorageOptions } from './dpop-config';
import { DpopError } from './dpop-error';
import { DpopResource } from './dpop-resource';
import { DpopTokenSource } from './dpop-token-source';

export type DpopFeatureKind = 'allow-list' | 'token-source' | 'key-storage';

/** A configuration feature for `provideDpop()`, like Angular's `HttpFeature`. */
export interface DpopFeature<KindT extends DpopFeatureKind = DpopFeatureKind> {
  readonly kind: KindT;
  readonly providers: Provider[];
}

/**
 * Configures the DPoP core. Register the interceptor separately, where `HttpClient` is set up:
 *
 * ```ts
 * providers: [
 *   provideHttpClient(withInterceptors([dpopInterceptor])),
 *   provideDpop(
 *     withAllowList([{ url: 'https://api.example.com/api/', resource: 'https://api.example.com' }]),
 *     withTokenSource(MyTokenSource),
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

/** The resources that receive `Authorization: DPoP` + proof; see `DpopAllowList` for matching. */
export function withAllowList(resources: DpopResource[]): DpopFeature<'allow-list'> {
  // Validate now, so a typo fails at bootstrap rather than at the first API call.
  resources.forEach(parseDpopResource);
  return feature('allow-list', [{ provide: DPOP_ALLOW_LIST, useValue: [...resources] }]);
}

/** The app's source of access tokens for allow-listed resources. */
export function withTokenSource(type: Type<DpopTokenSource>): DpopFeature<'token-source'> {
  return feature('token-source', [{ provide: DpopTokenSource, useClass: type }]);
}

/** Where the key pair is stored; default database `dpop-lab`. */
export function withKeyStorage(options: DpopKeyStorageOptions): DpopFeature<'key-storage'> {
  return feature('key-storage', [
    { provide: DPOP_KEY_STORAGE, useValue: { databaseName: options.databaseName ?? 'dpop-lab' } },
  ]);
}

function feature<KindT extends DpopFeatureKind>(
  kind: KindT,
  providers: Provider[],
): DpopFeature<KindT> {
  return { kind, providers };
}

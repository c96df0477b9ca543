/**
 * The browser side of the proof and interceptor benchmarks, bundled by esbuild (../lib/page-bundle.ts)
 * and driven from Node by Playwright through `window.dpopBench`.
 *
 * DPoP Lab's code is the real one from src/app/dpop, run in a real Angular injector
 * (`createApplication`). The app itself is compiled ahead of time by the Angular CLI; this page
 * is compiled just in time (`@angular/compiler` is loaded first), which changes how services are
 * created once at start-up, not what a proof or a request costs afterwards.
 */
import '@angular/compiler';

import {
  HttpBackend,
  HttpClient,
  HttpEvent,
  HttpInterceptorFn,
  HttpRequest,
  HttpResponse,
  provideHttpClient,
  withFetch,
  withInterceptors,
} from '@angular/common/http';
import {
  ApplicationRef,
  EnvironmentProviders,
  inject,
  Injectable,
  Provider,
  provideZonelessChangeDetection,
} from '@angular/core';
import { createApplication } from '@angular/platform-browser';
import { generateKeyPair as dpopGenerateKeyPair, generateProof } from 'dpop';
import { base64url, SignJWT } from 'jose';
import { generateDPoPProof, generateKeyPair as oktaGenerateKeyPair } from 'okta-dpop';
import { firstValueFrom, from, Observable, of, switchMap } from 'rxjs';

import {
  dpopInterceptor,
  DpopResource,
  DpopTokenSource,
  provideDpop,
  withAllowList,
  withKeyStorage,
  withTokenSource,
} from '@dpop-lab/angular';
import { DpopDevtools } from '@dpop-lab/angular/devtools';
import { signProof } from '@dpop-lab/protocol';

export type ProofImpl = 'dpopLab' | 'floor' | 'handBuilt' | 'jose' | 'dpopPackage' | 'okta';
/** `-memory`: the same HttpClient with a backend that answers at once, without the network. */
export type InterceptorKind = 'dpop' | 'bearer' | 'dpop-memory' | 'bearer-memory';

export interface DpopBench {
  proofSetup(accessToken: string): Promise<Record<ProofImpl, string>>;
  /** Milliseconds per proof, over `iterations` proofs made one after another. */
  proofSample(impl: ProofImpl, iterations: number): Promise<number>;
  interceptorSetup(apiBase: string, accessToken: string): Promise<void>;
  /** Milliseconds per request, over `requests` GETs through HttpClient one after another. */
  interceptorSample(kind: InterceptorKind, requests: number): Promise<number>;
  /** How many times IndexedDB was opened on this page so far. */
  indexedDbOpens(): number;
}

declare global {
  interface Window {
    dpopBench: DpopBench;
  }
}

// Counts every IndexedDB open, to show the DPoP key comes from memory after the first call.
let indexedDbOpens = 0;
const originalOpen = IDBFactory.prototype.open;
IDBFactory.prototype.open = function (this: IDBFactory, ...args: Parameters<IDBFactory['open']>) {
  indexedDbOpens += 1;
  return originalOpen.apply(this, args);
};

const PROOF_URL = 'https://api.example.com/api/users';
const encoder = new TextEncoder();

async function startApp(providers: (Provider | EnvironmentProviders)[]): Promise<ApplicationRef> {
  return createApplication({ providers: [provideZonelessChangeDetection(), ...providers] });
}

async function deleteDatabase(name: string): Promise<void> {
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

// ---- 1. proof cost ------------------------------------------------------------------------

let proofMakers: Record<ProofImpl, () => Promise<string>> | null = null;

async function proofSetup(accessToken: string): Promise<Record<ProofImpl, string>> {
  await deleteDatabase('dpop-bench-proofs');
  const app = await startApp([provideDpop(withKeyStorage({ databaseName: 'dpop-bench-proofs' }))]);
  const devtools = app.injector.get(DpopDevtools);
  // What the interceptor does for each attempt: the key (kept in memory), then one signature.
  const dpopLab = async () =>
    signProof(await devtools.key(), { htm: 'GET', htu: PROOF_URL, accessToken });
  // The first proof loads (here: generates and stores) the key; every later one uses memory.
  const sample = await dpopLab();

  // The floor: the two WebCrypto calls every ES256 proof with `ath` needs, nothing else —
  // SHA-256 of the token and an ECDSA P-256 signature over an input as long as a real proof's.
  const floorKey = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  const signingInput = encoder.encode(sample.slice(0, sample.lastIndexOf('.')));
  const tokenBytes = encoder.encode(accessToken);
  const floor = async () => {
    await crypto.subtle.digest('SHA-256', tokenBytes);
    const signature = await crypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      floorKey.privateKey,
      signingInput,
    );
    return `${sample.slice(0, sample.lastIndexOf('.'))}.${base64url.encode(new Uint8Array(signature))}`;
  };

  // jose alone: the same claims with a key and JWK already at hand (what DPoP Lab adds on top
  // is the key store lookup, the nonce lookup and the htu normalisation).
  const joseKey = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
    'sign',
    'verify',
  ]);
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', joseKey.publicKey);
  const jose = async () => {
    const digest = await crypto.subtle.digest('SHA-256', encoder.encode(accessToken));
    return new SignJWT({
      htm: 'GET',
      htu: PROOF_URL,
      ath: base64url.encode(new Uint8Array(digest)),
    })
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } })
      .setJti(crypto.randomUUID())
      .setIssuedAt()
      .sign(joseKey.privateKey);
  };

  // The same proof without a JOSE library: JSON, base64url and one WebCrypto signature (an
  // ECDSA signature from WebCrypto is already the raw r||s a JWS ES256 signature is).
  const handBuilt = async () => {
    const digest = await crypto.subtle.digest('SHA-256', encoder.encode(accessToken));
    const header = base64url.encode(
      JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty, crv, x, y } }),
    );
    const payload = base64url.encode(
      JSON.stringify({
        htm: 'GET',
        htu: PROOF_URL,
        ath: base64url.encode(new Uint8Array(digest)),
        jti: crypto.randomUUID(),
        iat: Math.floor(Date.now() / 1000),
      }),
    );
    const input = `${header}.${payload}`;
    const signature = await crypto.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      joseKey.privateKey,
      encoder.encode(input),
    );
    return `${input}.${base64url.encode(new Uint8Array(signature))}`;
  };

  // panva's `dpop` package, ES256, non-extractable private key (its default).
  const dpopPackageKey = await dpopGenerateKeyPair('ES256');
  const dpopPackage = () => generateProof(dpopPackageKey, PROOF_URL, 'GET', undefined, accessToken);

  // okta-auth-js: its own key pair (RS256, 2048 bits) and proof function, as its
  // getDPoPAuthorizationHeaders() calls it (after findKeyPair, which reads IndexedDB each time;
  // that read is left out here, so this is okta-auth-js's best case).
  const oktaKey = await oktaGenerateKeyPair();
  const okta = () =>
    generateDPoPProof({ keyPair: oktaKey, url: PROOF_URL, method: 'GET', accessToken });

  proofMakers = { dpopLab, floor, handBuilt, jose, dpopPackage, okta };
  const examples = {} as Record<ProofImpl, string>;
  for (const [name, make] of Object.entries(proofMakers) as [ProofImpl, () => Promise<string>][]) {
    examples[name] = await make();
  }
  return examples;
}

async function proofSample(impl: ProofImpl, iterations: number): Promise<number> {
  const make = proofMakers?.[impl];
  if (!make) throw new Error('Call proofSetup() first.');
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await make();
  return (performance.now() - start) / iterations;
}

// ---- 2. interceptor overhead ----------------------------------------------------------------

let accessTokenValue = '';
let apiBaseUrl = '';

/** The app's token source, reduced to "the token is at hand" (the same for both variants). */
@Injectable()
class BenchTokenSource implements DpopTokenSource {
  getAccessToken(_resource: DpopResource): Promise<string | null> {
    return Promise.resolve(accessTokenValue);
  }
}

/**
 * The comparison: a plain bearer interceptor doing the same bookkeeping a real one does — the
 * same allow-list match and the same asynchronous token source — and one header.
 */
const bearerInterceptor: HttpInterceptorFn = (req, next) => {
  const resource = inject(DpopDevtools).resourceFor(req.url);
  if (!resource) return next(req);
  const tokens = inject(DpopTokenSource);
  return from(tokens.getAccessToken(resource)).pipe(
    switchMap((token) =>
      next(token ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : req),
    ),
  );
};

/** Answers every request at once, so a sample measures HttpClient and the interceptor only. */
@Injectable()
class InstantBackend implements HttpBackend {
  private readonly body = [{ id: 'alice' }, { id: 'bob' }];

  handle(req: HttpRequest<unknown>): Observable<HttpEvent<unknown>> {
    return of(new HttpResponse({ status: 200, url: req.urlWithParams, body: this.body }));
  }
}

const clients: Partial<Record<InterceptorKind, HttpClient>> = {};

async function interceptorSetup(apiBase: string, accessToken: string): Promise<void> {
  accessTokenValue = accessToken;
  apiBaseUrl = apiBase;
  await deleteDatabase('dpop-bench-interceptor');
  const client = async (interceptor: HttpInterceptorFn, instant: boolean) => {
    const app = await startApp([
      provideHttpClient(withFetch(), withInterceptors([interceptor])),
      provideDpop(
        withAllowList([{ url: apiBase, resource: 'bench-api' }]),
        withTokenSource(BenchTokenSource),
        withKeyStorage({ databaseName: 'dpop-bench-interceptor' }),
      ),
      instant ? [{ provide: HttpBackend, useClass: InstantBackend }] : [],
    ]);
    return app.injector.get(HttpClient);
  };
  clients.dpop = await client(dpopInterceptor, false);
  clients.bearer = await client(bearerInterceptor, false);
  clients['dpop-memory'] = await client(dpopInterceptor, true);
  clients['bearer-memory'] = await client(bearerInterceptor, true);
}

async function interceptorSample(kind: InterceptorKind, requests: number): Promise<number> {
  const http = clients[kind];
  if (!http) throw new Error('Call interceptorSetup() first.');
  const url = `${apiBaseUrl}users`;
  const start = performance.now();
  for (let i = 0; i < requests; i++) await firstValueFrom(http.get(url));
  return (performance.now() - start) / requests;
}

window.dpopBench = {
  proofSetup,
  proofSample,
  interceptorSetup,
  interceptorSample,
  indexedDbOpens: () => indexedDbOpens,
};

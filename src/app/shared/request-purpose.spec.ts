import {
  HttpClient,
  HttpContext,
  HttpInterceptorFn,
  provideHttpClient,
  withInterceptors,
} from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';

import { REQUEST_PURPOSE, requestPurposeInterceptor, RequestPurposes } from './request-purpose';

/** Stands in for the DPoP interceptor: a new proof on every attempt. */
let proofs = 0;
const proofInterceptor: HttpInterceptorFn = (request, next) =>
  next(request.clone({ setHeaders: { DPoP: `proof-${++proofs}` } }));

describe('request purposes (for the inspector’s labels)', () => {
  beforeEach(() => {
    proofs = 0;
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([proofInterceptor, requestPurposeInterceptor])),
        provideHttpClientTesting(),
      ],
    });
  });

  it('records the purpose its caller gave a request, by the proof it went out with', async () => {
    const http = TestBed.inject(HttpClient);
    const context = new HttpContext().set(REQUEST_PURPOSE, { kind: 'refresh', resource: 'r' });
    const sent = firstValueFrom(http.post('https://as.test/token', 'x', { context }));
    TestBed.inject(HttpTestingController).expectOne('https://as.test/token').flush({});
    await sent;
    expect(TestBed.inject(RequestPurposes).of('proof-1')).toEqual({
      kind: 'refresh',
      resource: 'r',
    });
  });

  it('records nothing for a request without a purpose', async () => {
    const sent = firstValueFrom(TestBed.inject(HttpClient).get('https://api.test/users'));
    TestBed.inject(HttpTestingController).expectOne('https://api.test/users').flush([]);
    await sent;
    expect(TestBed.inject(RequestPurposes).of('proof-1')).toBeNull();
  });
});

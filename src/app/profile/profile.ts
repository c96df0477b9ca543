import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import { Auth } from '../auth/auth';
import { loader } from '../shared/loader';
import { LoadState } from '../shared/load-state';

interface Claim {
  name: string;
  value: string;
}

/** The signed-in user's userinfo claims, fetched with a DPoP-bound token by the interceptor. */
@Component({
  selector: 'app-profile',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LoadState],
  template: `
    <h1>Profile</h1>
    <p>
      What the authorization server's userinfo endpoint says about you. The request carries
      <code>Authorization: DPoP …</code> and a fresh proof: open DevTools → Network to see them.
    </p>
    <section aria-labelledby="claims-heading">
      <h2 id="claims-heading">Userinfo claims</h2>
      <app-load-state [loader]="claims">
        <dl class="claims">
          @for (claim of claims.value(); track claim.name) {
            <dt>{{ claim.name }}</dt>
            <dd>{{ claim.value }}</dd>
          }
        </dl>
      </app-load-state>
    </section>
  `,
})
export class Profile {
  private readonly auth = inject(Auth);
  private readonly http = inject(HttpClient);
  private endpoint: string | null = null;

  protected readonly claims = loader(
    () => this.loadClaims(),
    () => `The userinfo endpoint${this.endpoint ? ` ${this.endpoint}` : ''}`,
  );

  private async loadClaims(): Promise<Claim[]> {
    this.endpoint = await this.auth.userinfoEndpoint();
    const body = await firstValueFrom(this.http.get<Record<string, unknown>>(this.endpoint));
    return Object.entries(body ?? {}).map(([name, value]) => ({
      name,
      value: typeof value === 'string' ? value : JSON.stringify(value),
    }));
  }
}

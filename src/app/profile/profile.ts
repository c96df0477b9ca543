import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import { Auth } from '../auth/auth';
import { LastCall } from '../inspector/last-call';
import { loader } from '../shared/loader';
import { LoadState } from '../shared/load-state';

interface Claim {
  name: string;
  value: string;
}

/**
 * The signed-in user's userinfo claims, fetched with a DPoP-bound token by the interceptor, and
 * what DPoP did on that call (LastCall).
 */
@Component({
  selector: 'app-profile',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LastCall, LoadState],
  template: `
    <h1>Profile</h1>
    <p>
      What the authorization server’s userinfo endpoint says about you. The app asks with a
      DPoP-bound access token and a fresh proof signed by this browser’s key, as it does for every
      call.
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
    @if (endpoint(); as endpoint) {
      <app-last-call [url]="endpoint" server="The authorization server" />
    }
  `,
})
export class Profile {
  private readonly auth = inject(Auth);
  private readonly http = inject(HttpClient);
  protected readonly endpoint = signal<string | null>(null);

  protected readonly claims = loader(
    () => this.loadClaims(),
    () => `The userinfo endpoint${this.endpoint() ? ` ${this.endpoint()}` : ''}`,
  );

  private async loadClaims(): Promise<Claim[]> {
    const endpoint = await this.auth.userinfoEndpoint();
    this.endpoint.set(endpoint);
    const body = await firstValueFrom(this.http.get<Record<string, unknown>>(endpoint));
    return Object.entries(body ?? {}).map(([name, value]) => ({
      name,
      value: typeof value === 'string' ? value : JSON.stringify(value),
    }));
  }
}

import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { Auth } from '../auth/auth';
import { APP_CONFIG } from '../config/app-config';
import { LastCall } from '../inspector/last-call';
import { loader } from '../shared/loader';
import { LoadState } from '../shared/load-state';

/** A user as the API lists it. */
export interface ApiUser {
  id?: string;
  sub?: string;
  name?: string;
  email?: string;
}

/**
 * The API's users, from `GET <api>/users` with a DPoP-bound token for the API; what DPoP did on
 * that call (LastCall), and what the token's `cnf.jkt` means, in plain words.
 */
@Component({
  selector: 'app-users',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LastCall, LoadState],
  template: `
    <h1>Users</h1>
    <p>
      The people the resource API knows. The app asks with an access token for the API and a fresh
      DPoP proof; the API checks the proof, its nonce and the token’s binding before it answers.
    </p>
    <app-load-state [loader]="users">
      <table class="stacked">
        <caption>
          Users from
          <code>GET {{ endpoint }}</code>
        </caption>
        <thead>
          <tr>
            <th scope="col">Username</th>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
          </tr>
        </thead>
        <tbody>
          @for (user of users.value(); track $index) {
            <tr>
              <td data-label="Username">{{ user.id ?? user.sub }}</td>
              <td data-label="Name">{{ user.name }}</td>
              <td data-label="Email">{{ user.email }}</td>
            </tr>
          } @empty {
            <tr>
              <td colspan="3">The API returned no users.</td>
            </tr>
          }
        </tbody>
      </table>
    </app-load-state>
    <app-last-call [url]="endpoint" server="The API" />
    <section aria-labelledby="binding-heading">
      <h2 id="binding-heading">The token is bound to this browser: <code>cnf.jkt</code></h2>
      <p data-testid="cnf-jkt-explained">
        The API’s access token names the key it is bound to. Its <code>cnf.jkt</code> claim
        (“confirmation: JWK thumbprint”) holds a fingerprint of this browser’s public key
        @if (auth.keyThumbprint(); as thumbprint) {
          — <code>{{ thumbprint }}</code> —
        }
        and the API takes the token only with a proof signed by the matching private key. That key
        never leaves this browser (it cannot even be exported), so a copy of the token is useless
        anywhere else.
      </p>
    </section>
  `,
})
export class Users {
  protected readonly auth = inject(Auth);
  private readonly http = inject(HttpClient);
  private readonly api = inject(APP_CONFIG).api;

  protected readonly endpoint = `${this.api.baseUrl}users`;
  protected readonly users = loader(
    async () => {
      const body = await firstValueFrom(
        this.http.get<ApiUser[] | { users: ApiUser[] }>(this.endpoint),
      );
      return Array.isArray(body) ? body : (body?.users ?? []);
    },
    () => `The API at ${this.api.baseUrl}`,
  );
}

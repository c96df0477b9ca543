import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { Auth } from '../auth/auth';
import { APP_CONFIG } from '../config/app-config';
import { loader } from '../shared/loader';
import { LoadState } from '../shared/load-state';

/** A user as the API lists it. */
export interface ApiUser {
  id?: string;
  sub?: string;
  name?: string;
  email?: string;
}

/** The API's users, from `GET <api>/users` with a DPoP-bound token for the API. */
@Component({
  selector: 'app-users',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LoadState],
  template: `
    <h1>Users</h1>
    <p>
      The resource API checks the DPoP proof, its nonce and the token's <code>cnf.jkt</code>
      before it answers.
    </p>
    <app-load-state [loader]="users">
      <table>
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
              <td>{{ user.id ?? user.sub }}</td>
              <td>{{ user.name }}</td>
              <td>{{ user.email }}</td>
            </tr>
          } @empty {
            <tr>
              <td colspan="3">The API returned no users.</td>
            </tr>
          }
        </tbody>
      </table>
    </app-load-state>
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

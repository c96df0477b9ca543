import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, PendingTasks, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { APP_CONFIG } from '../config/app-config';
import { Problem, toProblem } from '../shared/problem';
import { ProblemAlert } from '../shared/problem-alert';

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
  imports: [ProblemAlert],
  template: `
    <h1>Users</h1>
    <p>
      The resource API checks the DPoP proof, its nonce and the token's <code>cnf.jkt</code>
      before it answers.
    </p>
    <div [attr.aria-busy]="loading()">
      @if (loading()) {
        <p>Loading…</p>
      } @else if (problem(); as problem) {
        <app-problem-alert [problem]="problem">
          <button type="button" (click)="load()">Try again</button>
        </app-problem-alert>
      } @else {
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
            @for (user of users(); track $index) {
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
      }
    </div>
  `,
})
export class Users {
  private readonly http = inject(HttpClient);
  private readonly pendingTasks = inject(PendingTasks);
  private readonly api = inject(APP_CONFIG).api;

  protected readonly endpoint = `${this.api.baseUrl}users`;
  protected readonly loading = signal(true);
  protected readonly problem = signal<Problem | null>(null);
  protected readonly users = signal<ApiUser[]>([]);

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    // The app is not "stable" while a load runs (whenStable() in tests, SSR if ever added).
    const done = this.pendingTasks.add();
    this.loading.set(true);
    this.problem.set(null);
    try {
      const body = await firstValueFrom(
        this.http.get<ApiUser[] | { users: ApiUser[] }>(this.endpoint),
      );
      this.users.set(Array.isArray(body) ? body : (body?.users ?? []));
    } catch (error) {
      this.problem.set(toProblem(error, `The API at ${this.api.baseUrl}`));
    } finally {
      this.loading.set(false);
      done();
    }
  }
}

import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, PendingTasks, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { Auth } from '../auth/auth';
import { Problem, toProblem } from '../shared/problem';
import { ProblemAlert } from '../shared/problem-alert';

interface Claim {
  name: string;
  value: string;
}

/** The signed-in user's userinfo claims, fetched with a DPoP-bound token by the interceptor. */
@Component({
  selector: 'app-profile',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ProblemAlert],
  template: `
    <h1>Profile</h1>
    <p>
      What the authorization server's userinfo endpoint says about you. The request carries
      <code>Authorization: DPoP …</code> and a fresh proof: open DevTools → Network to see them.
    </p>
    <section aria-labelledby="claims-heading" [attr.aria-busy]="loading()">
      <h2 id="claims-heading">Userinfo claims</h2>
      @if (loading()) {
        <p>Loading…</p>
      } @else if (problem(); as problem) {
        <app-problem-alert [problem]="problem">
          <button type="button" (click)="load()">Try again</button>
        </app-problem-alert>
      } @else {
        <dl class="claims">
          @for (claim of claims(); track claim.name) {
            <dt>{{ claim.name }}</dt>
            <dd>{{ claim.value }}</dd>
          }
        </dl>
      }
    </section>
  `,
})
export class Profile {
  private readonly auth = inject(Auth);
  private readonly http = inject(HttpClient);
  private readonly pendingTasks = inject(PendingTasks);

  protected readonly loading = signal(true);
  protected readonly problem = signal<Problem | null>(null);
  protected readonly claims = signal<Claim[]>([]);

  constructor() {
    void this.load();
  }

  protected async load(): Promise<void> {
    // The app is not "stable" while a load runs (whenStable() in tests, SSR if ever added).
    const done = this.pendingTasks.add();
    this.loading.set(true);
    this.problem.set(null);
    let service = 'The userinfo endpoint';
    try {
      const endpoint = await this.auth.userinfoEndpoint();
      service = `The userinfo endpoint ${endpoint}`;
      const body = await firstValueFrom(this.http.get<Record<string, unknown>>(endpoint));
      this.claims.set(
        Object.entries(body ?? {}).map(([name, value]) => ({
          name,
          value: typeof value === 'string' ? value : JSON.stringify(value),
        })),
      );
    } catch (error) {
      this.problem.set(toProblem(error, service));
    } finally {
      this.loading.set(false);
      done();
    }
  }
}

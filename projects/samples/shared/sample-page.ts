import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, OnInit, signal } from '@angular/core';
import { Title } from '@angular/platform-browser';
import { firstValueFrom } from 'rxjs';

import { SAMPLE_CONFIG } from './sample-config';
import { SampleSession } from './sample-session';

interface User {
  id: string;
  name: string;
  email: string;
}

/**
 * The whole sample: sign in with the sample's library, see who is signed in, call the API through
 * HttpClient (the DPoP interceptor signs the call), refresh, sign out.
 */
@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header>
      <h1>DPoP with {{ session.library }}</h1>
      @if (session.user(); as user) {
        <p>
          Signed in as <strong>{{ user.name ?? user.subject }}</strong>
          @if (user.email) {
            ({{ user.email }})
          }
        </p>
        <button type="button" [disabled]="busy()" (click)="refresh()">Refresh tokens</button>
        <button type="button" [disabled]="busy()" (click)="signOut()">Sign out</button>
      } @else if (started()) {
        <button type="button" [disabled]="busy()" (click)="signIn()">Sign in</button>
      } @else {
        <p>Checking the sign-in…</p>
      }
    </header>
    <main>
      <button type="button" [disabled]="busy()" (click)="loadUsers()">Load users</button>
      @if (status(); as status) {
        <p role="status">{{ status }}</p>
      }
      @if (problem(); as problem) {
        <p role="alert">{{ problem }}</p>
      }
      @if (users(); as users) {
        <table>
          <caption>
            Users, from GET
            {{
              usersUrl
            }}
          </caption>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
          </tr>
          @for (user of users; track user.id) {
            <tr>
              <td>{{ user.name }}</td>
              <td>{{ user.email }}</td>
            </tr>
          }
        </table>
      }
    </main>
  `,
  styles: `
    :host {
      display: block;
      max-width: 40rem;
      margin: 2rem auto;
      font-family: system-ui, sans-serif;
    }
    button {
      margin-right: 0.5rem;
    }
    [role='alert'] {
      color: #a00;
    }
    td,
    th {
      padding: 0.25rem 1rem 0.25rem 0;
      text-align: left;
    }
  `,
})
export class SamplePage implements OnInit {
  protected readonly session = inject(SampleSession);
  private readonly http = inject(HttpClient);
  private readonly title = inject(Title);
  protected readonly usersUrl = `${inject(SAMPLE_CONFIG).api.baseUrl}users`;

  protected readonly started = signal(false);
  protected readonly busy = signal(false);
  protected readonly status = signal<string | null>(null);
  protected readonly problem = signal<string | null>(null);
  protected readonly users = signal<User[] | null>(null);

  ngOnInit(): void {
    // One index.html serves both samples: the title names the library.
    this.title.setTitle(`DPoP with ${this.session.library}`);
    void this.run(() => this.session.start()).then(() => this.started.set(true));
  }

  protected signIn(): Promise<void> {
    return this.run(() => this.session.signIn());
  }

  protected signOut(): Promise<void> {
    return this.run(() => this.session.signOut());
  }

  protected refresh(): Promise<void> {
    return this.run(async () => {
      await this.session.refresh();
      this.status.set('Tokens refreshed.');
    });
  }

  protected loadUsers(): Promise<void> {
    return this.run(async () => {
      this.users.set(null);
      this.users.set(await firstValueFrom(this.http.get<User[]>(this.usersUrl)));
      this.status.set('Users loaded.');
    });
  }

  /** Runs one action at a time; what it throws is shown, never swallowed. */
  private async run(action: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.status.set(null);
    this.problem.set(null);
    try {
      await action();
    } catch (error) {
      console.error(error);
      this.problem.set(describe(error));
    } finally {
      this.busy.set(false);
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof HttpErrorResponse) {
    const body = error.error as { error?: string; error_description?: string } | null;
    const reason = body?.error_description ?? body?.error ?? error.statusText;
    return `${error.url ?? 'The server'} answered ${error.status}: ${reason}`;
  }
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

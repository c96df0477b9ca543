import { HttpClient } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import { API_BASE } from './shell';

/** Calls the API through HttpClient, so through the variant's interceptor. */
@Component({
  selector: 'app-users',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1>Users</h1>
    <ul>
      @for (user of users(); track $index) {
        <li>{{ user.name }}</li>
      }
    </ul>
  `,
})
export class Users {
  protected readonly users = signal<{ name?: string }[]>([]);

  constructor() {
    void firstValueFrom(inject(HttpClient).get<{ name?: string }[]>(`${API_BASE}users`)).then(
      (users) => this.users.set(users),
    );
  }
}

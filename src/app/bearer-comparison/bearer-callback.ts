import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';

import { Problem, ProblemAlert } from '../shared/problem';
import { toProblem } from '../shared/to-problem';
import { BearerSession } from './bearer-session';

/** The bearer comparison's redirect URI: redeems its code, then goes back to where it started. */
@Component({
  selector: 'app-bearer-callback',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ProblemAlert, RouterLink],
  template: `
    @if (problem(); as problem) {
      <h1>No bearer token</h1>
      <app-problem-alert [problem]="problem">
        <p class="actions"><a routerLink="/attacks">Back to the attack lab</a></p>
      </app-problem-alert>
    } @else {
      <h1>Getting a plain bearer token</h1>
      <p aria-busy="true">Redeeming the code…</p>
    }
  `,
})
export class BearerCallback {
  private readonly router = inject(Router);
  protected readonly problem = signal<Problem | null>(null);

  constructor() {
    const query = inject(ActivatedRoute).snapshot.queryParamMap;
    inject(BearerSession)
      .complete({
        code: query.get('code'),
        state: query.get('state'),
        iss: query.get('iss'),
        error: query.get('error'),
        error_description: query.get('error_description'),
      })
      .then(
        (returnUrl) => this.router.navigateByUrl(returnUrl, { replaceUrl: true }),
        (error: unknown) => {
          console.error(error);
          this.problem.set(toProblem(error, 'The authorization server'));
        },
      );
  }
}

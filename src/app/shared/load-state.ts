import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import type { Loader } from './loader';
import { ProblemAlert } from './problem';

/**
 * Shows a `Loader`'s state: "Loading…", the problem with a Try again button, or — once loaded —
 * the content it wraps. Busy while loading, for assistive technology.
 */
@Component({
  selector: 'app-load-state',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ProblemAlert],
  host: { '[attr.aria-busy]': 'loader().loading()' },
  template: `
    @if (loader().loading()) {
      <p>Loading…</p>
    } @else if (loader().problem(); as problem) {
      <app-problem-alert [problem]="problem">
        <button type="button" (click)="loader().load()">Try again</button>
      </app-problem-alert>
    } @else {
      <ng-content />
    }
  `,
})
export class LoadState {
  readonly loader = input.required<Loader<unknown>>();
}

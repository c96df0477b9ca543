import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { Problem } from './problem';

/** Shows a `Problem` as an alert; buttons (e.g. "Try again") go in as content. */
@Component({
  selector: 'app-problem-alert',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { role: 'alert', class: 'alert alert-error' },
  template: `
    <p class="alert-message">{{ problem().message }}</p>
    @if (problem().error) {
      <dl class="alert-details">
        <dt>error</dt>
        <dd>
          <code>{{ problem().error }}</code>
        </dd>
        @if (problem().description) {
          <dt>error_description</dt>
          <dd>{{ problem().description }}</dd>
        }
      </dl>
    }
    <ng-content />
  `,
})
export class ProblemAlert {
  readonly problem = input.required<Problem>();
}

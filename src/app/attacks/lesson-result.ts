import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { LessonOutcome } from './lesson';

/** A lesson's result: accepted or refused, why, and what the script did step by step. */
@Component({
  selector: 'app-lesson-result',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="result" aria-live="polite" [attr.data-testid]="'lesson-' + lesson()">
      @if (outcome(); as outcome) {
        <p class="verdict" [attr.data-accepted]="outcome.accepted">
          {{ outcome.accepted ? 'Accepted' : 'Refused' }}:
          <span data-testid="status">{{ outcome.status }}</span>
        </p>
        <p class="why"><strong>Why:</strong> {{ outcome.why }}</p>
        <ol>
          @for (step of outcome.steps; track $index) {
            <li>{{ step }}</li>
          }
        </ol>
      } @else if (failure(); as failure) {
        <p class="alert alert-error">{{ failure }}</p>
      }
    </div>
  `,
  styleUrl: './attack-lab.css',
})
export class LessonResult {
  readonly lesson = input.required<string>();
  readonly outcome = input<LessonOutcome>();
  readonly failure = input<string>();
}

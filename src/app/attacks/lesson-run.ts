import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';

import { Auth } from '../auth/auth';
import { LessonId, LessonOutcome } from './lesson';
import { Runs } from './runs';

/**
 * A lesson's button (its label is the content) and its result: accepted or refused, why, and
 * what the script did. It runs for a signed-in user only.
 */
@Component({
  selector: 'app-lesson-run',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p class="actions">
      <button
        type="button"
        (click)="start()()"
        [disabled]="!auth.isSignedIn() || runs().running() !== null"
      >
        <ng-content />
      </button>
      @if (runs().running() === lesson()) {
        <span>Running…</span>
      }
    </p>
    <div class="result" aria-live="polite" [attr.data-testid]="'lesson-' + lesson()">
      @if (runs().results()[lesson()]; as outcome) {
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
      } @else if (runs().failures()[lesson()]; as failure) {
        <p class="alert alert-error">{{ failure }}</p>
      }
    </div>
  `,
  styleUrl: './attack-lab.css',
})
export class LessonRun {
  protected readonly auth = inject(Auth);
  readonly lesson = input.required<LessonId>();
  readonly runs = input.required<Runs<LessonId, LessonOutcome>>();
  /**
   * Runs the lesson; called in the click itself, so a popup it opens is not blocked. (A function
   * input rather than an output(), which would add the output machinery to the first load.)
   */
  readonly start = input.required<() => unknown>();
}

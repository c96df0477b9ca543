import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';

import { Auth } from '../auth/auth';
import { LessonId, LessonOutcome } from './lesson';
import { OutcomeBadge } from './outcome-badge';
import { Runs } from './runs';

/**
 * A lesson's button (its label is the content) and its result: blocked or got through, why, and
 * what the script did — step by step while it runs. It runs for a signed-in user only; while
 * running, the button keeps focus (aria-disabled, clicks ignored).
 */
@Component({
  selector: 'app-lesson-run',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [OutcomeBadge],
  template: `
    <p class="actions">
      <button
        type="button"
        (click)="usable() && start()()"
        [attr.aria-disabled]="!usable() || null"
        [attr.aria-describedby]="auth.isSignedIn() ? null : 'needs-' + lesson()"
      >
        <ng-content />
      </button>
      @if (!auth.isSignedIn()) {
        <span class="note" [id]="'needs-' + lesson()">Needs you to be signed in.</span>
      }
      @if (runs().running() === lesson()) {
        <span>Running…</span>
      }
    </p>
    <div class="result" aria-live="polite" [attr.data-testid]="'lesson-' + lesson()">
      @if (runs().running() === lesson()) {
        @if (runs().progress(); as progress) {
          <ol>
            @for (step of progress.steps; track $index) {
              <li>{{ step }}</li>
            }
            @if (progress.doing; as doing) {
              <li class="doing">{{ doing }}</li>
            }
          </ol>
        }
      } @else if (runs().results()[lesson()]; as outcome) {
        <p class="verdict">
          <app-outcome-badge [outcome]="outcome.outcome" />
          &ngsp;<span data-testid="status">{{ outcome.status }}</span>
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

  protected usable(): boolean {
    return this.auth.isSignedIn() && this.runs().running() === null;
  }
}

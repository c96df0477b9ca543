import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';

import { Auth } from '../auth/auth';
import { pendingTask } from '../shared/loader';
import { LessonOutcome } from './lesson';
import { LessonResult } from './lesson-result';
import { OwnSignIn } from './own-sign-in';
import { StolenRefreshToken } from './stolen-refresh-token';

type LessonId = 'own-sign-in' | 'stolen-refresh-token';

/**
 * The attack lab's lessons on what DPoP does not stop: script running in the page, which cannot
 * read the key but can start a sign-in of its own, and reads the stored refresh token.
 */
@Component({
  selector: 'app-script-lessons',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [LessonResult],
  templateUrl: './script-lessons.html',
  styleUrl: './attack-lab.css',
})
export class ScriptLessons {
  private readonly ownSignIn = inject(OwnSignIn);
  private readonly stolenRefreshToken = inject(StolenRefreshToken);
  private readonly track = pendingTask();
  protected readonly auth = inject(Auth);

  protected readonly running = signal<LessonId | null>(null);
  protected readonly outcomes = signal<Partial<Record<LessonId, LessonOutcome>>>({});
  protected readonly failures = signal<Partial<Record<LessonId, string>>>({});

  protected startOwnSignIn(): Promise<void> {
    // Opened in the click itself: a popup opened after an await would be blocked.
    const popup = this.ownSignIn.openPopup();
    return this.run('own-sign-in', () => this.ownSignIn.run(popup));
  }

  protected stealRefreshToken(): Promise<void> {
    return this.run('stolen-refresh-token', () => this.stolenRefreshToken.run());
  }

  private run(id: LessonId, lesson: () => Promise<LessonOutcome>): Promise<void> {
    return this.track(async () => {
      this.running.set(id);
      this.outcomes.update(({ [id]: _, ...rest }) => rest);
      this.failures.update(({ [id]: _, ...rest }) => rest);
      try {
        const outcome = await lesson();
        this.outcomes.update((all) => ({ ...all, [id]: outcome }));
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.failures.update((all) => ({ ...all, [id]: `The lesson could not run: ${message}` }));
      } finally {
        this.running.set(null);
      }
    });
  }
}

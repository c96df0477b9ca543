import { Injectable } from '@angular/core';

import type { AttackOutcome, AttackId, Verdict } from './attack-catalogue';
import type { LessonId, LessonOutcome } from './lesson';
import { runs } from './runs';

/** An attack's answer and what it means. */
export interface AttackResult {
  outcome: AttackOutcome;
  verdict: Verdict;
}

/**
 * The attack lab's runs and results, held for the tab rather than the page: a run goes on, and
 * its result stays, when the user opens another view (and after a reload: see `runs`).
 */
@Injectable({ providedIn: 'root' })
export class LabRuns {
  readonly attacks = runs<AttackId, AttackResult>('The attack could not run', 'attack-results');
  /** The lessons on script in the page (what DPoP does not stop). */
  readonly lessons = runs<LessonId, LessonOutcome>('The lesson could not run', 'lesson-results');
}

import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';

import { Auth } from '../auth/auth';
import { Attack, ATTACKS, AttackId, AttackOutcome, explain, Verdict } from './attack-catalogue';
import { pendingTask } from '../shared/loader';
import { Attacker } from './attacker';
import { ScriptLessons } from './script-lessons';

interface AttackResult {
  outcome: AttackOutcome;
  verdict: Verdict;
}

/**
 * The attack lab: one button per attack a thief with a stolen token (and proof) would try, each
 * sent from the app to the real API, with the real answer — status, `WWW-Authenticate` — and one
 * sentence on why it was accepted or refused.
 */
@Component({
  selector: 'app-attack-lab',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, ScriptLessons],
  templateUrl: './attack-lab.html',
  styleUrl: './attack-lab.css',
})
export class AttackLab {
  private readonly attacker = inject(Attacker);
  private readonly track = pendingTask();
  protected readonly auth = inject(Auth);

  protected readonly running = signal<AttackId | null>(null);
  private readonly results = signal<Partial<Record<AttackId, AttackResult>>>({});
  private readonly failures = signal<Partial<Record<AttackId, string>>>({});
  /** One row per attack: whether this session can run it, and its last result or failure. */
  protected readonly rows = computed(() =>
    ATTACKS.map((attack) => ({
      attack,
      usable: this.auth.mode() === attack.needs,
      result: this.results()[attack.id],
      failure: this.failures()[attack.id],
    })),
  );

  protected run(attack: Attack): Promise<void> {
    return this.track(async () => {
      this.running.set(attack.id);
      this.failures.update(({ [attack.id]: _, ...rest }) => rest);
      this.results.update(({ [attack.id]: _, ...rest }) => rest);
      try {
        const outcome = await this.attacker.run(attack.id);
        this.results.update((all) => ({
          ...all,
          [attack.id]: { outcome, verdict: explain(attack, outcome) },
        }));
      } catch (error) {
        this.failures.update((all) => ({
          ...all,
          [attack.id]: `The attack could not run: ${error instanceof Error ? error.message : String(error)}`,
        }));
      } finally {
        this.running.set(null);
      }
    });
  }
}

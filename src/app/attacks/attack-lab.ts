import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';

import { Auth } from '../auth/auth';
import { BearerSession } from '../bearer-comparison/bearer-session';
import { Attack, ATTACKS, AttackId, AttackOutcome, explain, Verdict } from './attack-catalogue';
import { Attacker } from './attacker';
import { runs } from './runs';
import { LessonId, LessonOutcome } from './lesson';
import { LessonRun } from './lesson-run';
import { OwnSignIn } from './own-sign-in';
import { StolenRefreshToken } from './stolen-refresh-token';

interface AttackResult {
  outcome: AttackOutcome;
  verdict: Verdict;
}

/**
 * The attack lab: one button per attack a thief with a stolen token (and proof) would try, each
 * sent from the app to the real API, with the real answer — status, `WWW-Authenticate` — and one
 * sentence on why it was accepted or refused. Then two lessons on what DPoP does not stop: script
 * running in the page, which cannot read the key but can start a sign-in of its own and read the
 * stored refresh token.
 */
@Component({
  selector: 'app-attack-lab',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, LessonRun],
  templateUrl: './attack-lab.html',
  styleUrl: './attack-lab.css',
})
export class AttackLab {
  private readonly attacker = inject(Attacker);
  private readonly ownSignIn = inject(OwnSignIn);
  private readonly stolenRefreshToken = inject(StolenRefreshToken);
  protected readonly auth = inject(Auth);
  protected readonly runs = runs<AttackId, AttackResult>('The attack could not run');
  /** The lessons on script in the page (what DPoP does not stop). */
  protected readonly lessons = runs<LessonId, LessonOutcome>('The lesson could not run');
  /** The comparison's plain bearer token, held beside the session. */
  protected readonly bearer = inject(BearerSession);

  /** One row per attack: whether this session can run it, and its last result or failure. */
  protected readonly rows = computed(() =>
    ATTACKS.map((attack) => ({
      attack,
      usable: attack.needs === 'Bearer' ? this.bearer.token() !== null : this.auth.isSignedIn(),
      result: this.runs.results()[attack.id],
      failure: this.runs.failures()[attack.id],
    })),
  );

  protected run(attack: Attack): Promise<void> {
    return this.runs.run(attack.id, async () => {
      const outcome = await this.attacker.run(attack.id);
      return { outcome, verdict: explain(attack, outcome) };
    });
  }

  protected getBearerToken(): void {
    void this.bearer.signIn('/attacks');
  }

  protected readonly startOwnSignIn = (): Promise<void> => {
    // Opened in the click itself: a popup opened after an await would be blocked.
    const popup = this.ownSignIn.openPopup();
    return this.lessons.run('own-sign-in', () => this.ownSignIn.run(popup));
  };

  protected readonly stealRefreshToken = (): Promise<void> =>
    this.lessons.run('stolen-refresh-token', () => this.stolenRefreshToken.run());
}

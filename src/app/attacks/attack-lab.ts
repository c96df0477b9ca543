import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink } from '@angular/router';

import { Auth } from '../auth/auth';
import { BearerSession } from '../bearer-comparison/bearer-session';
import { Attack, ATTACKS, AttackId, explain } from './attack-catalogue';
import { Attacker } from './attacker';
import { LabRuns } from './lab-runs';
import { LessonRun } from './lesson-run';
import { OutcomeBadge } from './outcome-badge';
import { OwnSignIn } from './own-sign-in';
import { StolenRefreshToken } from './stolen-refresh-token';

/** The comparison: the same theft — a copied token sent as Bearer — with each kind of token. */
const SIDE_BY_SIDE: readonly AttackId[] = ['bearer-replay', 'dpop-as-bearer'];

/**
 * The attack lab: first the same theft with a plain bearer token and with the session's
 * DPoP-bound one, side by side; then one button per attack a thief with a stolen token (and
 * proof) would try, each sent from the app to the real API, with the real answer — status,
 * `WWW-Authenticate` — shown as the defence's outcome (Blocked, Got through, No answer) and one
 * sentence on why. Then two lessons on what DPoP does not stop: script running in the page.
 * Results are kept for the tab (LabRuns); a running button keeps focus (aria-disabled).
 */
@Component({
  selector: 'app-attack-lab',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, LessonRun, OutcomeBadge],
  templateUrl: './attack-lab.html',
  styleUrl: './attack-lab.css',
})
export class AttackLab {
  private readonly attacker = inject(Attacker);
  private readonly ownSignIn = inject(OwnSignIn);
  private readonly stolenRefreshToken = inject(StolenRefreshToken);
  protected readonly auth = inject(Auth);
  protected readonly runs = inject(LabRuns).attacks;
  protected readonly lessons = inject(LabRuns).lessons;
  /** The comparison's plain bearer token, held beside the session. */
  protected readonly bearer = inject(BearerSession);

  /** One row per attack: whether this session can run it, and its last result or failure. */
  protected readonly rows = computed(() =>
    ATTACKS.map((attack) => ({
      attack,
      usable: this.usable(attack),
      result: this.runs.results()[attack.id],
      failure: this.runs.failures()[attack.id],
    })),
  );
  protected readonly sideBySide = computed(() =>
    this.rows().filter((row) => SIDE_BY_SIDE.includes(row.attack.id)),
  );
  protected readonly sideBySideUsable = computed(() =>
    this.sideBySide().every((row) => row.usable),
  );
  /** When the bearer token expires, for the page ("valid until 14:05:12"). */
  protected readonly bearerUntil = computed(() => {
    const token = this.bearer.token();
    return token ? new Date(token.expiresAt).toLocaleTimeString() : null;
  });

  protected run(attack: Attack): Promise<void> {
    if (!this.usable(attack)) return Promise.resolve();
    return this.runs.run(attack.id, async () => {
      const outcome = await this.attacker.run(attack.id);
      return { outcome, verdict: explain(attack, outcome) };
    });
  }

  /** The comparison in one go: the bearer token's theft, then the DPoP token's. */
  protected async runSideBySide(): Promise<void> {
    if (this.runs.running() !== null || !this.sideBySideUsable()) return;
    for (const row of this.sideBySide()) await this.run(row.attack);
  }

  /** An in-page link to an attack's card: focus moves there (the URL stays the router's). */
  protected jump(event: Event, id: AttackId): void {
    event.preventDefault();
    document.getElementById(`attack-${id}`)?.focus();
  }

  protected getBearerToken(): void {
    void this.bearer.signIn('/attacks');
  }

  protected readonly startOwnSignIn = (): Promise<void> => {
    if (this.lessons.running() !== null) return Promise.resolve();
    // Opened in the click itself: a popup opened after an await would be blocked.
    const popup = this.ownSignIn.openPopup();
    return this.lessons.run('own-sign-in', (report) => this.ownSignIn.run(popup, report));
  };

  protected readonly stealRefreshToken = (): Promise<void> =>
    this.lessons.run('stolen-refresh-token', (report) => this.stolenRefreshToken.run(report));

  private usable(attack: Attack): boolean {
    return attack.needs === 'Bearer' ? this.bearer.token() !== null : this.auth.isSignedIn();
  }
}

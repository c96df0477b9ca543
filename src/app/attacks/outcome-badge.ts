import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import { DefenceOutcome, OUTCOME_WORDS } from './defence-outcome';

/** An attack's outcome in words and colour: Blocked (green), Got through (red), No answer… */
@Component({
  selector: 'app-outcome-badge',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'outcome', '[attr.data-outcome]': 'outcome()' },
  template: `{{ words() }}`,
  styles: `
    :host {
      display: inline-block;
      padding: 0.05rem 0.5rem;
      border: 1px solid currentColor;
      border-radius: 0.25rem;
      font-weight: 700;
      color: var(--muted);
      background: #f1f3f5;
    }
    :host([data-outcome='blocked']) {
      color: #166534;
      background: #ecfdf3;
    }
    :host([data-outcome='got-through']) {
      color: var(--error-text);
      background: var(--error-bg);
    }
  `,
})
export class OutcomeBadge {
  readonly outcome = input.required<DefenceOutcome>();
  protected readonly words = computed(() => OUTCOME_WORDS[this.outcome()]);
}

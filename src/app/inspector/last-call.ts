import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';

import { storyOf } from './call-story';
import { ExchangeLog } from './exchange-log';
import { groupExchanges, RequestGroup } from './request-view';

/**
 * What DPoP did on a view's last call to `url`, in a few numbered steps, with a link to that
 * exchange in the Inspector — so the proof, the nonce and the binding are visible without
 * DevTools. Shows nothing until the call has been answered.
 */
@Component({
  selector: 'app-last-call',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    @if (request(); as request) {
      <section class="last-call card" aria-labelledby="last-call-heading">
        <h2 id="last-call-heading">What DPoP did on this call</h2>
        <ol data-testid="call-story">
          @for (step of story(); track $index) {
            <li>{{ step }}</li>
          }
        </ol>
        <p>
          <a routerLink="/inspector" [fragment]="'request-' + request.id"
            >See this exchange in the Inspector</a
          >
          — the proofs decoded, the nonce, the token’s <code>cnf.jkt</code>.
        </p>
      </section>
    }
  `,
  styles: `
    .last-call {
      margin-top: 1.5rem;
    }
    h2 {
      margin: 0 0 0.5rem;
      font-size: 1.1rem;
    }
    li {
      margin: 0 0 0.25rem;
    }
  `,
})
export class LastCall {
  /** The URL the view calls. */
  readonly url = input.required<string>();
  /** Who answers it, for the sentences: "The API", "The authorization server". */
  readonly server = input.required<string>();

  private readonly requests = signal<RequestGroup[]>([]);
  protected readonly request = computed(
    () => this.requests().find((group) => group.url === this.url()) ?? null,
  );
  protected readonly story = computed(() => {
    const request = this.request();
    return request ? storyOf(request, this.server()) : [];
  });

  constructor() {
    // A subscription rather than toSignal(): see ExchangeLog on what lazy views may use.
    inject(ExchangeLog)
      .exchanges.pipe(takeUntilDestroyed())
      .subscribe((exchanges) => this.requests.set(groupExchanges(exchanges)));
  }
}

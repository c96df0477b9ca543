import { ChangeDetectionStrategy, Component, input } from '@angular/core';

import { ClaimRow } from './jwt-explained';

/**
 * A decoded JWT part (header or claims) as a table: name, value, what it means and where. At
 * phone width each row stacks (styles.css, .stacked): the name, then its value and its meaning.
 */
@Component({
  selector: 'app-claim-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <table class="claims-table stacked">
      <caption>
        {{
          caption()
        }}
      </caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Value</th>
          <th scope="col">Meaning</th>
        </tr>
      </thead>
      <tbody>
        @for (row of rows(); track row.name) {
          <tr>
            <th scope="row">
              <code>{{ row.name }}</code>
            </th>
            <td data-label="Value">
              <code>{{ row.value }}</code>
            </td>
            <td data-label="Meaning">
              {{ row.meaning }}
              @if (row.source) {
                <span class="source">({{ row.source }})</span>
              }
            </td>
          </tr>
        }
      </tbody>
    </table>
  `,
  styles: `
    .claims-table {
      margin: 0.5rem 0 1rem;
      font-size: 0.9rem;
    }
    .claims-table th,
    .claims-table td {
      vertical-align: top;
      padding: 0.35rem 0.5rem;
    }
    .claims-table td:nth-child(2) {
      max-width: 22rem;
    }
    .source {
      color: var(--muted);
      white-space: nowrap;
    }
  `,
})
export class ClaimTable {
  readonly caption = input.required<string>();
  readonly rows = input.required<readonly ClaimRow[]>();
}

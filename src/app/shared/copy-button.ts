import { ChangeDetectionStrategy, Component, input, signal } from '@angular/core';

/**
 * A quiet button that copies `text` to the clipboard (to compare a proof or a token with DevTools
 * or a JWT decoder), and says whether it did, for everyone: its status is a live region.
 */
@Component({
  selector: 'app-copy-button',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <button type="button" class="quiet" (click)="copy()">{{ label() }}</button>
    <span class="note" role="status">{{ status() }}</span>
  `,
})
export class CopyButton {
  readonly text = input.required<string>();
  /** The button's name, e.g. "Copy the proof". */
  readonly label = input.required<string>();
  protected readonly status = signal('');

  protected async copy(): Promise<void> {
    this.status.set('');
    try {
      await navigator.clipboard.writeText(this.text());
      this.status.set('Copied.');
    } catch {
      // No clipboard permission, or not a secure context: the text is on the page to select.
      this.status.set('Not copied: the browser refused. Select the text and copy it instead.');
    }
  }
}

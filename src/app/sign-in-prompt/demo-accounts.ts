import { ChangeDetectionStrategy, Component } from '@angular/core';

/**
 * The demo accounts of the embedded authorization server, where a newcomer needs them (the home
 * page, a protected view's sign-in prompt), not only in the terminal that ran `npm start`.
 */
@Component({
  selector: 'app-demo-accounts',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p class="note">
      With the servers of <code>npm start</code>, sign in as <strong>alice</strong> (password
      <code>alice-password</code>) or <strong>bob</strong> (<code>bob-password</code>).
    </p>
  `,
})
export class DemoAccounts {}

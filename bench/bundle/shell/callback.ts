import { ChangeDetectionStrategy, Component, inject } from '@angular/core';

import { SHELL_AUTH } from './shell';

@Component({
  selector: 'app-callback',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<p>Signing in…</p>`,
})
export class Callback {
  constructor() {
    void inject(SHELL_AUTH).completeSignIn(new URL(location.href));
  }
}

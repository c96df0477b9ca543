/** The shell alone: no sign-in, a plain HttpClient. The baseline the other variants add to. */
import { provideHttpClient, withFetch } from '@angular/common/http';
import { bootstrapApplication } from '@angular/platform-browser';

import { Shell, SHELL_AUTH, shellConfig } from '../shell/shell';

bootstrapApplication(
  Shell,
  shellConfig(provideHttpClient(withFetch()), {
    provide: SHELL_AUTH,
    useValue: { signIn: async () => undefined, completeSignIn: async () => undefined },
  }),
).catch((error: unknown) => console.error(error));

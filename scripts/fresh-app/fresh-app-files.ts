/**
 * What the fresh app writes with the packages: a few lines a team would, using the main entry
 * (`provideDpop` and its features, `dpopInterceptor`, `DpopTokenSource`, `Dpop`) and
 * `@dpop-lab/angular/devtools`. `ng build` type-checks them in strict mode (ng new's default).
 */
export const FRESH_APP_FILES: Record<string, string> = {
  'src/app/app.config.ts': `import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  ApplicationConfig,
  Injectable,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import {
  dpopInterceptor,
  DpopTokenSource,
  provideDpop,
  withAllowList,
  withTokenSource,
} from '@dpop-lab/angular';
import { withDpopDevtools } from '@dpop-lab/angular/devtools';

@Injectable()
class SignedOut extends DpopTokenSource {
  async getAccessToken(): Promise<string | null> {
    return null;
  }
}

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    provideHttpClient(withInterceptors([dpopInterceptor])),
    provideDpop(
      withAllowList([{ url: 'https://api.example.com/api/', resource: 'https://api.example.com' }]),
      withTokenSource(SignedOut),
      withDpopDevtools(),
    ),
  ],
};
`,
  'src/app/app.ts': `import { Component, inject, signal } from '@angular/core';
import { Dpop } from '@dpop-lab/angular';
import { DpopDevtools } from '@dpop-lab/angular/devtools';

@Component({
  selector: 'app-root',
  template: \`<p>Key storage: {{ dpop.storage() }}</p>
    <button type="button" (click)="prepare()">Prepare a sign-in</button>
    <p>{{ jkt() }}</p>\`,
})
export class App {
  protected readonly dpop = inject(Dpop);
  private readonly devtools = inject(DpopDevtools);
  protected readonly jkt = signal('');

  protected async prepare(): Promise<void> {
    const jkt = await this.dpop.prepare({ token_endpoint: 'https://id.example.com/token' });
    const key = await this.devtools.key();
    this.jkt.set(\`\${jkt} (\${key.algorithm})\`);
  }
}
`,
};

/** A string only the part of @dpop-lab/angular loaded on first use holds (the key database). */
export const LAZY_RUNTIME_MARKER = 'store the DPoP key';

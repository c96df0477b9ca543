import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { appConfig } from './app/app.config';
import { watchCspViolations } from './app/config/csp-violations';
import { loadConfig } from './app/config/load-config';

// Before any request: a call the page's CSP blocks is then reported as that, not as a server
// that did not answer (csp-violations.ts).
watchCspViolations();

// The configuration is fetched at run time (/config.json, made by npm start or the app server
// from their settings), so one build can point at the embedded server or a real identity
// provider. Any failure shows on the page.
loadConfig()
  .then((config) => bootstrapApplication(App, appConfig(config)))
  .catch(async (error: unknown) => {
    console.error(error);
    // Loaded only when needed; if even that fails, the console has the error.
    const { renderStartupError } = await import('./app/config/startup-error');
    renderStartupError(document.querySelector('app-root') ?? document.body, error);
  });

import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { appConfig } from './app/app.config';
import { loadConfig } from './app/config/load-config';
import { renderStartupError } from './app/config/startup-error';

// The configuration is fetched at run time (public/config.json), so one build can point at
// the embedded server or a real identity provider. Any failure shows on the page.
loadConfig()
  .then((config) => bootstrapApplication(App, appConfig(config)))
  .catch((error: unknown) => {
    console.error(error);
    renderStartupError(document.querySelector('app-root') ?? document.body, error);
  });

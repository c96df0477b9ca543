import { ApplicationConfig } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';

import { loadSampleConfig, SampleConfig } from './sample-config';
import { SamplePage } from './sample-page';

/** Loads config.json, then starts the page with the sample's providers; a failure shows on the page. */
export function startSample(appConfig: (config: SampleConfig) => ApplicationConfig): void {
  loadSampleConfig()
    .then((config) => bootstrapApplication(SamplePage, appConfig(config)))
    .catch((error: unknown) => {
      console.error(error);
      const root = document.querySelector('app-root');
      if (root) {
        root.textContent = `The sample could not start: ${error instanceof Error ? error.message : String(error)}`;
      }
    });
}

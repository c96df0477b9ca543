import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';

import { appRoutes } from '../../app.routes';
import { APP_CONFIG } from '../../config/app-config';
import { Auth } from '../auth';
import { FakeAuth } from './fake-auth';
import { TEST_CONFIG } from './test-config';

/**
 * The app's real routes over a `FakeAuth` (returned, signed out): for specs of what a visitor sees
 * at a URL (`RouterTestingHarness.create(url)`).
 */
export function routedApp(): FakeAuth {
  const auth = new FakeAuth();
  TestBed.configureTestingModule({
    providers: [
      provideRouter(appRoutes(TEST_CONFIG)),
      { provide: Auth, useValue: auth },
      { provide: APP_CONFIG, useValue: TEST_CONFIG },
    ],
  });
  return auth;
}

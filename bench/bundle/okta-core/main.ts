/** okta-auth-js's smaller `core` entry point (OIDC without IDX, Authn and MyAccount). */
import { OktaAuth } from '@okta/okta-auth-js/core';

import { bootstrapOktaShell, OKTA_OPTIONS } from '../okta/okta-shell';

bootstrapOktaShell(() => new OktaAuth(OKTA_OPTIONS));

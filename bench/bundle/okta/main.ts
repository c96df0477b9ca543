/** okta-auth-js's main entry point, as its README and @okta/okta-angular import it. */
import { OktaAuth } from '@okta/okta-auth-js';

import { bootstrapOktaShell, OKTA_OPTIONS } from './okta-shell';

bootstrapOktaShell(() => new OktaAuth(OKTA_OPTIONS));

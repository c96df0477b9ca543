/** The protected resources: path → the scope it needs and the JSON it answers with. */
import { listApps, listUsers } from './demo-data.ts';

export interface ProtectedRoute {
  scope: string;
  body(): unknown;
}

export const PROTECTED_ROUTES: ReadonlyMap<string, ProtectedRoute> = new Map([
  ['/api/users', { scope: 'users:read', body: listUsers }],
  ['/api/apps', { scope: 'apps:read', body: listApps }],
]);

/** Methods the routes answer; everything else is 405. */
export const ALLOWED_METHODS = ['GET', 'OPTIONS'] as const;

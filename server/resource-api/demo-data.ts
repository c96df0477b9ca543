/**
 * What the API serves: the demo users (never their passwords) and the apps registered with the
 * embedded authorization server.
 */
import { DEMO_ACCOUNTS, SPA_CLIENT_ID } from '../config.ts';

export interface UserView {
  id: string;
  name: string;
  email: string;
}

export interface AppView {
  id: string;
  name: string;
  clientId: string;
  dpopBound: boolean;
}

export function listUsers(): UserView[] {
  return DEMO_ACCOUNTS.map(({ id, name, email }) => ({ id, name, email }));
}

export function listApps(): AppView[] {
  return [
    { id: 'spa', name: 'DPoP Lab single-page app', clientId: SPA_CLIENT_ID, dpopBound: true },
  ];
}

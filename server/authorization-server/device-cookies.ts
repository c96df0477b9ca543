/**
 * Device cookies (OWASP "Slow Brute Force Attack Protection", device cookies): a browser that has
 * signed in as an account carries a cookie that says so, signed by this server, so that the login
 * throttle (login-throttle.ts) counts its attempts for that account by the cookie alone — a
 * guesser elsewhere, even behind the same address, cannot lock its owner out.
 *
 *   Set-Cookie: dpop-lab-device.<name key>=<JWT>; Path=/interaction; Max-Age=15552000; HttpOnly; SameSite=Lax
 *
 * One cookie per account name (a browser may sign in as several). The value is a JWT (HS256,
 * jose) whose `sub` is the account name's key (account-name.ts) and whose `jti` names the device:
 * it cannot be forged or moved to another name, and only the login form's path receives it. It
 * is issued only after a correct password, so it says nothing about names that do not exist.
 */
import { hkdfSync, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import { jwtVerify, SignJWT } from 'jose';

import { accountNameKey } from './account-name.ts';

const LIFETIME_SECONDS = 180 * 24 * 60 * 60;
const PATH = '/interaction';

export interface DeviceCookiesOptions {
  /** The first of the server's cookie keys (keys.ts): the signing key is derived from it. */
  cookieKey: string;
  /** Add `Secure` (the issuer is https). */
  secure: boolean;
  /** The clock, in milliseconds since the epoch (tests). */
  now?: () => number;
}

const cookieName = (username: string) => `dpop-lab-device.${accountNameKey(username).slice(0, 16)}`;

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

export function createDeviceCookies({ cookieKey, secure, now = Date.now }: DeviceCookiesOptions) {
  const key = new Uint8Array(hkdfSync('sha256', cookieKey, '', 'dpop-lab device cookie', 32));
  const seconds = () => Math.floor(now() / 1000);

  return {
    /** The device id the request's cookie vouches for, for this account name; else undefined. */
    async deviceOf(req: IncomingMessage, username: string): Promise<string | undefined> {
      const value = cookieValue(req, cookieName(username));
      if (!value) return undefined;
      try {
        const { payload } = await jwtVerify(value, key, {
          algorithms: ['HS256'],
          subject: accountNameKey(username),
          currentDate: new Date(now()),
        });
        return payload.jti;
      } catch {
        return undefined; // forged, expired or for another name: no device
      }
    },
    /** The Set-Cookie value for a browser that just signed in as `username` (its device kept). */
    async issue(username: string, device: string = randomUUID()): Promise<string> {
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(accountNameKey(username))
        .setJti(device)
        .setIssuedAt(seconds())
        .setExpirationTime(seconds() + LIFETIME_SECONDS)
        .sign(key);
      const attributes = [
        `Path=${PATH}`,
        `Max-Age=${LIFETIME_SECONDS}`,
        'HttpOnly',
        'SameSite=Lax',
      ];
      if (secure) attributes.push('Secure');
      return [`${cookieName(username)}=${token}`, ...attributes].join('; ');
    },
  };
}

export type DeviceCookies = ReturnType<typeof createDeviceCookies>;

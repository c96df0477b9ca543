/**
 * The key under which an account name typed on the login page is counted and remembered (the
 * login throttle, device cookies): a SHA-256 of the name as the login page compares it, so memory
 * stays bounded whatever was typed, and no list of typed names (some of them passwords typed in
 * the wrong box) is kept. Names that do not exist get keys like any other.
 */
import { createHash } from 'node:crypto';

export function accountNameKey(username: string): string {
  return createHash('sha256').update(username.trim().toLowerCase()).digest('base64url');
}

/**
 * One entry of the authorization server's store (oidc-provider's model instances: sessions,
 * grants, codes, tokens, sign-in pages, proof records…), and one line of the store file.
 */
import type { AdapterPayload } from 'oidc-provider';

export interface Entry {
  model: string;
  id: string;
  payload: AdapterPayload;
  /** Milliseconds since the epoch; null: never expires. */
  expiresAt: number | null;
  /**
   * The client address (client-address.ts key) of the request that first wrote it, kept with
   * it so that the per-address shares count it again after a restart.
   */
  address?: string;
  /** A spent refresh token's marker (spent-marker.ts), kept in place of the token. */
  marker?: true;
}

/** A change, as one line of the store file: an entry written, or a key deleted. */
export type StoreLine = { put: Entry } | { del: string };

export const keyOf = (model: string, id: string) => `${model}:${id}`;

export const storeLine = (line: StoreLine) => `${JSON.stringify(line)}\n`;

/**
 * A TCP port that was free a moment ago, for a process that must be told its port in advance
 * (redis-server, a child API, the API whose public URL the authorization server must know). It
 * can be taken again before that process binds it: callers that can, retry.
 */
import { createServer } from 'node:http';

import { listen } from '../listen.ts';

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const probe = await listen(createServer(), 0, host);
  await probe.close();
  return probe.port;
}

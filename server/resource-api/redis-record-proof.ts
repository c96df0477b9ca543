/**
 * The Redis side of the replay cache's insert (./redis-replay-cache.ts): one Lua script, which
 * Redis runs atomically, so of any number of concurrent requests with one proof, on any API
 * instances, exactly one is recorded.
 *
 * Each principal (client + user, ./principal.ts) has two sorted sets:
 * - its proofs: members are the proofs' replay keys (SHA-256 of jti + htu), scores their expiry
 *   in epoch milliseconds;
 * - its proof keys: members are the keys' thumbprints, scores the expiry of each key's newest
 *   proof (a key is in use while one of its proofs could still come).
 * The script
 *   1. drops the principal's expired proofs (ZREMRANGEBYSCORE … now), so the set holds live ones;
 *   2. answers {0} if the proof is there (a replay);
 *   3. answers {-1, count, ms} if the principal holds its whole share, ms being the time until its
 *      oldest proof expires (the caller's Retry-After);
 *   4. answers {-2, count, ms} if the key is new to the principal and it already uses its most
 *      keys, ms being the time until one of them is no longer in use;
 *   5. else adds the proof, raises the key's score to the proof's expiry (ZADD GT), keeps both sets
 *      alive as long as their newest member (PEXPIRE), and answers {1}.
 * The clock is the API instance's (`now`), the one its proof checks use, so a proof's entry lives
 * exactly as long as those checks could accept the proof. Both keys carry the principal in a hash
 * tag ({principal}), so a Redis Cluster keeps a principal's sets on one node. A Redis over its
 * `maxmemory` (with `noeviction`) refuses the script: the request gets 503, it fails closed.
 */
import { defineScript, type CommandParser, type RedisArgument } from 'redis';

// `#!lua` with no flags (Redis 7+): Redis refuses the script with OOM while it is over
// `maxmemory`. Without it, a script whose first write succeeds may go on writing past the limit
// (here ZREMRANGEBYSCORE comes first), and a full Redis would keep taking proofs. ZADD GT needs
// Redis 6.2, so 7 covers both.
const SCRIPT = `#!lua
local now = tonumber(ARGV[2])
local expires = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return {0} end
local held = redis.call('ZCARD', KEYS[1])
if held >= tonumber(ARGV[4]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {-1, held, math.max(1, tonumber(oldest[2]) - now)}
end
if not redis.call('ZSCORE', KEYS[2], ARGV[5]) then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  local keys = redis.call('ZCARD', KEYS[2])
  if keys >= tonumber(ARGV[6]) then
    local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    return {-2, keys, math.max(1, tonumber(oldest[2]) - now)}
  end
end
redis.call('ZADD', KEYS[1], expires, ARGV[1])
redis.call('ZADD', KEYS[2], 'GT', expires, ARGV[5])
local ttl = math.max(1, expires - now)
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
if redis.call('PTTL', KEYS[2]) < ttl then redis.call('PEXPIRE', KEYS[2], ttl) end
return {1}
`;

export interface RecordProofArguments {
  proofKey: RedisArgument;
  nowMs: number;
  expiresAt: number;
  share: number;
  jkt: RedisArgument;
  maxKeys: number;
}

export const RECORD_PROOF = defineScript({
  SCRIPT,
  NUMBER_OF_KEYS: 2,
  parseCommand(
    parser: CommandParser,
    proofsKey: RedisArgument,
    keysKey: RedisArgument,
    { proofKey, nowMs, expiresAt, share, jkt, maxKeys }: RecordProofArguments,
  ) {
    parser.pushKey(proofsKey);
    parser.pushKey(keysKey);
    parser.push(
      proofKey,
      String(nowMs),
      String(Math.ceil(expiresAt)),
      String(share),
      jkt,
      String(maxKeys),
    );
  },
  transformReply: undefined as unknown as () => unknown,
});

/** The two sorted sets of one principal: its proofs and its proof keys. */
export function principalKeysOf(
  prefix: string,
  principal: string,
): { proofs: string; keys: string } {
  return { proofs: `${prefix}{${principal}}:proofs`, keys: `${prefix}{${principal}}:keys` };
}

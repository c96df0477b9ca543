/**
 * The Redis side of the replay cache's insert (./redis-replay-cache.ts): one Lua script, which
 * Redis runs atomically, so of any number of concurrent requests with one proof, on any API
 * instances, exactly one is recorded.
 *
 * Each proof key (its thumbprint, the `owner`) has one sorted set: members are the proofs' replay
 * keys (SHA-256 of jti + htu), scores their expiry in epoch milliseconds. The script
 *   1. drops the owner's expired members (ZREMRANGEBYSCORE … now), so the set holds live ones;
 *   2. answers 0 if the proof is there (a replay);
 *   3. answers -ms if the owner holds its whole share, ms being the time until its oldest entry
 *      expires (the caller's Retry-After);
 *   4. else adds the proof and keeps the set alive as long as its newest member (PEXPIRE), and
 *      answers 1.
 * The clock is the API instance's (`now`), the one its proof-age check uses, so a proof's entry
 * lives exactly as long as that check could accept the proof. The set's key carries the owner in
 * a hash tag ({jkt}), so a Redis Cluster keeps each owner's entries on one node. A Redis over its
 * `maxmemory` (with `noeviction`) refuses the script: the request gets 503, it fails closed.
 */
import { defineScript, type CommandParser, type RedisArgument } from 'redis';

// `#!lua` with no flags (Redis 7+): Redis refuses the script with OOM while it is over
// `maxmemory`. Without it, a script whose first write succeeds may go on writing past the limit
// (here ZREMRANGEBYSCORE comes first), and a full Redis would keep taking proofs.
const SCRIPT = `#!lua
local now = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return -math.max(1, tonumber(oldest[2]) - now)
end
redis.call('ZADD', KEYS[1], now + ttl, ARGV[1])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
`;

export const RECORD_PROOF = defineScript({
  SCRIPT,
  NUMBER_OF_KEYS: 1,
  parseCommand(
    parser: CommandParser,
    ownerKey: RedisArgument,
    proofKey: RedisArgument,
    nowMs: number,
    ttlMs: number,
    share: number,
  ) {
    parser.pushKey(ownerKey);
    parser.push(proofKey, String(nowMs), String(Math.ceil(ttlMs)), String(share));
  },
  transformReply: undefined as unknown as () => number,
});

/** The sorted set of one owner's entries. */
export function ownerKeyOf(prefix: string, owner: string): string {
  return `${prefix}{${owner}}`;
}

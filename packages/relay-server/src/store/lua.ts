/**
 * What every Lua script of the Redis, Redis Cluster and Upstash adapters has in common. Every
 * multi-key change runs as one script, so it is atomic on the server whichever client sends it, and
 * every script stays in one hash slot: it declares its keys through KEYS, and the keys it can only
 * find while running (the records of the ids a queue holds) are built from ARGV[1], the same
 * hash-tagged base as the declared ones (`./keyLayout.ts`, the README's "Key layout"). The scripts
 * live with their concern: `requests/`, `queue/`, `leases/`, `journal/`, `admission/` each have a
 * `scripts.ts`; a step that spans concerns is one script, owned by the concern that starts it
 * (admission's enqueue, the journal's record).
 *
 * Wei amounts are handled only by Redis' own INCRBY/DECRBY and compared as decimal strings:
 * Lua numbers are doubles and would round anything above 2^53.
 */

/** What every script starts with: the tagged base, the server's clock, decimal-string compare, finality. */
export const LUA_BASICS = `
local p = ARGV[1]
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function greater(a, b)
  if #a ~= #b then return #a > #b end
  return a > b
end
local function is_final(s)
  return s == 'confirmed' or s == 'failed' or s == 'rejected'
end
`

/**
 * The health probe: a script round trip that touches a hash-tagged key, as every relay script
 * does. KEYS: probe. ARGV: base, token → token
 */
export const PROBE = `
redis.call('SET', KEYS[1], ARGV[2], 'PX', 10000)
return redis.call('GET', KEYS[1])
`

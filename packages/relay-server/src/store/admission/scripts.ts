/**
 * Lua of admission. Two slots hold what admitting an EVM request touches:
 *
 * - the site's slot, base `{prefix}{s<siteKey>}:` — `site` (paused), `quota:<key>`, `budget:<day>`
 *   (reserved plus spent wei), `spent:<day>` (settled wei): `ADMIT` checks and counts, `UNADMIT`
 *   gives back, `SETTLE` books a final request's cost;
 * - the chain's slot — `ENQUEUE` refuses a duplicate nonce and the in-flight caps
 *   (`ipflight:<ipKey>`), and writes the record and its queue place in the same script.
 */

import { LUA_BASICS } from '../lua.js'

/**
 * Site slot. KEYS: site, quota (unused when ARGV[2] is ''), budget (unused when ARGV[5] is '').
 * ARGV: base, quotaOn, quotaLimit, quotaTtl, budgetOn, budgetLimit, amount → 'OK' | 'PAUSED' | 'QUOTA' | 'BUDGET'
 */
export const ADMIT = `${LUA_BASICS}
local quotaOn, quotaLimit, quotaTtl = ARGV[2], tonumber(ARGV[3]), ARGV[4]
local budgetOn, limit, amount = ARGV[5], ARGV[6], ARGV[7]
if redis.call('HGET', KEYS[1], 'paused') == '1' then return 'PAUSED' end
if quotaOn ~= '' and tonumber(redis.call('GET', KEYS[2]) or '0') >= quotaLimit then return 'QUOTA' end
if budgetOn ~= '' then
  redis.call('INCRBY', KEYS[3], amount)
  if greater(redis.call('GET', KEYS[3]), limit) then
    redis.call('DECRBY', KEYS[3], amount)
    return 'BUDGET'
  end
  redis.call('EXPIRE', KEYS[3], 259200)
end
if quotaOn ~= '' then
  redis.call('INCR', KEYS[2])
  if redis.call('TTL', KEYS[2]) < 0 then redis.call('EXPIRE', KEYS[2], quotaTtl) end
end
return 'OK'
`

/** Site slot: undoes an `ADMIT` whose request was not stored. KEYS: quota, budget. ARGV: base, quotaOn, budgetOn, amount */
export const UNADMIT = `
if ARGV[2] ~= '' then redis.call('DECR', KEYS[1]) end
if ARGV[3] ~= '' then redis.call('DECRBY', KEYS[2], ARGV[4]) end
return 'OK'
`

/**
 * Chain slot. KEYS: req, nonces, ready, seq, ipflight:<ipKey> (unused when ipKey is '').
 * ARGV: base, id, nonce, budgetDay ('' = none), amount, maxPerSender ('' = none), ipKey ('' = none),
 * maxPerIp ('' = none), fields… → {'OK', record} | {'EXISTS'} | {'DUPLICATE'} | {'SENDER_LIMIT'} | {'IP_LIMIT'}
 */
export const ENQUEUE = `${LUA_BASICS}
local id, nonce, day, amount = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local maxSender, ipKey, maxIp = ARGV[6], ARGV[7], ARGV[8]
local reqKey, noncesKey, ipFlightKey = KEYS[1], KEYS[2], KEYS[5]
if redis.call('EXISTS', reqKey) == 1 then return {'EXISTS'} end
if redis.call('HEXISTS', noncesKey, nonce) == 1 then return {'DUPLICATE'} end
-- the sender's pending requests are its nonce index: one count whichever instance took them
if maxSender ~= '' and redis.call('HLEN', noncesKey) >= tonumber(maxSender) then return {'SENDER_LIMIT'} end
if ipKey ~= '' and maxIp ~= '' and tonumber(redis.call('GET', ipFlightKey) or '0') >= tonumber(maxIp) then
  return {'IP_LIMIT'}
end
local now = now_ms()
local seq = redis.call('INCR', KEYS[4])
local fields = {}
for i = 9, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', reqKey, unpack(fields))
redis.call('HSET', reqKey, 'status', 'queued', 'createdAt', now, 'updatedAt', now, 'seq', seq, 'busy', '0')
if day ~= '' then redis.call('HSET', reqKey, 'reservedWei', amount, 'budgetDay', day) end
if ipKey ~= '' then
  -- counted until the final status (UPDATE), which finds the key through the record
  redis.call('INCR', ipFlightKey)
  redis.call('HSET', reqKey, 'ipKey', ipKey)
end
redis.call('HSET', noncesKey, nonce, id)
redis.call('ZADD', KEYS[3], seq, id)
return {'OK', redis.call('HGETALL', reqKey)}
`

/**
 * Site slot: books a final request's cost. KEYS: budget (of the reservation's day), spent.
 * ARGV: base, reservedWei ('' = no reservation), spentWei
 */
export const SETTLE = `
if ARGV[2] ~= '' then
  redis.call('DECRBY', KEYS[1], ARGV[2])
  redis.call('INCRBY', KEYS[1], ARGV[3])
end
redis.call('INCRBY', KEYS[2], ARGV[3])
redis.call('EXPIRE', KEYS[2], 259200)
return 'OK'
`

/** Site slot. KEYS: site, budget, spent → { paused, used, spent } */
export const SITE_STATE = `
return {
  redis.call('HGET', KEYS[1], 'paused') or '0',
  redis.call('GET', KEYS[2]) or '0',
  redis.call('GET', KEYS[3]) or '0',
}
`

/** Site slot. KEYS: site. ARGV: base, paused ('1' or '0') */
export const SET_PAUSED = `
redis.call('HSET', KEYS[1], 'paused', ARGV[2])
return 'OK'
`

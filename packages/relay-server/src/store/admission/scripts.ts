/**
 * Lua of admission, for both networks: one rule family — pause, duplicates, quota, budget — in
 * {@link ADMISSION_RULES}, which every admission script starts with (the memory adapters run the same
 * rules in TypeScript, `./rules.ts`). Where the keys live:
 *
 * - EVM, the site's slot, base `{prefix}{s<siteKey>}:` — `site` (paused), `quota:<key>`, `budget:<day>`
 *   (reserved plus spent wei), `spent:<day>` (settled wei): `ADMIT` checks and counts, `UNADMIT`
 *   gives back, `SETTLE` books a final request's cost;
 * - EVM, the chain's slot — `ENQUEUE` refuses a duplicate nonce and the in-flight caps
 *   (`ipflight:<ipKey>`), and writes the record and its queue place in the same script;
 * - Solana, the same two steps: the site's slot runs `ADMIT` too (pause, and the lamports budget
 *   `sol:budget:<day>` beside the wei one), then the `{sol}` slot runs `ENQUEUE_SOLANA` (duplicate
 *   signature, the wallet's quota across sites `sol:wallet:<wallet>:<day>`, the record and the pending
 *   index); a refusal there gives the site's step back (`UNADMIT`), and a release of a request that
 *   never landed gives its lamports back in the site's slot (`UNRESERVE`).
 *
 * Amounts (wei, lamports) are counted with INCRBY/DECRBY and compared as decimal strings, never as
 * Lua numbers (doubles).
 */

import { LUA_BASICS } from '../lua.js'

/** How long a day's budget and quota counters live: 3 days, past any request admitted that day. */
export const COUNTER_TTL_SECONDS = 259_200

/**
 * The admission rules both networks share (after {@link LUA_BASICS}). Each answers for one key:
 *
 * - `paused(siteKey)`: the site's pause flag is set;
 * - `duplicate_of(key, field)`: the id already holding this nonce (hash `key`, field `field`) or
 *   this signature (string `key`, no field), or false;
 * - `quota_full(key, limit)`: the counter reached its limit;
 * - `count_quota(key, ttl)`: counts one more, the window starting with the first;
 * - `reserve(key, amount, limit)`: adds `amount` to the budget counter unless that takes it over
 *   `limit` (then nothing changes but its expiry): true when reserved;
 * - `unreserve(key, amount)`: gives a reservation back.
 */
const ADMISSION_RULES = `
local function paused(siteKey)
  return redis.call('HGET', siteKey, 'paused') == '1'
end
local function duplicate_of(key, field)
  if field then return redis.call('HGET', key, field) end
  return redis.call('GET', key)
end
local function quota_full(key, limit)
  return tonumber(redis.call('GET', key) or '0') >= tonumber(limit)
end
local function count_quota(key, ttl)
  redis.call('INCR', key)
  if redis.call('TTL', key) < 0 then redis.call('EXPIRE', key, ttl) end
end
local function reserve(key, amount, limit)
  redis.call('INCRBY', key, amount)
  -- a refused reservation too leaves the counter expiring
  redis.call('EXPIRE', key, ${COUNTER_TTL_SECONDS})
  if greater(redis.call('GET', key), limit) then
    redis.call('DECRBY', key, amount)
    return false
  end
  return true
end
local function unreserve(key, amount)
  redis.call('DECRBY', key, amount)
end
`

/**
 * Site slot, both networks (Solana: no quota, its budget `sol:budget:<day>`). KEYS: site, quota
 * (unused when ARGV[2] is ''), budget (unused when ARGV[5] is '').
 * ARGV: base, quotaOn, quotaLimit, quotaTtl, budgetOn, budgetLimit, amount → 'OK' | 'PAUSED' | 'QUOTA' | 'BUDGET'
 */
export const ADMIT = `${LUA_BASICS}${ADMISSION_RULES}
local quotaOn, quotaLimit, quotaTtl = ARGV[2], ARGV[3], ARGV[4]
local budgetOn, limit, amount = ARGV[5], ARGV[6], ARGV[7]
if paused(KEYS[1]) then return 'PAUSED' end
if quotaOn ~= '' and quota_full(KEYS[2], quotaLimit) then return 'QUOTA' end
if budgetOn ~= '' and not reserve(KEYS[3], amount, limit) then return 'BUDGET' end
if quotaOn ~= '' then count_quota(KEYS[2], quotaTtl) end
return 'OK'
`

/** Site slot: undoes an `ADMIT` whose request was not stored. KEYS: quota, budget. ARGV: base, quotaOn, budgetOn, amount */
export const UNADMIT = `${LUA_BASICS}${ADMISSION_RULES}
if ARGV[2] ~= '' then redis.call('DECR', KEYS[1]) end
if ARGV[3] ~= '' then unreserve(KEYS[2], ARGV[4]) end
return 'OK'
`

/**
 * Chain slot. KEYS: req, nonces, ready, seq, ipflight:<ipKey> (unused when ipKey is '').
 * ARGV: base, id, nonce, budgetDay ('' = none), amount, maxPerSender ('' = none), ipKey ('' = none),
 * maxPerIp ('' = none), fields… → {'OK', record} | {'EXISTS'} | {'DUPLICATE'} | {'SENDER_LIMIT'} | {'IP_LIMIT'}
 */
export const ENQUEUE = `${LUA_BASICS}${ADMISSION_RULES}
local id, nonce, day, amount = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local maxSender, ipKey, maxIp = ARGV[6], ARGV[7], ARGV[8]
local reqKey, noncesKey, ipFlightKey = KEYS[1], KEYS[2], KEYS[5]
if redis.call('EXISTS', reqKey) == 1 then return {'EXISTS'} end
if duplicate_of(noncesKey, nonce) then return {'DUPLICATE'} end
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

/** Site slot. KEYS: site, budget, spent, sol:budget → { paused, used, spent, lamports } */
export const SITE_STATE = `
return {
  redis.call('HGET', KEYS[1], 'paused') or '0',
  redis.call('GET', KEYS[2]) or '0',
  redis.call('GET', KEYS[3]) or '0',
  redis.call('GET', KEYS[4]) or '0',
}
`

/** Site slot. KEYS: site. ARGV: base, paused ('1' or '0') */
export const SET_PAUSED = `
redis.call('HSET', KEYS[1], 'paused', ARGV[2])
return 'OK'
`

/**
 * Site slot: gives back a reservation of a request that was stored but never spent it (a Solana
 * transaction known never to have landed). KEYS: budget. ARGV: base, amount → 1 given back, 0 not.
 * A counter gone (its day long past) has nothing to give back: decrementing it would start a
 * negative counter without an expiry.
 */
export const UNRESERVE = `${LUA_BASICS}${ADMISSION_RULES}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
unreserve(KEYS[1], ARGV[2])
return 1
`

/**
 * Solana, `{sol}` slot, after the site's `ADMIT` (pause, lamports budget) said OK. KEYS: req,
 * sig (the replay guard), wallet (the wallet's requests that day, across sites), pending.
 * ARGV: base, id, day, walletLimit, counterTtlSeconds, fields… → {'OK', record} | {'DUPLICATE', existingId} |
 * {'QUOTA'} | {'EXISTS'}; on any refusal the caller gives the site's step back (`UNADMIT`).
 */
export const ENQUEUE_SOLANA = `${LUA_BASICS}${ADMISSION_RULES}
local id, day, walletLimit, ttl = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local reqKey, sigKey, walletKey, pendingKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
if redis.call('EXISTS', reqKey) == 1 then return {'EXISTS'} end
local existing = duplicate_of(sigKey)
if existing then return {'DUPLICATE', existing} end
if quota_full(walletKey, walletLimit) then return {'QUOTA'} end
count_quota(walletKey, ttl)
-- no expiry while the request is pending: the update that makes it final sets one
redis.call('SET', sigKey, id)
local now = now_ms()
local fields = {}
for i = 6, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', reqKey, unpack(fields))
-- the day whose budget holds the reservation, and that it is held in the site's slot, for release
redis.call('HSET', reqKey, 'status', 'queued', 'createdAt', now, 'updatedAt', now, 'v', 1, 'day', day, 'budgetIn', 'site')
redis.call('SADD', pendingKey, id)
return {'OK', redis.call('HGETALL', reqKey)}
`

/**
 * Lua scripts of the Redis-backed `SolanaStore` (the `redis`, `redis-cluster` and `upstash` adapters
 * alike). As in `../store/lua.ts`: every multi-key change is one script, each declares the keys
 * it knows up front through KEYS, and every key shares the `{sol}` hash tag of the prefix (ARGV[1],
 * `{prefix}{sol}:`) so each script stays in one slot; lamports are handled only by Redis' INCRBY/DECRBY and compared as
 * decimal strings, never as Lua numbers (doubles).
 *
 * Admission lives with the EVM one in `../store/admission/scripts.ts`, in the same two steps: the
 * site's slot (`ADMIT`: pause, lamports budget), then the `{sol}` slot (`ENQUEUE_SOLANA`: replay
 * guard, wallet quota, record), so a paused site sponsors nothing on either network.
 *
 * Keys, under `{prefix}{sol}:`: `sol:req:<id>` hash (the record; `v` counts its changes, `day` the
 * day of its reservation, `budgetIn` = `site` where it is held), `sol:sig:<signature>` → id (the
 * replay guard), `sol:pending` set (ids of non-final records), `sol:wallet:<wallet>:<day>` (requests
 * admitted, across sites). A site's lamports reserved are `{prefix}{s<siteKey>}:sol:budget:<day>`.
 */

import { LUA_BASICS } from '../store/lua.js'

const COMMON = LUA_BASICS

/**
 * ARGV: p, id, status, slot ('' = not given), errorCode, errorMessage, retentionMs, guardMs
 * → {'OK', record} | {'FINAL', record} (already final: nothing changed) | {'MISSING'}
 */
export const UPDATE = `${COMMON}
local id, status, slot, code, message = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local retention, guard = ARGV[7], ARGV[8]
local reqKey = p .. 'sol:req:' .. id
local r = redis.call('HMGET', reqKey, 'status', 'signature')
if not r[1] then return {'MISSING'} end
-- the first final status wins: a late update never rewrites an outcome
if is_final(r[1]) then return {'FINAL', redis.call('HGETALL', reqKey)} end
redis.call('HSET', reqKey, 'status', status, 'updatedAt', now_ms())
redis.call('HINCRBY', reqKey, 'v', 1)
if slot ~= '' then redis.call('HSET', reqKey, 'slot', slot) end
if code ~= '' then redis.call('HSET', reqKey, 'errorCode', code, 'errorMessage', message) end
if is_final(status) then
  redis.call('SREM', p .. 'sol:pending', id)
  -- only history now: the record goes after the retention time, its replay guard no sooner
  redis.call('PEXPIRE', reqKey, retention)
  local sigKey = p .. 'sol:sig:' .. r[2]
  if redis.call('GET', sigKey) == id then redis.call('PEXPIRE', sigKey, guard) end
end
return {'OK', redis.call('HGETALL', reqKey)}
`

/**
 * KEYS: req. ARGV: p, id → {1, siteKey, day, lamports} when the reservation is to be given back (in
 * the site's slot, `UNRESERVE`), {1} when it was held where nothing reads it any more (a record
 * admitted before budgets moved to the site's slot), else {0}. Only a failed or rejected request
 * (one that may still land is never released), once: the `released` field marks it.
 */
export const RELEASE = `${COMMON}
local reqKey = KEYS[1]
local r = redis.call('HMGET', reqKey, 'status', 'siteKey', 'day', 'lamports', 'released', 'budgetIn')
if not r[1] or not r[3] or r[5] then return {0} end
if r[1] ~= 'failed' and r[1] ~= 'rejected' then return {0} end
redis.call('HSET', reqKey, 'released', '1')
if r[6] ~= 'site' then return {1} end
return {1, r[2], r[3], r[4]}
`

/** ARGV: p, id */
export const GET = `
return redis.call('HGETALL', ARGV[1] .. 'sol:req:' .. ARGV[2])
`

/** ARGV: p, signature → id or '' */
export const FIND = `
return redis.call('GET', ARGV[1] .. 'sol:sig:' .. ARGV[2]) or ''
`

/** ARGV: p → the non-final records */
export const PENDING = `
local p = ARGV[1]
local out = {}
for _, id in ipairs(redis.call('SMEMBERS', p .. 'sol:pending')) do
  local record = redis.call('HGETALL', p .. 'sol:req:' .. id)
  if #record == 0 then
    redis.call('SREM', p .. 'sol:pending', id)
  else
    out[#out + 1] = record
  end
end
return out
`

/** ARGV: p, ids… → for each id its change counter `v` ('' when it is gone) */
export const VERSIONS = `
local out = {}
for i = 2, #ARGV do
  out[#out + 1] = redis.call('HGET', ARGV[1] .. 'sol:req:' .. ARGV[i], 'v') or ''
end
return out
`

/** KEYS: a counter (a site's lamports reserved, a wallet's requests) → its value, '0' when unset. */
export const COUNTER = `
return redis.call('GET', KEYS[1]) or '0'
`

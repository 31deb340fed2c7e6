/**
 * Lua scripts of the Redis-backed `SolanaStore` (the `redis`, `redis-cluster` and `upstash` adapters
 * alike). As in `../store/lua.ts`: every multi-key change is one script, each declares the keys
 * it knows up front through KEYS, and every key shares the `{sol}` hash tag of the prefix (ARGV[1],
 * `{prefix}{sol}:`) so each script stays in one slot; lamports are handled only by Redis' INCRBY/DECRBY and compared as
 * decimal strings, never as Lua numbers (doubles).
 *
 * Admission (`ADMIT_SOLANA`) lives with the EVM one in `../store/admission/scripts.ts`, on the same
 * rules (duplicates, budget, quota).
 *
 * Keys, under `{prefix}{sol}:`: `sol:req:<id>` hash (the record; `v` counts its changes),
 * `sol:sig:<signature>` → id (the replay guard), `sol:pending` set (ids of non-final records),
 * `sol:budget:<site>:<day>` (lamports reserved), `sol:wallet:<wallet>:<day>` (requests admitted).
 */

import { ADMISSION_RULES } from '../store/admission/scripts.js'
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
 * ARGV: p, id → 1 when the reservation was given back, else 0. Only a failed or rejected request
 * (one that may still land is never released), once: the `released` field marks it. The budget key
 * comes from the record (site and day never change), in the `{sol}` slot like every other key.
 */
export const RELEASE = `${COMMON}${ADMISSION_RULES}
local reqKey = p .. 'sol:req:' .. ARGV[2]
local r = redis.call('HMGET', reqKey, 'status', 'siteKey', 'day', 'lamports', 'released')
if not r[1] or not r[3] or r[5] then return 0 end
if r[1] ~= 'failed' and r[1] ~= 'rejected' then return 0 end
redis.call('HSET', reqKey, 'released', '1')
local bk = p .. 'sol:budget:' .. r[2] .. ':' .. r[3]
-- an expired counter (a day long past) has nothing left to give back
if redis.call('EXISTS', bk) == 1 then unreserve(bk, r[4]) end
return 1
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

/** ARGV: p, site, wallet, day → { siteLamports, walletRequests } */
export const USAGE = `
local p, site, wallet, day = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
return {
  redis.call('GET', p .. 'sol:budget:' .. site .. ':' .. day) or '0',
  redis.call('GET', p .. 'sol:wallet:' .. wallet .. ':' .. day) or '0',
}
`

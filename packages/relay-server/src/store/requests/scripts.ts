/**
 * Lua of the request records (chain slot, base `{prefix}{c<chainId>}:`): `req:<id>` (record hash),
 * `nonces:<sender>` (nonce → id of the sender's pending requests). A status change moves the
 * request in its chain's queue and, when it is final, gives back what admission counted (nonce,
 * in-flight count; the site's slot books the budget with admission's `SETTLE`).
 */

import { queueHelpers } from '../queue/scripts.js'

/**
 * Chain slot. KEYS: req, ready, claimed, busy.
 * ARGV: base, id, status, txHash, blockNumber, errorCode, errorMessage, spentWei ('' = not given), retentionMs
 * → {'OK', record, settle} | {'FINAL', record} | {'MISSING'}; `settle` is what the site's slot must
 * still book when this update made the request final: {reservedWei or '', budgetDay or '', spentWei or ''}.
 */
export const UPDATE = `${queueHelpers('KEYS[2]', 'KEYS[3]', 'KEYS[4]')}
local id, status, txHash, blockNumber, code, message, spent = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local retention = ARGV[9]
local reqKey = KEYS[1]
local r = redis.call('HMGET', reqKey, 'status', 'sender', 'nonce', 'reservedWei', 'budgetDay')
if not r[1] then return {'MISSING'} end
if is_final(r[1]) then return {'FINAL', redis.call('HGETALL', reqKey)} end
local sender = r[2]
redis.call('HSET', reqKey, 'status', status, 'updatedAt', now_ms())
if txHash ~= '' then redis.call('HSET', reqKey, 'txHash', txHash) end
if blockNumber ~= '' then redis.call('HSET', reqKey, 'blockNumber', blockNumber) end
if code ~= '' then redis.call('HSET', reqKey, 'errorCode', code, 'errorMessage', message) end
if status ~= 'queued' then
  redis.call('ZREM', readyKey, id)
  redis.call('ZREM', claimedKey, id)
end
if status == 'submitted' then busy(reqKey, sender) end
if status == 'queued' and r[1] == 'submitted' then
  -- back to the queue (its transaction can never run): in its original place
  unbusy(reqKey, sender)
  redis.call('HDEL', reqKey, 'claimer')
  redis.call('ZADD', readyKey, redis.call('HGET', reqKey, 'seq'), id)
end
local settle = {'', '', ''}
if is_final(status) then
  unbusy(reqKey, sender)
  local noncesKey = p .. 'nonces:' .. sender
  if redis.call('HGET', noncesKey, r[3]) == id then redis.call('HDEL', noncesKey, r[3]) end
  local ipKey = redis.call('HGET', reqKey, 'ipKey')
  if ipKey then
    local ipFlightKey = p .. 'ipflight:' .. ipKey
    if redis.call('DECR', ipFlightKey) <= 0 then redis.call('DEL', ipFlightKey) end
  end
  if r[4] then
    if spent == '' then spent = '0' end
    if greater(spent, r[4]) then spent = r[4] end
    redis.call('HSET', reqKey, 'spentWei', spent)
    settle = {r[4], r[5], spent}
  elseif spent ~= '' then
    redis.call('HSET', reqKey, 'spentWei', spent)
    settle = {'', '', spent}
  end
  -- a final record is only history now: it may go after the retention time
  redis.call('PEXPIRE', reqKey, retention)
end
return {'OK', redis.call('HGETALL', reqKey), settle}
`

/** KEYS: req */
export const GET = `
return redis.call('HGETALL', KEYS[1])
`

/** Chain slot. KEYS: the first id's record. ARGV: base, ids… → for each id { status, updatedAt } */
export const STATUSES = `
local out = {}
for i = 2, #ARGV do
  local r = redis.call('HMGET', ARGV[1] .. 'req:' .. ARGV[i], 'status', 'updatedAt')
  out[#out + 1] = { r[1] or '', r[2] or '' }
end
return out
`

/** KEYS: nonces */
export const PENDING_NONCES = `
return redis.call('HKEYS', KEYS[1])
`

/** Chain slot. KEYS: nonces:<sender> → flat [nonce, id, …] of the sender's pending requests. */
export const PENDING_IDS = `
return redis.call('HGETALL', KEYS[1])
`

/**
 * Lua of the relayer journals (chain slot): `journal:<relayer>` (nonce → entry JSON), written only
 * under the key's lease (`lease:<name>`, same slot). Recording a new batch also moves its requests
 * to `submitted` in the same script: a journaled transaction and its requests never disagree.
 */

import { queueHelpers } from '../queue/scripts.js'

/**
 * Chain slot. KEYS: lease, journal, ready, claimed, busy.
 * ARGV: base, owner, nonce, entryJson, txHash, claimOwner, ids…
 */
export const RECORD = `${queueHelpers('KEYS[3]', 'KEYS[4]', 'KEYS[5]')}
local owner, nonce, entry, hash, claimOwner = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
if redis.call('GET', KEYS[1]) ~= owner then return {'LEASE'} end
local jk = KEYS[2]
local exists = redis.call('HEXISTS', jk, nonce) == 1
if not exists then
  local lost = {}
  for i = 7, #ARGV do
    local id = ARGV[i]
    local r = redis.call('HMGET', p .. 'req:' .. id, 'status', 'claimer')
    if r[1] ~= 'queued' or r[2] ~= claimOwner or not redis.call('ZSCORE', claimedKey, id) then
      lost[#lost + 1] = id
    end
  end
  if #lost > 0 then return {'CLAIM', lost} end
end
redis.call('HSET', jk, nonce, entry)
local now = now_ms()
local changed = {}
for i = 7, #ARGV do
  local id = ARGV[i]
  local reqKey = p .. 'req:' .. id
  local s = redis.call('HGET', reqKey, 'status')
  if (not exists and s == 'queued') or (exists and s == 'submitted') then
    redis.call('HSET', reqKey, 'status', 'submitted', 'txHash', hash, 'updatedAt', now)
    busy(reqKey, redis.call('HGET', reqKey, 'sender'))
    redis.call('ZREM', readyKey, id)
    redis.call('ZREM', claimedKey, id)
    changed[#changed + 1] = redis.call('HGETALL', reqKey)
  end
end
return {'OK', changed}
`

/** Chain slot. KEYS: lease, journal. ARGV: base, owner, nonce */
export const REMOVE_TX = `
if redis.call('GET', KEYS[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[2], ARGV[3])
return 1
`

/** KEYS: journal */
export const JOURNAL = `
return redis.call('HVALS', KEYS[1])
`

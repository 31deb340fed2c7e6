/**
 * Lua of the chains' queues (chain slot, base `{prefix}{c<chainId>}:`): `ready` and `claimed`
 * (sorted sets of ids), `busy` (sender → batches in flight), beside the records (`req:<id>`).
 */

import { LUA_BASICS } from '../lua.js'

/** Chain-slot helpers: `busy` is KEYS[busyIndex] of the script that includes them. */
export const queueHelpers = (readyKey: string, claimedKey: string, busyKey: string) => `${LUA_BASICS}
local readyKey, claimedKey, busyKey = ${readyKey}, ${claimedKey}, ${busyKey}
local function unbusy(reqKey, sender)
  if redis.call('HGET', reqKey, 'busy') == '1' then
    redis.call('HSET', reqKey, 'busy', '0')
    redis.call('HINCRBY', busyKey, sender, -1)
  end
end
local function busy(reqKey, sender)
  if redis.call('HGET', reqKey, 'busy') ~= '1' then
    redis.call('HSET', reqKey, 'busy', '1')
    redis.call('HINCRBY', busyKey, sender, 1)
  end
end
local function requeue(id)
  local reqKey = p .. 'req:' .. id
  local r = redis.call('HMGET', reqKey, 'status', 'seq')
  if not r[1] then return end
  redis.call('ZREM', claimedKey, id)
  redis.call('HDEL', reqKey, 'claimer')
  if r[1] == 'queued' then redis.call('ZADD', readyKey, r[2], id) end
end
`

/** Chain slot. KEYS: ready, claimed, busy. ARGV: base, max, leaseMs, owner, scanLimit */
export const CLAIM = `${queueHelpers('KEYS[1]', 'KEYS[2]', 'KEYS[3]')}
local max, lease, owner, scan = tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
local now = now_ms()
for _, id in ipairs(redis.call('ZRANGEBYSCORE', claimedKey, '-inf', now)) do requeue(id) end
local out = {}
for _, id in ipairs(redis.call('ZRANGE', readyKey, 0, scan - 1)) do
  if #out >= max then break end
  local reqKey = p .. 'req:' .. id
  local sender = redis.call('HGET', reqKey, 'sender')
  if not sender then
    redis.call('ZREM', readyKey, id)
  elseif tonumber(redis.call('HGET', busyKey, sender) or '0') <= 0 then
    -- a sender with a transaction in flight waits for it: its nonces must run in order
    redis.call('ZREM', readyKey, id)
    redis.call('ZADD', claimedKey, now + lease, id)
    redis.call('HSET', reqKey, 'claimer', owner)
    out[#out + 1] = redis.call('HGETALL', reqKey)
  end
end
return out
`

/** Chain slot. KEYS: ready, claimed, busy. ARGV: base, ids… */
export const RELEASE = `${queueHelpers('KEYS[1]', 'KEYS[2]', 'KEYS[3]')}
for i = 2, #ARGV do
  local id = ARGV[i]
  if redis.call('HGET', p .. 'req:' .. id, 'status') == 'queued' and redis.call('ZSCORE', claimedKey, id) then
    requeue(id)
  end
end
return 'OK'
`

/** Chain slot. KEYS: ready, claimed. ARGV: base → { depth, oldestAt or '' } */
export const QUEUE_STATS = `${LUA_BASICS}
local readyKey, claimedKey = KEYS[1], KEYS[2]
local now = now_ms()
local depth = redis.call('ZCARD', readyKey) + redis.call('ZCOUNT', claimedKey, '-inf', now)
local oldest = ''
local first = redis.call('ZRANGE', readyKey, 0, 0)
if first[1] then oldest = redis.call('HGET', p .. 'req:' .. first[1], 'createdAt') or '' end
local expired = redis.call('ZRANGEBYSCORE', claimedKey, '-inf', now, 'LIMIT', 0, 1)
if expired[1] then
  local at = redis.call('HGET', p .. 'req:' .. expired[1], 'createdAt') or ''
  if oldest == '' or (at ~= '' and tonumber(at) < tonumber(oldest)) then oldest = at end
end
return { depth, oldest }
`

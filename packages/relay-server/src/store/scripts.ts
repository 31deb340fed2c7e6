/**
 * Lua scripts of the Redis and Upstash adapters. Every multi-key change runs as one script, so it
 * is atomic on the server whichever client sends it. Keys are built inside the scripts from a
 * prefix (ARGV[1]): the adapters need a single Redis (not a cluster).
 *
 * Wei amounts are handled only by Redis' own INCRBY/DECRBY and compared as decimal strings:
 * Lua numbers are doubles and would round anything above 2^53.
 */

/** What every script starts with: the prefix, the server's clock, decimal-string compare, finality. */
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

const COMMON = `${LUA_BASICS}local function unbusy(reqKey, chain, sender)
  if redis.call('HGET', reqKey, 'busy') == '1' then
    redis.call('HSET', reqKey, 'busy', '0')
    redis.call('HINCRBY', p .. 'busy:' .. chain, sender, -1)
  end
end
local function busy(reqKey, chain, sender)
  if redis.call('HGET', reqKey, 'busy') ~= '1' then
    redis.call('HSET', reqKey, 'busy', '1')
    redis.call('HINCRBY', p .. 'busy:' .. chain, sender, 1)
  end
end
local function requeue(id)
  local reqKey = p .. 'req:' .. id
  local r = redis.call('HMGET', reqKey, 'status', 'seq', 'chainId', 'sender')
  if not r[1] then return end
  redis.call('ZREM', p .. 'claimed:' .. r[3], id)
  redis.call('HDEL', reqKey, 'claimer')
  if r[1] == 'queued' then redis.call('ZADD', p .. 'ready:' .. r[3], r[2], id) end
end
`

/** ARGV: p, id, chain, sender, nonce, site, quotaKey, quotaLimit, quotaTtl, budgetDay, budgetLimit, amount, fields… */
export const ENQUEUE = `${COMMON}
local id, chain, sender, nonce, site = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local quotaKey, quotaLimit, quotaTtl = ARGV[7], tonumber(ARGV[8]), ARGV[9]
local day, limit, amount = ARGV[10], ARGV[11], ARGV[12]
local reqKey = p .. 'req:' .. id
if redis.call('EXISTS', reqKey) == 1 then return {'EXISTS'} end
if redis.call('HGET', p .. 'site:' .. site, 'paused') == '1' then return {'PAUSED'} end
local noncesKey = p .. 'nonces:' .. chain .. ':' .. sender
if redis.call('HEXISTS', noncesKey, nonce) == 1 then return {'DUPLICATE'} end
local qk = p .. 'quota:' .. quotaKey
if quotaKey ~= '' and tonumber(redis.call('GET', qk) or '0') >= quotaLimit then return {'QUOTA'} end
if day ~= '' then
  local bk = p .. 'budget:' .. site .. ':' .. day
  redis.call('INCRBY', bk, amount)
  if greater(redis.call('GET', bk), limit) then
    redis.call('DECRBY', bk, amount)
    return {'BUDGET'}
  end
  redis.call('EXPIRE', bk, 259200)
end
if quotaKey ~= '' then
  redis.call('INCR', qk)
  if redis.call('TTL', qk) < 0 then redis.call('EXPIRE', qk, quotaTtl) end
end
local now = now_ms()
local seq = redis.call('INCR', p .. 'seq')
local fields = {}
for i = 13, #ARGV do fields[#fields + 1] = ARGV[i] end
redis.call('HSET', reqKey, unpack(fields))
redis.call('HSET', reqKey, 'status', 'queued', 'createdAt', now, 'updatedAt', now, 'seq', seq, 'busy', '0')
if day ~= '' then redis.call('HSET', reqKey, 'reservedWei', amount, 'budgetDay', day) end
redis.call('HSET', noncesKey, nonce, id)
redis.call('ZADD', p .. 'ready:' .. chain, seq, id)
return {'OK', redis.call('HGETALL', reqKey)}
`

/** ARGV: p, chain, max, leaseMs, owner, scanLimit */
export const CLAIM = `${COMMON}
local chain, max, lease, owner, scan = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5], tonumber(ARGV[6])
local now = now_ms()
local readyKey, claimedKey, busyKey = p .. 'ready:' .. chain, p .. 'claimed:' .. chain, p .. 'busy:' .. chain
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

/** ARGV: p, ids… */
export const RELEASE = `${COMMON}
for i = 2, #ARGV do
  local id = ARGV[i]
  local r = redis.call('HMGET', p .. 'req:' .. id, 'status', 'chainId')
  if r[1] == 'queued' and redis.call('ZSCORE', p .. 'claimed:' .. r[2], id) then requeue(id) end
end
return 'OK'
`

/** ARGV: p, id, status, txHash, blockNumber, errorCode, errorMessage, spentWei ('' = not given), retentionMs, today */
export const UPDATE = `${COMMON}
local id, status, txHash, blockNumber, code, message, spent = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
local retention, today = ARGV[9], ARGV[10]
local reqKey = p .. 'req:' .. id
local r = redis.call('HMGET', reqKey, 'status', 'chainId', 'sender', 'nonce', 'reservedWei', 'budgetDay', 'siteKey')
if not r[1] then return {'MISSING'} end
if is_final(r[1]) then return {'FINAL', redis.call('HGETALL', reqKey)} end
local chain, sender = r[2], r[3]
redis.call('HSET', reqKey, 'status', status, 'updatedAt', now_ms())
if txHash ~= '' then redis.call('HSET', reqKey, 'txHash', txHash) end
if blockNumber ~= '' then redis.call('HSET', reqKey, 'blockNumber', blockNumber) end
if code ~= '' then redis.call('HSET', reqKey, 'errorCode', code, 'errorMessage', message) end
if status ~= 'queued' then
  redis.call('ZREM', p .. 'ready:' .. chain, id)
  redis.call('ZREM', p .. 'claimed:' .. chain, id)
end
if status == 'submitted' then busy(reqKey, chain, sender) end
if status == 'queued' and r[1] == 'submitted' then
  -- back to the queue (its transaction can never run): in its original place
  unbusy(reqKey, chain, sender)
  redis.call('HDEL', reqKey, 'claimer')
  redis.call('ZADD', p .. 'ready:' .. chain, redis.call('HGET', reqKey, 'seq'), id)
end
if is_final(status) then
  unbusy(reqKey, chain, sender)
  local noncesKey = p .. 'nonces:' .. chain .. ':' .. sender
  if redis.call('HGET', noncesKey, r[4]) == id then redis.call('HDEL', noncesKey, r[4]) end
  if r[5] then
    if spent == '' then spent = '0' end
    if greater(spent, r[5]) then spent = r[5] end
    local bk = p .. 'budget:' .. r[7] .. ':' .. r[6]
    redis.call('DECRBY', bk, r[5])
    redis.call('INCRBY', bk, spent)
    local sk = p .. 'spent:' .. r[7] .. ':' .. r[6]
    redis.call('INCRBY', sk, spent)
    redis.call('EXPIRE', sk, 259200)
    redis.call('HSET', reqKey, 'spentWei', spent)
  elseif spent ~= '' then
    -- no budget to settle against: the gas is still the site's, counted on the day it is paid
    local sk = p .. 'spent:' .. r[7] .. ':' .. today
    redis.call('INCRBY', sk, spent)
    redis.call('EXPIRE', sk, 259200)
    redis.call('HSET', reqKey, 'spentWei', spent)
  end
  -- a final record is only history now: it may go after the retention time
  redis.call('PEXPIRE', reqKey, retention)
end
return {'OK', redis.call('HGETALL', reqKey)}
`

/** ARGV: p, leaseName, owner, chain, relayer, nonce, entryJson, txHash, claimOwner, ids… */
export const RECORD = `${COMMON}
local lease, owner, chain, relayer, nonce, entry, hash, claimOwner = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]
if redis.call('GET', p .. 'lease:' .. lease) ~= owner then return {'LEASE'} end
local jk = p .. 'journal:' .. chain .. ':' .. relayer
local exists = redis.call('HEXISTS', jk, nonce) == 1
if not exists then
  local lost = {}
  for i = 10, #ARGV do
    local id = ARGV[i]
    local r = redis.call('HMGET', p .. 'req:' .. id, 'status', 'claimer')
    if r[1] ~= 'queued' or r[2] ~= claimOwner or not redis.call('ZSCORE', p .. 'claimed:' .. chain, id) then
      lost[#lost + 1] = id
    end
  end
  if #lost > 0 then return {'CLAIM', lost} end
end
redis.call('HSET', jk, nonce, entry)
local now = now_ms()
local changed = {}
for i = 10, #ARGV do
  local id = ARGV[i]
  local reqKey = p .. 'req:' .. id
  local s = redis.call('HGET', reqKey, 'status')
  if (not exists and s == 'queued') or (exists and s == 'submitted') then
    redis.call('HSET', reqKey, 'status', 'submitted', 'txHash', hash, 'updatedAt', now)
    busy(reqKey, chain, redis.call('HGET', reqKey, 'sender'))
    redis.call('ZREM', p .. 'ready:' .. chain, id)
    redis.call('ZREM', p .. 'claimed:' .. chain, id)
    changed[#changed + 1] = redis.call('HGETALL', reqKey)
  end
end
return {'OK', changed}
`

/** ARGV: p, leaseName, owner, chain, relayer, nonce */
export const REMOVE_TX = `${COMMON}
if redis.call('GET', p .. 'lease:' .. ARGV[2]) ~= ARGV[3] then return 0 end
redis.call('HDEL', p .. 'journal:' .. ARGV[4] .. ':' .. ARGV[5], ARGV[6])
return 1
`

/** ARGV: p, chain, relayer */
export const JOURNAL = `
return redis.call('HVALS', ARGV[1] .. 'journal:' .. ARGV[2] .. ':' .. ARGV[3])
`

/** ARGV: p, name, owner, ttlMs */
export const ACQUIRE = `
local k = ARGV[1] .. 'lease:' .. ARGV[2]
local cur = redis.call('GET', k)
if cur == false or cur == ARGV[3] then
  redis.call('SET', k, ARGV[3], 'PX', ARGV[4])
  return 1
end
return 0
`

/** ARGV: p, name, owner, ttlMs */
export const RENEW = `
local k = ARGV[1] .. 'lease:' .. ARGV[2]
if redis.call('GET', k) == ARGV[3] then
  redis.call('PEXPIRE', k, ARGV[4])
  return 1
end
return 0
`

/** ARGV: p, name, owner */
export const RELEASE_LEASE = `
local k = ARGV[1] .. 'lease:' .. ARGV[2]
if redis.call('GET', k) == ARGV[3] then redis.call('DEL', k) end
return 0
`

/** ARGV: p, id */
export const GET = `
return redis.call('HGETALL', ARGV[1] .. 'req:' .. ARGV[2])
`

/** ARGV: p, ids… → for each id { status, updatedAt } */
export const STATUSES = `
local out = {}
for i = 2, #ARGV do
  local r = redis.call('HMGET', ARGV[1] .. 'req:' .. ARGV[i], 'status', 'updatedAt')
  out[#out + 1] = { r[1] or '', r[2] or '' }
end
return out
`

/** ARGV: p, chain, sender */
export const PENDING_NONCES = `
return redis.call('HKEYS', ARGV[1] .. 'nonces:' .. ARGV[2] .. ':' .. ARGV[3])
`

/** ARGV: p, chain → { depth, oldestAt or '' } */
export const QUEUE_STATS = `${COMMON}
local chain = ARGV[2]
local now = now_ms()
local readyKey, claimedKey = p .. 'ready:' .. chain, p .. 'claimed:' .. chain
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

/** ARGV: p, site, day → { paused, used, spent } */
export const SITE_STATE = `
local p, site, day = ARGV[1], ARGV[2], ARGV[3]
return {
  redis.call('HGET', p .. 'site:' .. site, 'paused') or '0',
  redis.call('GET', p .. 'budget:' .. site .. ':' .. day) or '0',
  redis.call('GET', p .. 'spent:' .. site .. ':' .. day) or '0',
}
`

/** ARGV: p, site, paused ('1' or '0') */
export const SET_PAUSED = `
redis.call('HSET', ARGV[1] .. 'site:' .. ARGV[2], 'paused', ARGV[3])
return 'OK'
`

/** ARGV: p, name */
export const LEASE_HOLDER = `
return redis.call('GET', ARGV[1] .. 'lease:' .. ARGV[2]) or ''
`

/**
 * Lua scripts of the Redis, Redis Cluster and Upstash adapters. Every multi-key change runs as one
 * script, so it is atomic on the server whichever client sends it, and every script stays in one
 * hash slot: it declares its keys through KEYS, and the keys it can only find while running (the
 * records of the ids a queue holds) are built from ARGV[1], the same hash-tagged base as the
 * declared ones (see the README, "Key layout"). Two slots hold an EVM request's state:
 *
 * - a chain's slot, base `{prefix}{c<chainId>}:` — `req:<id>` (record hash), `nonces:<sender>`
 *   (nonce → id of pending requests), `ready`/`claimed` (sorted sets), `busy` (sender → batches in
 *   flight), `seq`, `journal:<relayer>`, `lease:<name>` (leases named after the chain),
 *   `ipflight:<ipKey>` (a client address's requests not final yet);
 * - a site's slot, base `{prefix}{s<siteKey>}:` — `site` (paused), `quota:<key>`, `budget:<day>`,
 *   `spent:<day>`.
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

/** Chain-slot helpers: `busy` is KEYS[busyIndex] of the script that includes them. */
const queueHelpers = (readyKey: string, claimedKey: string, busyKey: string) => `${LUA_BASICS}
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

/** KEYS: lease. ARGV: base, owner, ttlMs */
export const ACQUIRE = `
local cur = redis.call('GET', KEYS[1])
if cur == false or cur == ARGV[2] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0
`

/** KEYS: lease. ARGV: base, owner, ttlMs */
export const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[2] then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return 1
end
return 0
`

/** KEYS: lease. ARGV: base, owner */
export const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[2] then redis.call('DEL', KEYS[1]) end
return 0
`

/** KEYS: lease */
export const LEASE_HOLDER = `
return redis.call('GET', KEYS[1]) or ''
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

/**
 * The health probe: a script round trip that touches a hash-tagged key, as every relay script
 * does. KEYS: probe. ARGV: base, token → token
 */
export const PROBE = `
redis.call('SET', KEYS[1], ARGV[2], 'PX', 10000)
return redis.call('GET', KEYS[1])
`

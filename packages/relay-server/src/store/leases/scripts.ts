/** Lua of the leases: `lease:<name>` holds the owner, with the lease's time to live. */

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

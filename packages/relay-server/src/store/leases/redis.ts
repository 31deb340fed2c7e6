import type { RedisContext } from '../redisContext.js'
import * as scripts from './scripts.js'
import type { LeaseStore } from './types.js'

/** Leases on Redis: one key per lease holding its owner, with the lease's time to live. */
export function createRedisLeaseStore(ctx: RedisContext): LeaseStore {
  const { keys, run } = ctx
  return {
    async acquireLease(name, owner, ttlMs) {
      return Number(await run(scripts.ACQUIRE, [keys.lease(name)], '', owner, Math.round(ttlMs))) === 1
    },

    async renewLease(name, owner, ttlMs) {
      return Number(await run(scripts.RENEW, [keys.lease(name)], '', owner, Math.round(ttlMs))) === 1
    },

    async releaseLease(name, owner) {
      await run(scripts.RELEASE_LEASE, [keys.lease(name)], '', owner)
    },

    async leaseHolder(name) {
      const holder = String((await run(scripts.LEASE_HOLDER, [keys.lease(name)], '')) ?? '')
      return holder === '' ? undefined : holder
    },
  }
}

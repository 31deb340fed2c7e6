import type { MemoryState } from '../memoryState.js'
import type { LeaseFence, LeaseStore } from './types.js'

/** Whether `fence` is still held: what journal writes check. */
export function leaseHeld(state: MemoryState, fence: LeaseFence): boolean {
  const lease = state.leases.get(fence.name)
  return lease !== undefined && lease.owner === fence.owner && lease.until > state.now()
}

/** Leases in process memory. */
export function createMemoryLeaseStore(state: MemoryState): LeaseStore {
  const { leases } = state
  return {
    async acquireLease(name, owner, ttlMs) {
      state.assertOpen()
      const lease = leases.get(name)
      if (lease && lease.owner !== owner && lease.until > state.now()) return false
      leases.set(name, { owner, until: state.now() + ttlMs })
      return true
    },

    async renewLease(name, owner, ttlMs) {
      state.assertOpen()
      if (!leaseHeld(state, { name, owner })) return false
      leases.set(name, { owner, until: state.now() + ttlMs })
      return true
    },

    async releaseLease(name, owner) {
      if (leases.get(name)?.owner === owner) leases.delete(name)
    },

    async leaseHolder(name) {
      const lease = leases.get(name)
      return lease && lease.until > state.now() ? lease.owner : undefined
    },
  }
}

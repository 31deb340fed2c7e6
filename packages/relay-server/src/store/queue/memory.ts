import type { MemoryEntry, MemoryState } from '../memoryState.js'
import type { StoredRequest } from '../records.js'
import type { QueueStore } from './types.js'

/** Takes `entry`'s sender out of its busy count (its transaction is final or can never run). */
export function unbusy(state: MemoryState, entry: MemoryEntry): void {
  if (!entry.busy) return
  entry.busy = false
  const key = state.senderKey(entry.record.chainId, entry.record.request.from)
  state.busy.set(key, (state.busy.get(key) ?? 1) - 1)
}

/** Counts `entry`'s sender busy: its later requests wait until this one's transaction is final. */
export function markBusy(state: MemoryState, entry: MemoryEntry): void {
  if (entry.busy) return
  entry.busy = true
  const key = state.senderKey(entry.record.chainId, entry.record.request.from)
  state.busy.set(key, (state.busy.get(key) ?? 0) + 1)
}

/** The chains' queues in process memory. */
export function createMemoryQueueStore(state: MemoryState): QueueStore {
  const { entries } = state
  const reclaimExpired = (chainId: number, at: number) => {
    for (const id of state.queueOf(chainId)) {
      const entry = entries.get(id)
      if (entry?.claimedUntil !== undefined && entry.claimedUntil <= at) {
        entry.claimedUntil = undefined
        entry.claimer = undefined
      }
    }
  }
  return {
    async claimBatch(chainId, { max, leaseMs, owner }) {
      state.assertOpen()
      const at = state.now()
      reclaimExpired(chainId, at)
      const claimed: StoredRequest[] = []
      for (const id of state.queueOf(chainId)) {
        if (claimed.length >= max) break
        const entry = entries.get(id)
        if (!entry || entry.claimedUntil !== undefined) continue
        // A sender with a transaction in flight waits for it: its nonces must run in order.
        if ((state.busy.get(state.senderKey(chainId, entry.record.request.from)) ?? 0) > 0) continue
        entry.claimedUntil = at + leaseMs
        entry.claimer = owner
        claimed.push(state.copy(entry.record))
      }
      return claimed
    },

    async release(ids) {
      for (const id of ids) {
        const entry = entries.get(id)
        if (entry?.record.status !== 'queued' || entry.claimedUntil === undefined) continue
        entry.claimedUntil = undefined
        entry.claimer = undefined
      }
    },

    async queueStats(chainId) {
      const at = state.now()
      let depth = 0
      let oldestAt: number | undefined
      for (const id of state.queueOf(chainId)) {
        const entry = entries.get(id)
        if (!entry || (entry.claimedUntil !== undefined && entry.claimedUntil > at)) continue
        depth++
        oldestAt ??= entry.record.createdAt
      }
      return oldestAt === undefined ? { depth } : { depth, oldestAt }
    },
  }
}

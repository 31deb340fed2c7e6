import { settleAdmission } from '../admission/memory.js'
import type { MemoryState } from '../memoryState.js'
import { markBusy, unbusy } from '../queue/memory.js'
import type { StoredRequest } from '../records.js'
import { isFinalStatus } from '../status.js'
import type { RequestStore } from './types.js'

/** Request records in process memory. */
export function createMemoryRequestStore(state: MemoryState): RequestStore {
  const { entries, events, pendingByNonce } = state
  const store: RequestStore = {
    async get(id) {
      state.pruneFinal()
      const entry = entries.get(id)
      return entry ? state.copy(entry.record) : undefined
    },

    async update(id, update) {
      state.assertOpen()
      const entry = entries.get(id)
      if (!entry) throw new Error(`unknown request ${id}`)
      const record = entry.record
      // The first final state wins: a late or duplicate settlement never rewrites an outcome.
      if (isFinalStatus(record.status)) return state.copy(record)
      const previous = record.status
      record.status = update.status
      if (update.txHash !== undefined) record.txHash = update.txHash
      if (update.blockNumber !== undefined) record.blockNumber = update.blockNumber
      if (update.error !== undefined) record.error = { ...update.error }
      record.updatedAt = state.now()
      if (record.status !== 'queued') {
        state.queueOf(record.chainId).delete(id)
        entry.claimedUntil = undefined
      }
      if (record.status === 'queued' && previous === 'submitted') {
        // Back to the queue (its transaction can never run).
        unbusy(state, entry)
        entry.claimer = undefined
        requeueInArrivalOrder(state.queueOf(record.chainId), id, (other) => entries.get(other)?.seq ?? 0)
      }
      if (record.status === 'submitted') markBusy(state, entry)
      if (isFinalStatus(record.status)) {
        state.expiries.push({ id, at: state.now() + state.retentionMs })
        unbusy(state, entry)
        settleAdmission(state, entry, update.spentWei)
      }
      events.emit(id, state.copy(record))
      return state.copy(record)
    },

    async subscribe(id, listener) {
      const wrapped = (r: StoredRequest) => listener(state.copy(r))
      events.on(id, wrapped)
      return async () => {
        events.off(id, wrapped)
      }
    },

    async pendingCount(chainId, from) {
      return pendingByNonce.get(state.senderKey(chainId, from))?.size ?? 0
    },

    async pendingNonces(chainId, from) {
      const nonces = [...(pendingByNonce.get(state.senderKey(chainId, from))?.keys() ?? [])]
      return nonces.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    },

    async pendingRequests(chainId, from, limit) {
      const byNonce = [...(pendingByNonce.get(state.senderKey(chainId, from)) ?? [])]
      byNonce.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      const records: StoredRequest[] = []
      for (const [, id] of byNonce.slice(0, Math.max(0, limit))) {
        const entry = entries.get(id)
        if (entry && !isFinalStatus(entry.record.status)) records.push(state.copy(entry.record))
      }
      return records
    },
  }
  return store
}

/**
 * Puts `id` back at its arrival place, as the Redis queue's sorted set does (scored by `seq`): a request
 * whose transaction can never run is not sent behind newer ones, and `oldestAt` stays the oldest's.
 */
function requeueInArrivalOrder(queue: Set<string>, id: string, seqOf: (id: string) => number): void {
  const ordered = [...queue, id].sort((a, b) => seqOf(a) - seqOf(b))
  queue.clear()
  for (const each of ordered) queue.add(each)
}

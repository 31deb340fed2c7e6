import type { Address } from 'viem'
import { leaseHeld } from '../leases/memory.js'
import type { MemoryState } from '../memoryState.js'
import type { RequestStore } from '../requests/types.js'
import { isFinalStatus } from '../status.js'
import type { JournalStore } from './types.js'

/** Relayer journals in process memory; `requests` moves journaled requests to `submitted`. */
export function createMemoryJournalStore(state: MemoryState, requests: RequestStore): JournalStore {
  const journalOf = (chainId: number, relayer: Address) => {
    const key = `${chainId}:${relayer.toLowerCase()}`
    let journal = state.journals.get(key)
    if (!journal) {
      journal = new Map()
      state.journals.set(key, journal)
    }
    return journal
  }
  return {
    async recordTransaction(entry, fence, claimOwner) {
      state.assertOpen()
      if (!leaseHeld(state, fence)) return { ok: false, reason: 'lease' }
      const journal = journalOf(entry.chainId, entry.relayer)
      const isNew = !journal.has(entry.nonce)
      const hash = entry.transactions.at(-1)?.hash
      if (isNew && entry.requestIds.length > 0) {
        const lost = entry.requestIds.filter((id) => {
          const e = state.entries.get(id)
          return e?.record.status !== 'queued' || e.claimer !== claimOwner || e.claimedUntil === undefined
        })
        if (lost.length > 0) return { ok: false, reason: 'claim', ids: lost }
      }
      journal.set(entry.nonce, state.copy(entry))
      for (const id of entry.requestIds) {
        const e = state.entries.get(id)
        if (!e || isFinalStatus(e.record.status) || !hash) continue
        if (!isNew && e.record.status !== 'submitted') continue
        await requests.update(id, { status: 'submitted', txHash: hash })
      }
      return { ok: true }
    },

    async journal(chainId, relayer) {
      return [...journalOf(chainId, relayer).values()].sort((a, b) => a.nonce - b.nonce).map(state.copy)
    },

    async removeTransaction(chainId, relayer, nonce, fence) {
      if (!leaseHeld(state, fence)) return false
      journalOf(chainId, relayer).delete(nonce)
      return true
    },
  }
}

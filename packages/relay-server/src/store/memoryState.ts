import { EventEmitter } from 'node:events'
import type { Address } from 'viem'
import { AdmissionCounters } from './admission/rules.js'
import type { JournalEntry } from './journal/types.js'
import type { StoredRequest } from './records.js'
import { DEFAULT_FINAL_RETENTION_MS } from './status.js'

export interface MemoryStoreOptions {
  /** Clock in milliseconds; injectable for tests. */
  now?: () => number
  /** How long a final record stays readable (default {@link DEFAULT_FINAL_RETENTION_MS}). */
  finalRetentionMs?: number
}

export interface MemoryEntry {
  record: StoredRequest
  seq: number
  /** Lease end while claimed and still queued. */
  claimedUntil?: number
  claimer?: string
  /** Counted in its sender's busy count (submitted, not final). */
  busy: boolean
  /** Client address key counted in `ipInFlight` until final. */
  ipKey?: string
}

/**
 * The process memory the memory adapters of every concern share, as the Redis adapters share one
 * Redis: one request's record, queue place, nonce index and counters change together.
 */
export function createMemoryState(options: MemoryStoreOptions = {}) {
  const now = options.now ?? Date.now
  const retentionMs = options.finalRetentionMs ?? DEFAULT_FINAL_RETENTION_MS
  const entries = new Map<string, MemoryEntry>()
  /** Final records in the order they became final, with when each expires (retention is constant). */
  const expiries: { id: string; at: number }[] = []
  let expiryHead = 0
  /** Queued entries per chain, in arrival order (claimed ones stay, flagged by `claimedUntil`). */
  const queues = new Map<number, Set<string>>()
  const events = new EventEmitter()
  events.setMaxListeners(0)
  const state = {
    now,
    retentionMs,
    entries,
    expiries,
    /** `chain:sender` → nonce → id of the non-final request. */
    pendingByNonce: new Map<string, Map<bigint, string>>(),
    /** `chain:sender` → transactions in flight (a busy sender's next requests wait in the queue). */
    busy: new Map<string, number>(),
    /** `chain:ipKey` → requests of that client address not final yet. */
    ipInFlight: new Map<string, number>(),
    /** Admission's counters: `quota:<key>`, `budget:<site>:<day>`, `spent:<site>:<day>`, Solana's `sol:budget:<site>:<day>`. */
    counters: new AdmissionCounters(),
    leases: new Map<string, { owner: string; until: number }>(),
    journals: new Map<string, Map<number, JournalEntry>>(),
    paused: new Set<string>(),
    events,
    seq: 0,
    closed: false,
    senderKey: (chainId: number, from: Address) => `${chainId}:${from.toLowerCase()}`,
    copy: <T>(value: T): T => structuredClone(value),
    queueOf(chainId: number): Set<string> {
      let queue = queues.get(chainId)
      if (!queue) {
        queue = new Set()
        queues.set(chainId, queue)
      }
      return queue
    },
    pruneFinal(): void {
      const t = now()
      while (expiryHead < expiries.length && (expiries[expiryHead] as { at: number }).at <= t) {
        entries.delete((expiries[expiryHead] as { id: string }).id)
        expiryHead++
      }
      if (expiryHead > 1024 && expiryHead * 2 > expiries.length) {
        expiries.splice(0, expiryHead)
        expiryHead = 0
      }
    },
    assertOpen(): void {
      if (state.closed) throw new Error('memory store is closed')
    },
  }
  return state
}

export type MemoryState = ReturnType<typeof createMemoryState>

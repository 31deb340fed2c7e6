import { createMemorySolanaStore } from '../solana/store.js'
import { createMemoryAdmissionStore } from './admission/memory.js'
import { createMemoryJournalStore } from './journal/memory.js'
import { createMemoryLeaseStore } from './leases/memory.js'
import { createMemoryState, type MemoryStoreOptions } from './memoryState.js'
import { createMemoryQueueStore } from './queue/memory.js'
import { createMemoryRateLimitStore } from './rateLimits/memory.js'
import { createMemoryRequestStore } from './requests/memory.js'
import { type RelayStore, relayStoreOf, type Stores } from './types.js'

export type { MemoryStoreOptions } from './memoryState.js'

/**
 * Every store in process memory: the default for `npm start` and tests. State is lost on exit, so
 * it gives no durability across restarts and cannot be shared between processes.
 */
export function createMemoryStores(options: MemoryStoreOptions = {}): Stores {
  const state = createMemoryState(options)
  const requests = createMemoryRequestStore(state)
  // One site admission for both networks: a site paused through `admission` sponsors no Solana either.
  const solana = createMemorySolanaStore({
    now: state.now,
    finalRetentionMs: state.retentionMs,
    sites: { paused: state.paused, counters: state.counters },
  })
  return {
    kind: 'memory',
    requests,
    queue: createMemoryQueueStore(state),
    leases: createMemoryLeaseStore(state),
    journal: createMemoryJournalStore(state, requests),
    admission: createMemoryAdmissionStore(state),
    rateLimits: createMemoryRateLimitStore(),
    solana,
    async ping() {
      state.assertOpen()
    },
    async close() {
      state.closed = true
      state.events.removeAllListeners()
      await solana.close()
    },
  }
}

/** The EVM stores of {@link createMemoryStores} as one {@link RelayStore}. */
export function createMemoryStore(options: MemoryStoreOptions = {}): RelayStore {
  return relayStoreOf(createMemoryStores(options))
}

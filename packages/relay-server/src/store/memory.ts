import { EventEmitter } from 'node:events'
import type { Address } from 'viem'
import {
  type ClaimOptions,
  DuplicateNonceError,
  isFinalStatus,
  type NewRequest,
  type QueueStats,
  type RelayStore,
  type StatusListener,
  type StatusUpdate,
  type StoredRequest,
} from './types.js'

export interface MemoryStoreOptions {
  /** Clock in milliseconds; injectable for tests. */
  now?: () => number
}

/** In-process store: the default for `npm start` and tests. State is lost on exit. */
export function createMemoryStore(options: MemoryStoreOptions = {}): RelayStore {
  const now = options.now ?? Date.now
  const requests = new Map<string, StoredRequest>()
  // Insertion-ordered ids of queued requests per chain.
  const queues = new Map<number, string[]>()
  const leases = new Map<string, number>()
  const events = new EventEmitter()
  events.setMaxListeners(0)
  let closed = false

  const senderKey = (chainId: number, from: Address, nonce?: bigint) =>
    `${chainId}:${from.toLowerCase()}${nonce === undefined ? '' : `:${nonce}`}`
  const copy = (r: StoredRequest): StoredRequest => structuredClone(r)
  const queueOf = (chainId: number) => {
    let queue = queues.get(chainId)
    if (!queue) {
      queue = []
      queues.set(chainId, queue)
    }
    return queue
  }
  const isClaimed = (id: string, at: number) => (leases.get(id) ?? 0) > at
  const assertOpen = () => {
    if (closed) throw new Error('memory store is closed')
  }

  return {
    kind: 'memory',

    async enqueue(input: NewRequest) {
      assertOpen()
      const key = senderKey(input.chainId, input.request.from, input.request.nonce)
      for (const r of requests.values()) {
        if (!isFinalStatus(r.status) && senderKey(r.chainId, r.request.from, r.request.nonce) === key) {
          throw new DuplicateNonceError(`nonce ${input.request.nonce} of ${input.request.from} is already pending`)
        }
      }
      if (requests.has(input.id)) throw new Error(`request id ${input.id} already exists`)
      const at = now()
      const record: StoredRequest = { ...structuredClone(input), status: 'queued', createdAt: at, updatedAt: at }
      requests.set(record.id, record)
      queueOf(record.chainId).push(record.id)
      return copy(record)
    },

    async claimBatch(chainId: number, { max, leaseMs }: ClaimOptions) {
      assertOpen()
      const at = now()
      const claimed: StoredRequest[] = []
      for (const id of queueOf(chainId)) {
        if (claimed.length >= max) break
        if (isClaimed(id, at)) continue
        const record = requests.get(id)
        if (!record) continue
        leases.set(id, at + leaseMs)
        claimed.push(copy(record))
      }
      return claimed
    },

    async release(ids: readonly string[]) {
      for (const id of ids) leases.delete(id)
    },

    async get(id: string) {
      const record = requests.get(id)
      return record ? copy(record) : undefined
    },

    async update(id: string, update: StatusUpdate) {
      assertOpen()
      const record = requests.get(id)
      if (!record) throw new Error(`unknown request ${id}`)
      record.status = update.status
      if (update.txHash !== undefined) record.txHash = update.txHash
      if (update.blockNumber !== undefined) record.blockNumber = update.blockNumber
      if (update.error !== undefined) record.error = { ...update.error }
      record.updatedAt = now()
      if (record.status !== 'queued') {
        leases.delete(id)
        const queue = queueOf(record.chainId)
        const index = queue.indexOf(id)
        if (index >= 0) queue.splice(index, 1)
      }
      const snapshot = copy(record)
      events.emit(id, snapshot)
      return copy(record)
    },

    async subscribe(id: string, listener: StatusListener) {
      const wrapped = (r: StoredRequest) => listener(copy(r))
      events.on(id, wrapped)
      return async () => {
        events.off(id, wrapped)
      }
    },

    async pendingCount(chainId: number, from: Address) {
      const key = senderKey(chainId, from)
      let count = 0
      for (const r of requests.values()) {
        if (!isFinalStatus(r.status) && senderKey(r.chainId, r.request.from) === key) count++
      }
      return count
    },

    async pendingNonces(chainId: number, from: Address) {
      const key = senderKey(chainId, from)
      const nonces: bigint[] = []
      for (const r of requests.values()) {
        if (!isFinalStatus(r.status) && senderKey(r.chainId, r.request.from) === key) nonces.push(r.request.nonce)
      }
      return nonces.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    },

    async queueStats(chainId: number): Promise<QueueStats> {
      const at = now()
      let depth = 0
      let oldestAt: number | undefined
      for (const id of queueOf(chainId)) {
        if (isClaimed(id, at)) continue
        const record = requests.get(id)
        if (!record) continue
        depth++
        if (oldestAt === undefined) oldestAt = record.createdAt
      }
      return oldestAt === undefined ? { depth } : { depth, oldestAt }
    },

    async ping() {
      assertOpen()
    },

    async close() {
      closed = true
      events.removeAllListeners()
    },
  }
}

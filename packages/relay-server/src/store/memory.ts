import { EventEmitter } from 'node:events'
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible'
import type { Address } from 'viem'
import { memorySolanaStores, type SolanaStore } from '../solana/store.js'
import { DEFAULT_FINAL_RETENTION_MS, isFinalStatus } from './status.js'
import {
  BudgetExceededError,
  type ClaimOptions,
  DuplicateNonceError,
  IpInFlightError,
  type JournalEntry,
  type LeaseFence,
  type NewRequest,
  type QueueStats,
  QuotaExceededError,
  RateLimitedError,
  type RateLimiter,
  type RateLimiterOptions,
  type RecordResult,
  type RelayStore,
  SenderInFlightError,
  SitePausedError,
  type SiteState,
  type StatusListener,
  type StatusUpdate,
  type StoredRequest,
  utcDay,
} from './types.js'

export interface MemoryStoreOptions {
  /** Clock in milliseconds; injectable for tests. */
  now?: () => number
  /** How long a final record stays readable (default {@link DEFAULT_FINAL_RETENTION_MS}). */
  finalRetentionMs?: number
}

interface Entry {
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
 * In-process store: the default for `npm start` and tests. State is lost on exit, so it gives no
 * durability across restarts and cannot be shared between instances.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): RelayStore {
  const now = options.now ?? Date.now
  const retentionMs = options.finalRetentionMs ?? DEFAULT_FINAL_RETENTION_MS
  const entries = new Map<string, Entry>()
  /** Final records in the order they became final, with when each expires (retention is constant). */
  const expiries: { id: string; at: number }[] = []
  let expiryHead = 0
  const pruneFinal = () => {
    const t = now()
    while (expiryHead < expiries.length && (expiries[expiryHead] as { at: number }).at <= t) {
      entries.delete((expiries[expiryHead] as { id: string }).id)
      expiryHead++
    }
    if (expiryHead > 1024 && expiryHead * 2 > expiries.length) {
      expiries.splice(0, expiryHead)
      expiryHead = 0
    }
  }
  /** Queued entries per chain, in arrival order (claimed ones stay, flagged by `claimedUntil`). */
  const queues = new Map<number, Set<string>>()
  /** `chain:sender` → nonce → id of the non-final request. */
  const pendingByNonce = new Map<string, Map<bigint, string>>()
  const busy = new Map<string, number>()
  /** `chain:ipKey` → requests of that client address not final yet. */
  const ipInFlight = new Map<string, number>()
  const counters = new Map<string, bigint>()
  const leases = new Map<string, { owner: string; until: number }>()
  const journals = new Map<string, Map<number, JournalEntry>>()
  const paused = new Set<string>()
  const events = new EventEmitter()
  events.setMaxListeners(0)
  let seq = 0
  let closed = false
  let solanaStores: (() => SolanaStore) | undefined

  const senderKey = (chainId: number, from: Address) => `${chainId}:${from.toLowerCase()}`
  const copy = <T>(value: T): T => structuredClone(value)
  const queueOf = (chainId: number) => {
    let queue = queues.get(chainId)
    if (!queue) {
      queue = new Set()
      queues.set(chainId, queue)
    }
    return queue
  }
  const add = (key: string, delta: bigint) => counters.set(key, (counters.get(key) ?? 0n) + delta)
  const unbusy = (entry: Entry) => {
    if (!entry.busy) return
    entry.busy = false
    const key = senderKey(entry.record.chainId, entry.record.request.from)
    busy.set(key, (busy.get(key) ?? 1) - 1)
  }
  const reclaimExpired = (chainId: number, at: number) => {
    for (const id of queueOf(chainId)) {
      const entry = entries.get(id)
      if (entry?.claimedUntil !== undefined && entry.claimedUntil <= at) {
        entry.claimedUntil = undefined
        entry.claimer = undefined
      }
    }
  }
  const assertOpen = () => {
    if (closed) throw new Error('memory store is closed')
  }
  const leaseHeld = (fence: LeaseFence) => {
    const lease = leases.get(fence.name)
    return lease !== undefined && lease.owner === fence.owner && lease.until > now()
  }
  const journalOf = (chainId: number, relayer: Address) => {
    const key = `${chainId}:${relayer.toLowerCase()}`
    let journal = journals.get(key)
    if (!journal) {
      journal = new Map()
      journals.set(key, journal)
    }
    return journal
  }

  const store: RelayStore = {
    kind: 'memory',

    async enqueue(input: NewRequest) {
      assertOpen()
      pruneFinal()
      if (entries.has(input.id)) throw new Error(`request id ${input.id} already exists`)
      if (paused.has(input.siteKey)) throw new SitePausedError(`site ${input.siteKey} is paused`)
      const sender = senderKey(input.chainId, input.request.from)
      const nonces = pendingByNonce.get(sender) ?? new Map<bigint, string>()
      if (nonces.has(input.request.nonce)) {
        throw new DuplicateNonceError(`nonce ${input.request.nonce} of ${input.request.from} is already pending`)
      }
      const limits = input.inFlight
      if (limits?.maxPerSender !== undefined && nonces.size >= limits.maxPerSender) {
        throw new SenderInFlightError(
          `the sender has ${nonces.size} requests in flight (at most ${limits.maxPerSender})`,
        )
      }
      const ipKey = limits?.ipKey === undefined ? undefined : `${input.chainId}:${limits.ipKey}`
      const fromIp = ipKey === undefined ? 0 : (ipInFlight.get(ipKey) ?? 0)
      if (limits?.maxPerIp !== undefined && fromIp >= limits.maxPerIp) {
        throw new IpInFlightError(`the address has ${fromIp} requests in flight (at most ${limits.maxPerIp})`)
      }
      if (input.quota && (counters.get(`quota:${input.quota.key}`) ?? 0n) >= BigInt(input.quota.limit)) {
        throw new QuotaExceededError(`the sender used its quota of ${input.quota.limit} requests`)
      }
      const budgetKey = input.reservation ? `budget:${input.siteKey}:${input.reservation.day}` : undefined
      if (input.reservation && budgetKey) {
        const used = counters.get(budgetKey) ?? 0n
        if (used + input.reservation.amountWei > input.reservation.limitWei) {
          throw new BudgetExceededError(`the site's daily gas budget is used up`)
        }
        add(budgetKey, input.reservation.amountWei)
      }
      if (input.quota) add(`quota:${input.quota.key}`, 1n)
      const at = now()
      if (ipKey !== undefined) ipInFlight.set(ipKey, fromIp + 1)
      const { reservation: _r, quota: _q, inFlight: _f, ...rest } = input
      const record: StoredRequest = {
        ...copy(rest),
        status: 'queued',
        createdAt: at,
        updatedAt: at,
        ...(input.reservation ? { reservedWei: input.reservation.amountWei, budgetDay: input.reservation.day } : {}),
      }
      entries.set(record.id, { record, seq: ++seq, busy: false, ...(ipKey === undefined ? {} : { ipKey }) })
      nonces.set(input.request.nonce, record.id)
      pendingByNonce.set(sender, nonces)
      queueOf(record.chainId).add(record.id)
      return copy(record)
    },

    async claimBatch(chainId: number, { max, leaseMs, owner }: ClaimOptions) {
      assertOpen()
      const at = now()
      reclaimExpired(chainId, at)
      const claimed: StoredRequest[] = []
      for (const id of queueOf(chainId)) {
        if (claimed.length >= max) break
        const entry = entries.get(id)
        if (!entry || entry.claimedUntil !== undefined) continue
        // A sender with a transaction in flight waits for it: its nonces must run in order.
        if ((busy.get(senderKey(chainId, entry.record.request.from)) ?? 0) > 0) continue
        entry.claimedUntil = at + leaseMs
        entry.claimer = owner
        claimed.push(copy(entry.record))
      }
      return claimed
    },

    async release(ids: readonly string[]) {
      for (const id of ids) {
        const entry = entries.get(id)
        if (entry?.record.status !== 'queued' || entry.claimedUntil === undefined) continue
        entry.claimedUntil = undefined
        entry.claimer = undefined
      }
    },

    async get(id: string) {
      pruneFinal()
      const entry = entries.get(id)
      return entry ? copy(entry.record) : undefined
    },

    async update(id: string, update: StatusUpdate) {
      assertOpen()
      const entry = entries.get(id)
      if (!entry) throw new Error(`unknown request ${id}`)
      const record = entry.record
      // The first final state wins: a late or duplicate settlement never rewrites an outcome.
      if (isFinalStatus(record.status)) return copy(record)
      const previous = record.status
      record.status = update.status
      if (update.txHash !== undefined) record.txHash = update.txHash
      if (update.blockNumber !== undefined) record.blockNumber = update.blockNumber
      if (update.error !== undefined) record.error = { ...update.error }
      record.updatedAt = now()
      if (record.status !== 'queued') {
        queueOf(record.chainId).delete(id)
        entry.claimedUntil = undefined
      }
      if (record.status === 'queued' && previous === 'submitted') {
        // Back to the queue (its transaction can never run).
        unbusy(entry)
        entry.claimer = undefined
        queueOf(record.chainId).add(id)
      }
      if (record.status === 'submitted' && !entry.busy) {
        entry.busy = true
        const key = senderKey(record.chainId, record.request.from)
        busy.set(key, (busy.get(key) ?? 0) + 1)
      }
      if (isFinalStatus(record.status)) {
        expiries.push({ id, at: now() + retentionMs })
        unbusy(entry)
        if (entry.ipKey !== undefined) {
          const left = (ipInFlight.get(entry.ipKey) ?? 1) - 1
          if (left > 0) ipInFlight.set(entry.ipKey, left)
          else ipInFlight.delete(entry.ipKey)
        }
        const nonces = pendingByNonce.get(senderKey(record.chainId, record.request.from))
        if (nonces?.get(record.request.nonce) === id) nonces.delete(record.request.nonce)
        if (record.reservedWei !== undefined && record.budgetDay !== undefined) {
          const spent = update.spentWei ?? 0n
          const charged = spent < record.reservedWei ? spent : record.reservedWei
          add(`budget:${record.siteKey}:${record.budgetDay}`, charged - record.reservedWei)
          add(`spent:${record.siteKey}:${record.budgetDay}`, charged)
          record.spentWei = charged
        } else if (update.spentWei !== undefined) {
          // No budget to settle against: the gas is still the site's, counted on the day it is paid.
          add(`spent:${record.siteKey}:${utcDay(now())}`, update.spentWei)
          record.spentWei = update.spentWei
        }
      }
      events.emit(id, copy(record))
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
      return pendingByNonce.get(senderKey(chainId, from))?.size ?? 0
    },

    async pendingNonces(chainId: number, from: Address) {
      const nonces = [...(pendingByNonce.get(senderKey(chainId, from))?.keys() ?? [])]
      return nonces.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    },

    async pendingRequests(chainId: number, from: Address, limit: number) {
      const byNonce = [...(pendingByNonce.get(senderKey(chainId, from)) ?? [])]
      byNonce.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      const records: StoredRequest[] = []
      for (const [, id] of byNonce.slice(0, Math.max(0, limit))) {
        const entry = entries.get(id)
        if (entry && !isFinalStatus(entry.record.status)) records.push(copy(entry.record))
      }
      return records
    },

    async queueStats(chainId: number): Promise<QueueStats> {
      const at = now()
      let depth = 0
      let oldestAt: number | undefined
      for (const id of queueOf(chainId)) {
        const entry = entries.get(id)
        if (!entry || (entry.claimedUntil !== undefined && entry.claimedUntil > at)) continue
        depth++
        oldestAt ??= entry.record.createdAt
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

    async acquireLease(name: string, owner: string, ttlMs: number) {
      assertOpen()
      const lease = leases.get(name)
      if (lease && lease.owner !== owner && lease.until > now()) return false
      leases.set(name, { owner, until: now() + ttlMs })
      return true
    },

    async renewLease(name: string, owner: string, ttlMs: number) {
      assertOpen()
      if (!leaseHeld({ name, owner })) return false
      leases.set(name, { owner, until: now() + ttlMs })
      return true
    },

    async releaseLease(name: string, owner: string) {
      if (leases.get(name)?.owner === owner) leases.delete(name)
    },

    async leaseHolder(name: string) {
      const lease = leases.get(name)
      return lease && lease.until > now() ? lease.owner : undefined
    },

    async recordTransaction(entry: JournalEntry, fence: LeaseFence, claimOwner?: string): Promise<RecordResult> {
      assertOpen()
      if (!leaseHeld(fence)) return { ok: false, reason: 'lease' }
      const journal = journalOf(entry.chainId, entry.relayer)
      const isNew = !journal.has(entry.nonce)
      const hash = entry.transactions.at(-1)?.hash
      if (isNew && entry.requestIds.length > 0) {
        const lost = entry.requestIds.filter((id) => {
          const e = entries.get(id)
          return e?.record.status !== 'queued' || e.claimer !== claimOwner || e.claimedUntil === undefined
        })
        if (lost.length > 0) return { ok: false, reason: 'claim', ids: lost }
      }
      journal.set(entry.nonce, copy(entry))
      for (const id of entry.requestIds) {
        const e = entries.get(id)
        if (!e || isFinalStatus(e.record.status) || !hash) continue
        if (!isNew && e.record.status !== 'submitted') continue
        await store.update(id, { status: 'submitted', txHash: hash })
      }
      return { ok: true }
    },

    async journal(chainId: number, relayer: Address) {
      return [...journalOf(chainId, relayer).values()].sort((a, b) => a.nonce - b.nonce).map(copy)
    },

    async removeTransaction(chainId: number, relayer: Address, nonce: number, fence: LeaseFence) {
      if (!leaseHeld(fence)) return false
      journalOf(chainId, relayer).delete(nonce)
      return true
    },

    async siteState(siteKey: string, day: string): Promise<SiteState> {
      return {
        paused: paused.has(siteKey),
        usedWei: counters.get(`budget:${siteKey}:${day}`) ?? 0n,
        spentWei: counters.get(`spent:${siteKey}:${day}`) ?? 0n,
      }
    },

    async setSitePaused(siteKey: string, value: boolean) {
      if (value) paused.add(siteKey)
      else paused.delete(siteKey)
    },

    solanaStore() {
      // One Solana state per memory store: relays sharing this store share their Solana requests.
      solanaStores ??= memorySolanaStores({ now, finalRetentionMs: retentionMs })
      return solanaStores()
    },

    rateLimiter(options: RateLimiterOptions): RateLimiter {
      return wrapLimiter(
        new RateLimiterMemory({
          keyPrefix: options.keyPrefix,
          points: options.points,
          duration: options.durationSeconds,
        }),
      )
    },
  }
  return store
}

/** Adapts a rate-limiter-flexible limiter to {@link RateLimiter}. */
export function wrapLimiter(limiter: { consume(key: string, points?: number): Promise<unknown> }): RateLimiter {
  return {
    async consume(key, points = 1) {
      try {
        await limiter.consume(key, points)
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          throw new RateLimitedError('rate limit exceeded', error.msBeforeNext)
        }
        throw error
      }
    },
  }
}

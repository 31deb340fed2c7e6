import { EventEmitter } from 'node:events'
import { AdmissionCounters, solanaBudgetCounter } from '../store/admission/rules.js'
import { DEFAULT_FINAL_RETENTION_MS, isFinalStatus, type RequestError, type RequestStatus } from '../store/status.js'

/** A sponsored Solana transaction and its lifecycle (`queued → submitted → confirmed`, or `failed`). */
export interface SolanaRequestRecord {
  id: string
  siteKey: string
  /** The visitor's address (first signer after the fee payer). */
  wallet: string
  /** Base58 transaction signature (the fee payer's, first in the transaction). */
  signature: string
  /** Base64 of the co-signed wire transaction, re-sent until it lands or its blockhash expires. */
  transaction: string
  blockhash: string
  /** Lamports reserved from the site's daily budget (fee and funded rent). */
  lamports: bigint
  status: RequestStatus
  slot?: bigint
  error?: RequestError
  createdAt: number
  updatedAt: number
}

export type NewSolanaRequest = Omit<SolanaRequestRecord, 'status' | 'slot' | 'error' | 'createdAt' | 'updatedAt'>

export interface SolanaStatusUpdate {
  status: RequestStatus
  slot?: bigint
  error?: RequestError
}

/** Limits checked together with the replay guard when a request is admitted. */
export interface AdmissionLimits {
  /** UTC day the budgets count in, `YYYY-MM-DD`. */
  day: string
  siteLamportsPerDay: bigint
  walletRequestsPerDay: number
}

export type AdmissionResult =
  | { ok: true; record: SolanaRequestRecord }
  | { ok: false; reason: 'SITE_PAUSED' | 'DUPLICATE' | 'SITE_BUDGET' | 'WALLET_QUOTA'; existingId?: string }

/**
 * Solana requests beside the EVM stores (whose records are EVM forward requests), built with them by
 * `createStores` on the same backend. `admit` takes the two steps of an EVM admission: the site's
 * (its pause flag, the one the admin route sets for both networks, and its lamports budget), then
 * the Solana records' (replay guard, wallet quota, the new record), each atomic, a refusal in the
 * second giving the first back.
 */
export interface SolanaStore {
  readonly kind: string
  /**
   * Refuses a paused site (`SITE_PAUSED`), a site over its daily lamports budget (`SITE_BUDGET`), a
   * signature seen before (`DUPLICATE`) or a wallet over its daily quota across sites
   * (`WALLET_QUOTA`), in that order, reserving nothing then; otherwise reserves both and stores the
   * request as `queued`.
   */
  admit(request: NewSolanaRequest, limits: AdmissionLimits): Promise<AdmissionResult>
  /** The request id that used this transaction signature, if any. */
  findBySignature(signature: string): Promise<string | undefined>
  /** The record; a final one only until its retention time is over. */
  get(id: string): Promise<SolanaRequestRecord | undefined>
  /**
   * Applies a status change and notifies subscribers. The first final status wins: an update of a
   * final record changes nothing and resolves to the record as it is.
   */
  update(id: string, update: SolanaStatusUpdate): Promise<SolanaRequestRecord>
  /**
   * Gives a failed (or rejected) request's lamports back to its site's budget of the day it was
   * admitted: for a transaction known never to have landed (a Solana Pay tip the wallet did not
   * send). True when it did; a second release, or one of a request not failed, changes nothing.
   */
  release(id: string): Promise<boolean>
  /** Calls `listener` after every status change of `id` (another instance's too, on a shared store). */
  subscribe(id: string, listener: (record: SolanaRequestRecord) => void): Promise<() => Promise<void>>
  /** Non-final requests (a restarted relay resumes tracking them). */
  pending(): Promise<SolanaRequestRecord[]>
  /** Lamports reserved by a site on a day, and requests by a wallet (across sites) that day. */
  usage(siteKey: string, wallet: string, day: string): Promise<{ siteLamports: bigint; walletRequests: number }>
  /** Ends this handle's subscriptions and polling; the backend's connection stays open (its `Stores` closes it). */
  close(): Promise<void>
}

/**
 * The replay guard of a signature outlives its record, and lasts at least this long after the request
 * became final however short the retention: a request is admitted only while its blockhash is valid
 * (150 slots, a minute or two), so by then the transaction can never land again.
 */
export const SIGNATURE_GUARD_MIN_MS = 10 * 60_000

/** How long a signature's replay guard lasts once its request is final: never less than the record. */
export function signatureGuardMs(finalRetentionMs: number): number {
  return Math.max(finalRetentionMs, SIGNATURE_GUARD_MIN_MS)
}

/**
 * The site's side of a memory backend's admission (what a site's hash slot holds on Redis): its
 * pause flags and its counters, shared with the EVM admission store of the same `createMemoryStores`.
 */
interface MemorySiteAdmission {
  readonly paused: ReadonlySet<string>
  /** Lamports reserved, as `sol:budget:<siteKey>:<day>`. */
  readonly counters: AdmissionCounters
}

export interface MemorySolanaStoreOptions {
  /** Clock in milliseconds; injectable for tests. */
  now?: () => number
  /** How long a final record stays readable (default {@link DEFAULT_FINAL_RETENTION_MS}). */
  finalRetentionMs?: number
  /** The sites' pause flags and budgets: `createMemoryStores` hands its admission's (default: a new, empty one: no site paused). */
  sites?: MemorySiteAdmission
}

/** Items that expire in the order they were added (every item of one queue has the same lifetime). */
class ExpiryQueue<T> {
  private items: { value: T; at: number }[] = []
  private head = 0

  push(value: T, at: number): void {
    this.items.push({ value, at })
  }

  /** Calls `drop` for every item due at `now`, oldest first. */
  prune(now: number, drop: (value: T) => void): void {
    while (this.head < this.items.length) {
      const item = this.items[this.head] as { value: T; at: number }
      if (item.at > now) break
      drop(item.value)
      this.head++
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items.splice(0, this.head)
      this.head = 0
    }
  }
}

/**
 * In-process Solana state shared by every handle made by one `memorySolanaStores()`.
 * Each `admit` runs in one synchronous step, so it is atomic.
 */
function memorySolanaState(options: MemorySolanaStoreOptions) {
  const now = options.now ?? Date.now
  const retentionMs = options.finalRetentionMs ?? DEFAULT_FINAL_RETENTION_MS
  const guardMs = signatureGuardMs(retentionMs)
  const records = new Map<string, SolanaRequestRecord>()
  /** Ids of the non-final records. */
  const pending = new Set<string>()
  const bySignature = new Map<string, string>()
  const recordExpiries = new ExpiryQueue<string>()
  const guardExpiries = new ExpiryQueue<{ signature: string; id: string }>()
  const sites = options.sites ?? { paused: new Set<string>(), counters: new AdmissionCounters() }
  const budgetOf = solanaBudgetCounter
  /** The day's `wallet:<wallet>` (requests admitted, across sites). */
  const counters = new AdmissionCounters()
  /** Day whose budget holds each unreleased reservation. */
  const reservedOn = new Map<string, string>()
  let currentDay = ''
  const events = new EventEmitter()
  events.setMaxListeners(0)
  const copy = (r: SolanaRequestRecord) => structuredClone(r)
  const prune = () => {
    const t = now()
    recordExpiries.prune(t, (id) => {
      records.delete(id)
      reservedOn.delete(id)
    })
    guardExpiries.prune(t, ({ signature, id }) => {
      if (bySignature.get(signature) === id) bySignature.delete(signature)
    })
  }

  const admit: SolanaStore['admit'] = async (request, limits) => {
    prune()
    if (records.has(request.id)) throw new Error(`solana request id ${request.id} already exists`)
    if (limits.day !== currentDay) {
      // Wallet counters of past days are never read again.
      counters.clear()
      currentDay = limits.day
    }
    // The site's step (pause, budget), then the records' (guard, quota), in the Redis adapters' order.
    if (sites.paused.has(request.siteKey)) return { ok: false, reason: 'SITE_PAUSED' }
    const budget = budgetOf(request.siteKey, limits.day)
    if (!sites.counters.reserve(budget, request.lamports, limits.siteLamportsPerDay)) {
      return { ok: false, reason: 'SITE_BUDGET' }
    }
    const existingId = bySignature.get(request.signature)
    const quota = `wallet:${request.wallet}`
    if (existingId || counters.quotaFull(quota, limits.walletRequestsPerDay)) {
      sites.counters.unreserve(budget, request.lamports)
      return existingId ? { ok: false, reason: 'DUPLICATE', existingId } : { ok: false, reason: 'WALLET_QUOTA' }
    }
    counters.countQuota(quota)
    bySignature.set(request.signature, request.id)
    const at = now()
    const record: SolanaRequestRecord = { ...structuredClone(request), status: 'queued', createdAt: at, updatedAt: at }
    records.set(record.id, record)
    reservedOn.set(record.id, limits.day)
    pending.add(record.id)
    return { ok: true, record: copy(record) }
  }

  const update: SolanaStore['update'] = async (id, change) => {
    prune()
    const record = records.get(id)
    if (!record) throw new Error(`unknown solana request ${id}`)
    // The first final state wins: a late update never rewrites an outcome.
    if (isFinalStatus(record.status)) return copy(record)
    record.status = change.status
    if (change.slot !== undefined) record.slot = change.slot
    if (change.error !== undefined) record.error = { ...change.error }
    record.updatedAt = now()
    if (isFinalStatus(record.status)) {
      pending.delete(id)
      recordExpiries.push(id, record.updatedAt + retentionMs)
      guardExpiries.push({ signature: record.signature, id }, record.updatedAt + guardMs)
    }
    events.emit(id, copy(record))
    return copy(record)
  }

  const release: SolanaStore['release'] = async (id) => {
    prune()
    const record = records.get(id)
    const day = reservedOn.get(id)
    // A request that may still land keeps its reservation; a confirmed one spent it.
    if (!record || day === undefined || (record.status !== 'failed' && record.status !== 'rejected')) return false
    reservedOn.delete(id)
    // Back to the day it was reserved on: a later day's budget is never credited.
    sites.counters.unreserve(budgetOf(record.siteKey, day), record.lamports)
    return true
  }

  /** One handle: its `close` drops only the subscriptions made through it. */
  const handle = (): SolanaStore => {
    const subscriptions = new Set<{ id: string; listener: (record: SolanaRequestRecord) => void }>()
    return {
      kind: 'memory',
      admit,
      update,
      release,
      async findBySignature(signature) {
        prune()
        return bySignature.get(signature)
      },
      async get(id) {
        prune()
        const record = records.get(id)
        return record ? copy(record) : undefined
      },
      async subscribe(id, listener) {
        const subscription = { id, listener }
        subscriptions.add(subscription)
        events.on(id, listener)
        return async () => {
          subscriptions.delete(subscription)
          events.off(id, listener)
        }
      },
      async pending() {
        return [...pending].flatMap((id) => {
          const record = records.get(id)
          return record ? [copy(record)] : []
        })
      },
      async usage(siteKey, wallet, day) {
        return {
          siteLamports: sites.counters.get(budgetOf(siteKey, day)),
          walletRequests: day === currentDay ? Number(counters.get(`wallet:${wallet}`)) : 0,
        }
      },
      async close() {
        for (const { id, listener } of subscriptions) events.off(id, listener)
        subscriptions.clear()
      },
    }
  }
  return handle
}

/**
 * Handles on one in-process Solana state, as several relay instances would have on a shared Redis.
 */
export function memorySolanaStores(options: MemorySolanaStoreOptions = {}): () => SolanaStore {
  return memorySolanaState(options)
}

/** In-process Solana store: lost on exit, not shared between processes. */
export function createMemorySolanaStore(options: MemorySolanaStoreOptions = {}): SolanaStore {
  return memorySolanaState(options)()
}

/**
 * `store` whose `close` ends only the subscriptions made through this view: what a relay gets of
 * its backend's Solana store, so that closing one relay leaves the others on the same `Stores` running.
 */
export function subscriptionScope(store: SolanaStore): SolanaStore {
  const unsubscribes = new Set<() => Promise<void>>()
  return {
    kind: store.kind,
    admit: (request, limits) => store.admit(request, limits),
    findBySignature: (signature) => store.findBySignature(signature),
    get: (id) => store.get(id),
    update: (id, update) => store.update(id, update),
    release: (id) => store.release(id),
    pending: () => store.pending(),
    usage: (siteKey, wallet, day) => store.usage(siteKey, wallet, day),
    async subscribe(id, listener) {
      const unsubscribe = await store.subscribe(id, listener)
      const once = async () => {
        unsubscribes.delete(once)
        await unsubscribe()
      }
      unsubscribes.add(once)
      return once
    },
    async close() {
      await Promise.all([...unsubscribes].map((unsubscribe) => unsubscribe()))
    },
  }
}

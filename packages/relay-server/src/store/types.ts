import { randomUUID } from 'node:crypto'
import type { Address, Hex } from 'viem'
import type { SolanaStore } from '../solana/store.js'
import type { RequestError, RequestStatus } from './status.js'

/** The signed OpenZeppelin `ForwardRequest`, integers as bigint. */
export interface ForwardRequest {
  from: Address
  to: Address
  value: bigint
  gas: bigint
  nonce: bigint
  deadline: bigint
  data: Hex
}

export interface StoredRequest {
  id: string
  chainId: number
  siteKey: string
  request: ForwardRequest
  signature: Hex
  status: RequestStatus
  txHash?: Hex
  blockNumber?: bigint
  error?: RequestError
  /** Milliseconds since the epoch. */
  createdAt: number
  updatedAt: number
  /** Worst-case wei reserved from the site's daily budget when the request was accepted. */
  reservedWei?: bigint
  /** Wei actually charged to the budget, once final. */
  spentWei?: bigint
  /** Budget day (UTC `YYYY-MM-DD`) the reservation counts against. */
  budgetDay?: string
  /**
   * Gas the request itself adds to a batch, measured at admission (`evm/gas.ts`,
   * `measuredRequestGas`): what settlement splits a receipt by. Absent: its declared worst case.
   */
  measuredGas?: bigint
}

/** The UTC day of a time in ms, `YYYY-MM-DD`: the unit of site budgets and spent counters. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/**
 * A new EVM request id: its chain id, a dash, a random UUID. The chain in the id names the shard
 * (hash slot) its record lives in on a Redis Cluster, next to its chain's queue.
 */
export function newRequestId(chainId: number): string {
  return `${chainId}-${randomUUID()}`
}

/** The chain an EVM request id names (`newRequestId`), or undefined for any other id. */
export function chainOfRequestId(id: string): number | undefined {
  const match = /^([0-9]{1,12})-/.exec(id)
  return match ? Number(match[1]) : undefined
}

/** A daily budget reservation made atomically with `enqueue`. */
export interface BudgetReservation {
  /** UTC day, `YYYY-MM-DD`. */
  day: string
  /** The site's budget for that day, in wei (at most 2^63 - 1). */
  limitWei: bigint
  /** Worst-case cost of the request, in wei. */
  amountWei: bigint
}

/** A per-sender request quota checked and counted atomically with `enqueue`. */
export interface SenderQuota {
  /** Counter name, e.g. `site:sender:day`. */
  key: string
  limit: number
  ttlSeconds: number
}

/** Caps on accepted, not yet final requests, checked and counted atomically with `enqueue`. */
export interface InFlightLimits {
  /** Most non-final requests of the sender on the chain. */
  maxPerSender?: number
  /**
   * Opaque key of the client's address (a hash of its IPv4 address or IPv6 /64): stored with the
   * request, counted until the request is final.
   */
  ipKey?: string
  /** Most non-final requests of `ipKey` on the chain. */
  maxPerIp?: number
}

export interface NewRequest {
  /** Unique; starts with `<chainId>-` ({@link newRequestId}): the Redis stores find the record's slot by it. */
  id: string
  chainId: number
  siteKey: string
  request: ForwardRequest
  signature: Hex
  reservation?: BudgetReservation
  quota?: SenderQuota
  inFlight?: InFlightLimits
  /** See {@link StoredRequest.measuredGas}. */
  measuredGas?: bigint
}

/** A status change; fields left out keep their value. */
export interface StatusUpdate {
  status: RequestStatus
  txHash?: Hex
  blockNumber?: bigint
  error?: RequestError
  /**
   * With a final status: what the request really cost (at most its reservation). The rest of the
   * reservation returns to the site's budget, once (a second final update is ignored).
   */
  spentWei?: bigint
}

export interface ClaimOptions {
  /** Most requests to claim. */
  max: number
  /** How long the claim holds before unsubmitted requests return to the queue (crash safety). */
  leaseMs: number
  /** Claimer id; `recordTransaction` attaches only requests still claimed by it. */
  owner?: string
}

/** One signed transaction of a journal entry (the original or a fee-bumped replacement). */
export interface SentTransaction {
  hash: Hex
  /** Signed raw transaction, re-broadcast as is after a restart or a drop from the pool. */
  raw: Hex
  maxFeePerGas: bigint
  maxPriorityFeePerGas: bigint
  /** Milliseconds since the epoch when it was first broadcast (or journaled). */
  sentAt: number
}

/**
 * A relayer nonce in use: written before the transaction is broadcast, removed once its
 * outcome is final. Replacements append to `transactions` (same nonce, same calldata).
 */
export interface JournalEntry {
  chainId: number
  relayer: Address
  nonce: number
  kind: 'batch' | 'filler'
  requestIds: string[]
  gas: bigint
  transactions: SentTransaction[]
  createdAt: number
}

/** Proof of holding a lease, checked atomically by journal writes (a fencing token). */
export interface LeaseFence {
  /** `<word>:<chainId>[:…]` (e.g. `relayer:8453:0xabc…`): the lease lives beside its chain's journal. */
  name: string
  owner: string
}

export type RecordResult =
  | { ok: true }
  | { ok: false; reason: 'lease' }
  /** Some requests are no longer queued and claimed by this owner (`ids`): nothing was written. */
  | { ok: false; reason: 'claim'; ids: string[] }

export interface SiteState {
  paused: boolean
  /** Reserved plus spent wei on `day`. */
  usedWei: bigint
  /** Settled (actually spent) wei on `day`. */
  spentWei: bigint
}

/** A fixed-window rate limiter backed by the store (rate-limiter-flexible). */
export interface RateLimiter {
  /** Resolves when allowed; rejects with {@link RateLimitedError} when the key is over its limit. */
  consume(key: string, points?: number): Promise<void>
}

export interface RateLimiterOptions {
  keyPrefix: string
  points: number
  durationSeconds: number
}

export interface QueueStats {
  /** Queued requests not currently claimed. */
  depth: number
  /** `createdAt` of the oldest of them. */
  oldestAt?: number
}

export type StatusListener = (request: StoredRequest) => void

/** Thrown by `enqueue` when a non-final request with the same chain, sender and nonce exists. */
export class DuplicateNonceError extends Error {
  override name = 'DuplicateNonceError'
}

/** Thrown by `enqueue` when the reservation would take the site over its daily budget. */
export class BudgetExceededError extends Error {
  override name = 'BudgetExceededError'
}

/** Thrown by `enqueue` when the site is paused (`setSitePaused`). */
export class SitePausedError extends Error {
  override name = 'SitePausedError'
}

/** Thrown by `enqueue` when the sender used up its quota. */
export class QuotaExceededError extends Error {
  override name = 'QuotaExceededError'
}

/** Thrown by `enqueue` when the sender already has `maxPerSender` requests in flight on the chain. */
export class SenderInFlightError extends Error {
  override name = 'SenderInFlightError'
}

/** Thrown by `enqueue` when the client address already has `maxPerIp` requests in flight on the chain. */
export class IpInFlightError extends Error {
  override name = 'IpInFlightError'
}

/** Thrown by a {@link RateLimiter} when a key is over its limit. */
export class RateLimitedError extends Error {
  override name = 'RateLimitedError'
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message)
  }
}

/** The store could not be reached or answered with an error: an outage, never the client's fault. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError'
}

/**
 * Durable queue and status record of relayed requests. Every method is async and ids are
 * opaque strings so that a shared store (Redis, Upstash) can back several relay instances.
 */
export interface RelayStore {
  /** Short name for health output (`memory`, `redis`, `upstash`). */
  readonly kind: string
  /**
   * Appends a request with status `queued`. Rejects with {@link DuplicateNonceError} when a
   * non-final request with the same `(chainId, from, nonce)` is already stored: this must be
   * atomic, it is what keeps two concurrent submissions of one nonce from both being queued.
   * In the same atomic step: {@link SitePausedError} when the site is paused, the sender quota
   * ({@link QuotaExceededError}), the budget reservation ({@link BudgetExceededError}) and the
   * in-flight caps ({@link SenderInFlightError}, {@link IpInFlightError}), released by the final status.
   */
  enqueue(request: NewRequest): Promise<StoredRequest>
  /**
   * Claims up to `max` queued, unclaimed requests of a chain, oldest first (so one sender's
   * requests come out in nonce order). A claim lasts `leaseMs` unless the request leaves
   * `queued` meanwhile.
   */
  claimBatch(chainId: number, options: ClaimOptions): Promise<StoredRequest[]>
  /** Returns claimed requests that are still `queued` to the queue at once (their lease ends). */
  release(ids: readonly string[]): Promise<void>
  get(id: string): Promise<StoredRequest | undefined>
  /** Applies a status change and notifies subscribers; resolves to the updated record. */
  update(id: string, update: StatusUpdate): Promise<StoredRequest>
  /** Calls `listener` after every status change of `id`; resolves to an unsubscribe function. */
  subscribe(id: string, listener: StatusListener): Promise<() => Promise<void>>
  /** Number of non-final (`queued` or `submitted`) requests of one sender on one chain. */
  pendingCount(chainId: number, from: Address): Promise<number>
  /** Nonces of those requests, ascending. */
  pendingNonces(chainId: number, from: Address): Promise<bigint[]>
  /** Those requests themselves, by ascending nonce, the `limit` lowest (admission simulates after them). */
  pendingRequests(chainId: number, from: Address, limit: number): Promise<StoredRequest[]>
  queueStats(chainId: number): Promise<QueueStats>
  /**
   * Resolves when the store does real work: for the Redis stores a script round trip on a hash-tagged
   * key (EVALSHA), not a PING. Rejects when it is down or cannot run the relay's scripts.
   */
  ping(): Promise<void>
  close(): Promise<void>

  /** Takes lease `name` for `owner` (or extends it when `owner` already holds it). */
  acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean>
  /** Extends a lease `owner` holds; false when it expired or another owner has it. */
  renewLease(name: string, owner: string, ttlMs: number): Promise<boolean>
  releaseLease(name: string, owner: string): Promise<void>
  /** Current holder of lease `name`, if any. */
  leaseHolder(name: string): Promise<string | undefined>
  /**
   * Writes a journal entry (insert or replace by relayer nonce) if `fence` is still held. A new
   * entry with `requestIds` also moves those requests to `submitted` with the entry's latest hash,
   * but only if every one is still `queued` and claimed by `claimOwner`: all or nothing.
   */
  recordTransaction(entry: JournalEntry, fence: LeaseFence, claimOwner?: string): Promise<RecordResult>
  /** Journal entries of one relayer, by nonce. */
  journal(chainId: number, relayer: Address): Promise<JournalEntry[]>
  /** Removes a journal entry if `fence` is still held. */
  removeTransaction(chainId: number, relayer: Address, nonce: number, fence: LeaseFence): Promise<boolean>
  siteState(siteKey: string, day: string): Promise<SiteState>
  setSitePaused(siteKey: string, paused: boolean): Promise<void>
  rateLimiter(options: RateLimiterOptions): RateLimiter
  /**
   * A `SolanaStore` on the same backend (same Redis and key prefix, or the same process memory):
   * the relay's Solana runtime uses it unless `solana.store` is given. Its `close` ends only its own
   * subscriptions; this store stays open. Optional: without it the runtime keeps its requests in memory.
   */
  solanaStore?(): SolanaStore
}

import type { Address, Hex } from 'viem'

/** Lifecycle of a relayed request: `queued → submitted → confirmed`, or `failed` / `rejected`. */
export type RequestStatus = 'queued' | 'submitted' | 'confirmed' | 'failed' | 'rejected'

export const FINAL_STATUSES: readonly RequestStatus[] = ['confirmed', 'failed', 'rejected']

export function isFinalStatus(status: RequestStatus): boolean {
  return FINAL_STATUSES.includes(status)
}

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

export interface RequestError {
  code: string
  message: string
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
}

export interface NewRequest {
  id: string
  chainId: number
  siteKey: string
  request: ForwardRequest
  signature: Hex
}

/** A status change; fields left out keep their value. */
export interface StatusUpdate {
  status: RequestStatus
  txHash?: Hex
  blockNumber?: bigint
  error?: RequestError
}

export interface ClaimOptions {
  /** Most requests to claim. */
  max: number
  /** How long the claim holds before unsubmitted requests return to the queue (crash safety). */
  leaseMs: number
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
  queueStats(chainId: number): Promise<QueueStats>
  /** Resolves when the store answers; rejects when it is down. */
  ping(): Promise<void>
  close(): Promise<void>
}

import type { StoredRequest } from '../records.js'

export interface ClaimOptions {
  /** Most requests to claim. */
  max: number
  /** How long the claim holds before unsubmitted requests return to the queue (crash safety). */
  leaseMs: number
  /** Claimer id; `recordTransaction` attaches only requests still claimed by it. */
  owner?: string
}

export interface QueueStats {
  /** Queued requests not currently claimed. */
  depth: number
  /** `createdAt` of the oldest of them. */
  oldestAt?: number
}

/** Each chain's queue of accepted requests, claimed by batchers. */
export interface QueueStore {
  /**
   * Claims up to `max` queued, unclaimed requests of a chain, oldest first (so one sender's
   * requests come out in nonce order). A claim lasts `leaseMs` unless the request leaves
   * `queued` meanwhile.
   */
  claimBatch(chainId: number, options: ClaimOptions): Promise<StoredRequest[]>
  /** Returns claimed requests that are still `queued` to the queue at once (their lease ends). */
  release(ids: readonly string[]): Promise<void>
  queueStats(chainId: number): Promise<QueueStats>
}

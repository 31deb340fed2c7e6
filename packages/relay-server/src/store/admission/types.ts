import type { Hex } from 'viem'
import type { ForwardRequest, StoredRequest } from '../records.js'

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
  /** Unique; starts with `<chainId>-` (`newRequestId`): the Redis stores find the record's slot by it. */
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

export interface SiteState {
  paused: boolean
  /** Reserved plus spent wei on `day`. */
  usedWei: bigint
  /** Settled (actually spent) wei on `day`. */
  spentWei: bigint
  /**
   * Reserved plus spent Solana lamports on `day` (the counter the site's Solana budget checks). A released
   * reservation (a transaction that never landed) is given back; a landed one keeps it: its fee was known ahead.
   */
  usedLamports: bigint
}

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

/**
 * Admission of EVM requests: where a request's budget is reserved, its sender's quota counted, a
 * duplicate nonce refused and a paused site turned away — with the new record in the same atomic step.
 * The reservation and the in-flight counts go back when the request becomes final (`RequestStore.update`).
 */
export interface AdmissionStore {
  /**
   * Appends a request with status `queued`. Rejects with {@link DuplicateNonceError} when a
   * non-final request with the same `(chainId, from, nonce)` is already stored: this must be
   * atomic, it is what keeps two concurrent submissions of one nonce from both being queued.
   * In the same atomic step: {@link SitePausedError} when the site is paused, the sender quota
   * ({@link QuotaExceededError}), the budget reservation ({@link BudgetExceededError}) and the
   * in-flight caps ({@link SenderInFlightError}, {@link IpInFlightError}), released by the final status.
   */
  enqueue(request: NewRequest): Promise<StoredRequest>
  siteState(siteKey: string, day: string): Promise<SiteState>
  /** Pauses (resumes) a site on both networks: the Solana store's admission reads the same flag. */
  setSitePaused(siteKey: string, paused: boolean): Promise<void>
}

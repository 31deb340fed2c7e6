import type { Address, Hex } from 'viem'
import type { LeaseFence } from '../leases/types.js'

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

export type RecordResult =
  | { ok: true }
  | { ok: false; reason: 'lease' }
  /** Some requests are no longer queued and claimed by this owner (`ids`): nothing was written. */
  | { ok: false; reason: 'claim'; ids: string[] }

/** Each relayer key's transactions in flight, by nonce, written under the key's lease. */
export interface JournalStore {
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
}

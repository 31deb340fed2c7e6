/** Proof of holding a lease, checked atomically by journal writes (a fencing token). */
export interface LeaseFence {
  /** `<word>:<chainId>[:…]` (e.g. `relayer:8453:0xabc…`): the lease lives beside its chain's journal. */
  name: string
  owner: string
}

/** Named leases with an owner and a time to live: relayer keys, pending Solana requests. */
export interface LeaseStore {
  /** Takes lease `name` for `owner` (or extends it when `owner` already holds it). */
  acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean>
  /** Extends a lease `owner` holds; false when it expired or another owner has it. */
  renewLease(name: string, owner: string, ttlMs: number): Promise<boolean>
  releaseLease(name: string, owner: string): Promise<void>
  /** Current holder of lease `name`, if any. */
  leaseHolder(name: string): Promise<string | undefined>
}

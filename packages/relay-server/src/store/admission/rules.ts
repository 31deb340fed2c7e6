/**
 * The admission rules both networks share, in process memory: what `ADMISSION_RULES`
 * (`./scripts.ts`) does on Redis. Counters are bigints (wei and lamports exceed 2^53), by key.
 */
/** The memory counter of a site's Solana lamports on `day` (Redis: `sol:budget:<day>` in the site's slot). */
export const solanaBudgetCounter = (siteKey: string, day: string) => `sol:budget:${siteKey}:${day}`

export class AdmissionCounters {
  private readonly counts = new Map<string, bigint>()

  get(key: string): bigint {
    return this.counts.get(key) ?? 0n
  }

  add(key: string, delta: bigint): void {
    this.counts.set(key, this.get(key) + delta)
  }

  /** Drops every counter (a new day: the old ones are never read again). */
  clear(): void {
    this.counts.clear()
  }

  /** Adds `amount` to the budget counter `key` unless that takes it over `limit`: true when reserved. */
  reserve(key: string, amount: bigint, limit: bigint): boolean {
    if (this.get(key) + amount > limit) return false
    this.add(key, amount)
    return true
  }

  /** Gives a reservation back. */
  unreserve(key: string, amount: bigint): void {
    this.add(key, -amount)
  }

  /** The quota counter `key` reached `limit`. */
  quotaFull(key: string, limit: number | bigint): boolean {
    return this.get(key) >= BigInt(limit)
  }

  /** Counts one more against the quota `key`. */
  countQuota(key: string): void {
    this.add(key, 1n)
  }
}

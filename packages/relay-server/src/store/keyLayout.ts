import { chainOfRequestId, StoreUnavailableError } from './records.js'

/**
 * Where a key lives in a Redis Cluster: the hash tags of the relay's key layout (README, "Key
 * layout"). A chain's queue, records, nonces, journals and key leases share one slot; a site's
 * pause flag, quotas and budget counters another; any other lease its own.
 */
export function redisKeyLayout(prefix: string) {
  if (/[{}]/.test(prefix)) throw new StoreUnavailableError(`the store prefix ${prefix} must not contain { or }`)
  const chain = (chainId: number | string) => `${prefix}{c${chainId}}:`
  const site = (siteKey: string) => `${prefix}{s${siteKey}}:`
  return {
    chain,
    site,
    /** A site's Solana lamports of a UTC day (reserved plus spent), in the site's slot beside its wei. */
    solanaBudget: (siteKey: string, day: string) => `${site(siteKey)}sol:budget:${day}`,
    /** EVM request ids start with their chain id (`newRequestId`): it names the record's slot. */
    request(id: string): string | undefined {
      const chainId = chainOfRequestId(id)
      return chainId === undefined ? undefined : `${chain(chainId)}req:${id}`
    },
    /** A chain's queue: its tagged base and the keys every queue script declares. */
    queue(chainId: number) {
      const c = chain(chainId)
      return { base: c, ready: `${c}ready`, claimed: `${c}claimed`, busy: `${c}busy` }
    },
    /** Leases named `<word>:<chainId>[:…]` (relayer keys, `want:`) live in that chain's slot: journal writes check them. */
    lease(name: string): string {
      const bound = /^[a-z]+:([0-9]{1,12})(?::|$)/.exec(name)
      return bound ? `${chain(bound[1] as string)}lease:${name}` : `${prefix}{l${name}}:lease`
    },
    probe: `${prefix}{health}:probe`,
  }
}

export type RedisKeyLayout = ReturnType<typeof redisKeyLayout>

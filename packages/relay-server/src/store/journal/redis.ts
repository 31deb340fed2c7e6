import type { RedisContext } from '../redisContext.js'
import { type Flat, toRecord } from '../redisRecord.js'
import * as scripts from './scripts.js'
import type { JournalEntry, JournalStore } from './types.js'

const bigintJson = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))
const parseBigintJson = <T>(text: string): T =>
  JSON.parse(text, (_key, v: unknown) => (typeof v === 'string' && /^-?[0-9]+n$/.test(v) ? BigInt(v.slice(0, -1)) : v))

/** Relayer journals on Redis, one hash per relayer in its chain's slot, beside its lease. */
export function createRedisJournalStore(ctx: RedisContext): JournalStore {
  const { driver, keys, run } = ctx
  return {
    async recordTransaction(entry, fence, claimOwner) {
      const hash = entry.transactions.at(-1)?.hash ?? ''
      const q = keys.queue(entry.chainId)
      const lease = keys.lease(fence.name)
      if (!lease.startsWith(q.base)) throw new Error(`lease ${fence.name} does not fence chain ${entry.chainId}`)
      // Replicated before the broadcast: the journal is what the key's next holder recovers from.
      const result = (await driver.eval(
        scripts.RECORD,
        [lease, `${q.base}journal:${entry.relayer.toLowerCase()}`, q.ready, q.claimed, q.busy],
        [q.base, fence.owner, entry.nonce, bigintJson(entry), hash, claimOwner ?? '', ...entry.requestIds],
        { replicate: true },
      )) as [string, unknown?]
      if (result[0] === 'LEASE') return { ok: false, reason: 'lease' }
      if (result[0] === 'CLAIM') return { ok: false, reason: 'claim', ids: (result[1] as string[]).map(String) }
      for (const flat of (result[1] as Flat[] | undefined) ?? []) ctx.emit(toRecord(flat))
      return { ok: true }
    },

    async journal(chainId, relayer) {
      const c = keys.chain(chainId)
      const values = (await run(scripts.JOURNAL, [`${c}journal:${relayer.toLowerCase()}`], c)) as string[]
      return values.map((v) => parseBigintJson<JournalEntry>(String(v))).sort((a, b) => a.nonce - b.nonce)
    },

    async removeTransaction(chainId, relayer, nonce, fence) {
      const c = keys.chain(chainId)
      const declared = [keys.lease(fence.name), `${c}journal:${relayer.toLowerCase()}`]
      return Number(await run(scripts.REMOVE_TX, declared, c, fence.owner, nonce)) === 1
    },
  }
}

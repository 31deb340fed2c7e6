import { EventEmitter } from 'node:events'
import * as admissionScripts from '../admission/scripts.js'
import { createPoller } from '../poller.js'
import { chainOfRequestId, type StoredRequest, utcDay } from '../records.js'
import type { RedisContext } from '../redisContext.js'
import { byChain, type Flat, toRecord } from '../redisRecord.js'
import { isFinalStatus } from '../status.js'
import * as scripts from './scripts.js'
import type { RequestStore } from './types.js'

export interface RedisRequestStore extends RequestStore {
  /** Tells this instance's subscribers of a change made by another concern's script (the journal's). */
  emit(record: StoredRequest): void
  /** Stops polling and drops every subscription. */
  stop(): void
}

/**
 * Request records on Redis. Subscriptions see changes made by this instance at once and by others
 * within `pollIntervalMs` (default 500 ms).
 */
export function createRedisRequestStore(
  ctx: Omit<RedisContext, 'emit'>,
  options: { pollIntervalMs?: number; retentionMs: number },
): RedisRequestStore {
  const { keys, run } = ctx
  const events = new EventEmitter()
  events.setMaxListeners(0)
  const watched = new Map<string, string>() // id → updatedAt last emitted
  let closed = false

  const emit = (record: StoredRequest) => {
    if (watched.has(record.id)) watched.set(record.id, String(record.updatedAt))
    events.emit(record.id, record)
  }
  const poll = async () => {
    const ids = [...watched.keys()]
    if (ids.length === 0) return
    const seen = new Map<string, string>()
    await Promise.all(
      [...byChain(ids, chainOfRequestId)].map(async ([chainId, group]) => {
        const base = keys.chain(chainId)
        const result = (await run(scripts.STATUSES, [`${base}req:${group[0]}`], base, ...group)) as [string, string][]
        for (const [i, id] of group.entries()) seen.set(id, String(result[i]?.[1] ?? ''))
      }),
    )
    await Promise.all(
      ids.map(async (id) => {
        const updatedAt = seen.get(id) ?? ''
        if (updatedAt === '' || watched.get(id) === updatedAt) return
        const record = await store.get(id)
        if (record) emit(record)
      }),
    )
  }
  const poller = createPoller(poll, options.pollIntervalMs ?? 500, () => !closed && watched.size > 0)

  const store: RedisRequestStore = {
    emit,

    stop() {
      closed = true
      poller.stop()
      events.removeAllListeners()
    },

    async get(id) {
      const reqKey = keys.request(id)
      if (!reqKey) return undefined
      const flat = (await run(scripts.GET, [reqKey], '')) as Flat
      return flat.length === 0 ? undefined : toRecord(flat)
    },

    async update(id, update) {
      const chainId = chainOfRequestId(id)
      if (chainId === undefined) throw new Error(`unknown request ${id}`)
      const q = keys.queue(chainId)
      const result = (await run(
        scripts.UPDATE,
        [`${q.base}req:${id}`, q.ready, q.claimed, q.busy],
        q.base,
        id,
        update.status,
        update.txHash ?? '',
        update.blockNumber === undefined ? '' : String(update.blockNumber),
        update.error?.code ?? '',
        update.error?.message ?? '',
        update.spentWei === undefined ? '' : String(update.spentWei),
        options.retentionMs,
      )) as [string, Flat?, string[]?]
      if (result[0] === 'MISSING') throw new Error(`unknown request ${id}`)
      const record = toRecord(result[1])
      const [reserved, budgetDay, spent] = (result[2] ?? []).map(String)
      if (result[0] === 'OK' && spent) {
        // Booked once: only the update that made the request final gets here. A reservation
        // settles on its own day; gas without one counts on the day it is paid.
        const s = keys.site(record.siteKey)
        const day = reserved ? (budgetDay as string) : utcDay(Date.now())
        await run(admissionScripts.SETTLE, [`${s}budget:${day}`, `${s}spent:${day}`], s, reserved ?? '', spent)
      }
      if (result[0] === 'OK') emit(record)
      return record
    },

    async subscribe(id, listener) {
      events.on(id, listener)
      if (!watched.has(id)) watched.set(id, '')
      poller.schedule()
      return async () => {
        events.off(id, listener)
        if (events.listenerCount(id) === 0) watched.delete(id)
      }
    },

    async pendingCount(chainId, from) {
      return (await store.pendingNonces(chainId, from)).length
    },

    async pendingNonces(chainId, from) {
      const c = keys.chain(chainId)
      const nonces = ((await run(scripts.PENDING_NONCES, [`${c}nonces:${from.toLowerCase()}`], c)) as string[]).map(
        BigInt,
      )
      return nonces.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    },

    async pendingRequests(chainId, from, limit) {
      const c = keys.chain(chainId)
      const flat = (await run(scripts.PENDING_IDS, [`${c}nonces:${from.toLowerCase()}`], c)) as string[]
      const byNonce: [bigint, string][] = []
      for (let i = 0; i + 1 < flat.length; i += 2) byNonce.push([BigInt(flat[i] as string), flat[i + 1] as string])
      byNonce.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      const records = await Promise.all(byNonce.slice(0, Math.max(0, limit)).map(([, id]) => store.get(id)))
      // A request may have settled between the two reads: only the still pending ones count.
      return records.filter((r): r is StoredRequest => r !== undefined && !isFinalStatus(r.status))
    },
  }
  return store
}

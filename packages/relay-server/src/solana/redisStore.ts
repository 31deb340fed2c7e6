import { EventEmitter } from 'node:events'
import { ADMIT, COUNTER_TTL_SECONDS, ENQUEUE_SOLANA, UNADMIT, UNRESERVE } from '../store/admission/scripts.js'
import { redisKeyLayout } from '../store/keyLayout.js'
import { createPoller } from '../store/poller.js'
import type { RedisDriver } from '../store/redisDriver.js'
import { DEFAULT_FINAL_RETENTION_MS, type RequestStatus } from '../store/status.js'
import * as scripts from './scripts.js'
import { type SolanaRequestRecord, type SolanaStore, signatureGuardMs } from './store.js'

export interface RedisSolanaStoreOptions {
  /** Prefix of every key (default `tt:`): the Solana keys are `{prefix}{sol}:sol:…`, a site's lamports `{prefix}{s<siteKey>}:sol:budget:<day>`. */
  prefix?: string
  /** How often subscriptions look for changes made by other instances (default 500 ms). */
  pollIntervalMs?: number
  /** How long a final record stays readable (default {@link DEFAULT_FINAL_RETENTION_MS}); Redis expires it. */
  finalRetentionMs?: number
}

function toRecord(flat: unknown): SolanaRequestRecord {
  const list = flat as unknown[]
  const f = new Map<string, string>()
  for (let i = 0; i + 1 < list.length; i += 2) f.set(String(list[i]), String(list[i + 1]))
  const need = (key: string) => {
    const value = f.get(key)
    if (value === undefined) throw new Error(`stored solana request lacks ${key}`)
    return value
  }
  const record: SolanaRequestRecord = {
    id: need('id'),
    siteKey: need('siteKey'),
    wallet: need('wallet'),
    signature: need('signature'),
    transaction: need('transaction'),
    blockhash: need('blockhash'),
    lamports: BigInt(need('lamports')),
    status: need('status') as RequestStatus,
    createdAt: Number(need('createdAt')),
    updatedAt: Number(need('updatedAt')),
  }
  const slot = f.get('slot')
  if (slot) record.slot = BigInt(slot)
  const code = f.get('errorCode')
  if (code) record.error = { code, message: f.get('errorMessage') ?? '' }
  return record
}

/**
 * A `SolanaStore` on a {@link RedisDriver} (the `redis`, `redis-cluster` and `upstash` adapters):
 * `admit` is the site's step then the `{sol}` slot's (`../store/admission/scripts.ts`), `update` one
 * Lua script (`./scripts.ts`). Subscriptions see this instance's changes at
 * once and other instances' within `pollIntervalMs`. `close` stops polling and leaves the driver
 * open: whoever made the driver (`createStores`) closes it.
 */
export function createRedisLikeSolanaStore(
  driver: RedisDriver,
  kind: string,
  options: RedisSolanaStoreOptions = {},
): SolanaStore {
  // Every Solana key shares one hash tag: the replay guard, the pending set and the wallet counters
  // are checked together by one script, so on a cluster they are one slot (one shard's load). A
  // site's lamports budget and its pause flag are in the site's slot, beside its EVM ones.
  const prefix = options.prefix ?? 'tt:'
  const p = `${prefix}{sol}:`
  const { site, solanaBudget } = redisKeyLayout(prefix)
  const k = {
    req: (id: string) => `${p}sol:req:${id}`,
    sig: (signature: string) => `${p}sol:sig:${signature}`,
    pending: `${p}sol:pending`,
    wallet: (wallet: string, day: string) => `${p}sol:wallet:${wallet}:${day}`,
    budget: solanaBudget,
  }
  const pollMs = options.pollIntervalMs ?? 500
  const retentionMs = Math.max(1, Math.round(options.finalRetentionMs ?? DEFAULT_FINAL_RETENTION_MS))
  const guardMs = signatureGuardMs(retentionMs)
  const events = new EventEmitter()
  events.setMaxListeners(0)
  const watched = new Map<string, number>() // id → change counter (`v`) last emitted
  let closed = false
  const run = (script: string, declared: readonly string[], ...args: (string | number)[]) =>
    driver.eval(script, declared, [p, ...args])

  /** Emits each change once and in order, whether this instance made it or a poll found it. */
  const emit = (record: SolanaRequestRecord, version: number) => {
    const last = watched.get(record.id)
    if (last !== undefined) {
      if (version <= last) return
      watched.set(record.id, version)
    }
    events.emit(record.id, record)
  }
  const versionOf = (flat: unknown) => {
    const list = flat as unknown[]
    for (let i = 0; i + 1 < list.length; i += 2) if (String(list[i]) === 'v') return Number(list[i + 1])
    return 0
  }
  const poll = async () => {
    const ids = [...watched.keys()]
    if (ids.length === 0) return
    const versions = (await run(scripts.VERSIONS, [k.pending], ...ids)) as unknown[]
    await Promise.all(
      ids.map(async (id, i) => {
        const version = String(versions[i] ?? '')
        if (version === '' || Number(version) <= (watched.get(id) ?? 0)) return
        const flat = (await run(scripts.GET, [k.req(id)], id)) as unknown[]
        if (flat.length > 0 && !closed) emit(toRecord(flat), versionOf(flat))
      }),
    )
  }
  const poller = createPoller(poll, pollMs, () => !closed && watched.size > 0)

  return {
    kind,

    async admit(request, limits) {
      const fields = [
        ['id', request.id],
        ['siteKey', request.siteKey],
        ['wallet', request.wallet],
        ['signature', request.signature],
        ['transaction', request.transaction],
        ['blockhash', request.blockhash],
        ['lamports', String(request.lamports)],
      ].flat()
      const lamports = String(request.lamports)
      // Two slots, two steps, as an EVM enqueue: the site's (pause, lamports budget) admits, the
      // `{sol}` slot stores. A refusal there gives the admission back; a crash in between leaves one
      // request's reservation counted until its day's counter expires (never a request over budget).
      const s = site(request.siteKey)
      const siteKeys = [`${s}site`, `${s}quota:`, k.budget(request.siteKey, limits.day)]
      const admittedSite = String(
        await driver.eval(ADMIT, siteKeys, [s, '', 0, 0, '1', String(limits.siteLamportsPerDay), lamports]),
      )
      if (admittedSite === 'PAUSED') return { ok: false, reason: 'SITE_PAUSED' }
      if (admittedSite === 'BUDGET') return { ok: false, reason: 'SITE_BUDGET' }
      // Replicated before the answer, as an EVM enqueue: an accepted transaction outlives its master.
      const result = (await driver.eval(
        ENQUEUE_SOLANA,
        [k.req(request.id), k.sig(request.signature), k.wallet(request.wallet, limits.day), k.pending],
        [p, request.id, limits.day, limits.walletRequestsPerDay, COUNTER_TTL_SECONDS, ...fields],
        { replicate: true },
      )) as [string, unknown?]
      if (String(result[0]) === 'OK') return { ok: true, record: toRecord(result[1]) }
      await driver.eval(UNADMIT, siteKeys.slice(1), [s, '', '1', lamports])
      switch (String(result[0])) {
        case 'DUPLICATE':
          return { ok: false, reason: 'DUPLICATE', existingId: String(result[1]) }
        case 'QUOTA':
          return { ok: false, reason: 'WALLET_QUOTA' }
        default:
          throw new Error(`solana request id ${request.id} already exists`)
      }
    },

    async findBySignature(signature) {
      const id = String((await run(scripts.FIND, [k.sig(signature)], signature)) ?? '')
      return id === '' ? undefined : id
    },

    async get(id) {
      const flat = (await run(scripts.GET, [k.req(id)], id)) as unknown[]
      return flat.length === 0 ? undefined : toRecord(flat)
    },

    async update(id, update) {
      const result = (await run(
        scripts.UPDATE,
        [k.req(id), k.pending],
        id,
        update.status,
        update.slot === undefined ? '' : String(update.slot),
        update.error?.code ?? '',
        update.error?.message ?? '',
        retentionMs,
        guardMs,
      )) as [string, unknown?]
      if (String(result[0]) === 'MISSING') throw new Error(`unknown solana request ${id}`)
      const record = toRecord(result[1])
      if (String(result[0]) === 'OK') emit(record, versionOf(result[1]))
      return record
    },

    async release(id) {
      const [released, siteKey, day, lamports] = (await run(scripts.RELEASE, [k.req(id)], id)) as unknown[]
      if (Number(released) !== 1) return false
      // Marked released in the `{sol}` slot first, so the lamports go back at most once; a crash
      // between the two leaves them counted until the day's counter expires (never over budget).
      if (siteKey !== undefined) {
        const budget = k.budget(String(siteKey), String(day))
        await driver.eval(UNRESERVE, [budget], [site(String(siteKey)), String(lamports)])
      }
      return true
    },

    async subscribe(id, listener) {
      events.on(id, listener)
      if (!watched.has(id)) watched.set(id, 0)
      poller.schedule()
      return async () => {
        events.off(id, listener)
        if (events.listenerCount(id) === 0) watched.delete(id)
      }
    },

    async pending() {
      return ((await run(scripts.PENDING, [k.pending])) as unknown[]).map(toRecord)
    },

    async usage(siteKey, wallet, day) {
      // Two slots: the site's lamports and the wallet's requests are read apart.
      const [lamports, requests] = await Promise.all([
        driver.eval(scripts.COUNTER, [k.budget(siteKey, day)], [site(siteKey)]),
        run(scripts.COUNTER, [k.wallet(wallet, day)]),
      ])
      return { siteLamports: BigInt(String(lamports)), walletRequests: Number(requests) }
    },

    async close() {
      closed = true
      poller.stop()
      watched.clear()
      events.removeAllListeners()
    },
  }
}

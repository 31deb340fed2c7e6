import { EventEmitter } from 'node:events'
import { RateLimiterRedis } from 'rate-limiter-flexible'
import type { Address, Hex } from 'viem'
import { createRedisLikeSolanaStore } from '../solana/redisStore.js'
import { connectRedisClusterDriver, connectRedisDriver, createUpstashDriver } from './drivers.js'
import { wrapLimiter } from './memory.js'
import { createPoller } from './poller.js'
import type { RedisDriver } from './redisDriver.js'
import * as scripts from './scripts.js'
import { DEFAULT_FINAL_RETENTION_MS, isFinalStatus, type RequestStatus } from './status.js'
import {
  BudgetExceededError,
  type ClaimOptions,
  chainOfRequestId,
  DuplicateNonceError,
  IpInFlightError,
  type JournalEntry,
  type LeaseFence,
  type NewRequest,
  type QueueStats,
  QuotaExceededError,
  type RateLimiter,
  type RateLimiterOptions,
  type RecordResult,
  type RelayStore,
  SenderInFlightError,
  SitePausedError,
  type SiteState,
  type StatusListener,
  type StatusUpdate,
  type StoredRequest,
  StoreUnavailableError,
  utcDay,
} from './types.js'

export interface RedisLikeStoreOptions {
  /** Prefix of every key (default `tt:`), so one Redis can hold several relays' data. */
  prefix?: string
  /** How often subscriptions look for changes made by other instances (default 500 ms). */
  pollIntervalMs?: number
  /** How long a final record stays readable (default {@link DEFAULT_FINAL_RETENTION_MS}); Redis expires it. */
  finalRetentionMs?: number
}

export interface RedisStoreOptions extends RedisLikeStoreOptions {
  /** `redis://[:password@]host:port[/db]` or `rediss://…`. */
  url: string
  /** Per-command timeout; a command past it fails (and the API answers 503). Default 2000 ms. */
  commandTimeoutMs?: number
}

export interface RedisClusterStoreOptions extends RedisLikeStoreOptions {
  /** Seed nodes, `host:port` each (`REDIS_CLUSTER_NODES`); the client finds the others. */
  nodes: readonly string[]
  /** Password of every node (`REDIS_CLUSTER_PASSWORD`). */
  password?: string
  /** TLS towards every node (`REDIS_CLUSTER_TLS=1`); `true` uses Node's defaults. */
  tls?: boolean
  /** Per-command timeout; a command past it fails (and the API answers 503). Default 2000 ms. */
  commandTimeoutMs?: number
}

export interface UpstashStoreOptions extends RedisLikeStoreOptions {
  /** `UPSTASH_REDIS_REST_URL`. */
  url: string
  /** `UPSTASH_REDIS_REST_TOKEN`. */
  token: string
}

/** TCP Redis through ioredis. Connects before resolving; commands fail fast while disconnected. */
export async function createRedisStore(options: RedisStoreOptions): Promise<RelayStore> {
  return createRedisLikeStore(await connectRedisDriver(options), 'redis', options)
}

/**
 * A Redis Cluster through ioredis' `Cluster` client. Every script of the relay stays in one hash
 * slot (see `./scripts.ts`), so the client sends each to the master serving it, and follows the
 * cluster through resharding and failover (MOVED, ASK, a replica promoted).
 */
export async function createRedisClusterStore(options: RedisClusterStoreOptions): Promise<RelayStore> {
  return createRedisLikeStore(await connectRedisClusterDriver(options), 'redis-cluster', options)
}

/** Upstash Redis over its REST API (`@upstash/redis`); the same scripts as the TCP adapter. */
export function createUpstashStore(options: UpstashStoreOptions): RelayStore {
  return createRedisLikeStore(createUpstashDriver(options), 'upstash', options)
}

type Flat = string[]

function toMap(flat: unknown): Map<string, string> {
  const map = new Map<string, string>()
  const list = flat as Flat
  for (let i = 0; i + 1 < list.length; i += 2) map.set(String(list[i]), String(list[i + 1]))
  return map
}

function toRecord(flat: unknown): StoredRequest {
  const f = toMap(flat)
  const need = (key: string) => {
    const value = f.get(key)
    if (value === undefined) throw new Error(`stored request lacks ${key}`)
    return value
  }
  const record: StoredRequest = {
    id: need('id'),
    chainId: Number(need('chainId')),
    siteKey: need('siteKey'),
    request: {
      from: need('from') as Address,
      to: need('to') as Address,
      value: BigInt(need('value')),
      gas: BigInt(need('gas')),
      nonce: BigInt(need('nonce')),
      deadline: BigInt(need('deadline')),
      data: need('data') as Hex,
    },
    signature: need('signature') as Hex,
    status: need('status') as RequestStatus,
    createdAt: Number(need('createdAt')),
    updatedAt: Number(need('updatedAt')),
  }
  const txHash = f.get('txHash')
  if (txHash) record.txHash = txHash as Hex
  const blockNumber = f.get('blockNumber')
  if (blockNumber) record.blockNumber = BigInt(blockNumber)
  const code = f.get('errorCode')
  if (code) record.error = { code, message: f.get('errorMessage') ?? '' }
  const reserved = f.get('reservedWei')
  if (reserved) record.reservedWei = BigInt(reserved)
  const day = f.get('budgetDay')
  if (day) record.budgetDay = day
  const spent = f.get('spentWei')
  if (spent) record.spentWei = BigInt(spent)
  const measured = f.get('measuredGas')
  if (measured) record.measuredGas = BigInt(measured)
  return record
}

const bigintJson = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))
const parseBigintJson = <T>(text: string): T =>
  JSON.parse(text, (_key, v: unknown) => (typeof v === 'string' && /^-?[0-9]+n$/.test(v) ? BigInt(v.slice(0, -1)) : v))

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
    /** EVM request ids start with their chain id (`newRequestId`): it names the record's slot. */
    request(id: string): string | undefined {
      const chainId = chainOfRequestId(id)
      return chainId === undefined ? undefined : `${chain(chainId)}req:${id}`
    },
    /** Leases named `<word>:<chainId>[:…]` (relayer keys, `want:`) live in that chain's slot: journal writes check them. */
    lease(name: string): string {
      const bound = /^[a-z]+:([0-9]{1,12})(?::|$)/.exec(name)
      return bound ? `${chain(bound[1] as string)}lease:${name}` : `${prefix}{l${name}}:lease`
    },
    probe: `${prefix}{health}:probe`,
  }
}

/**
 * The Redis data model shared by the `redis`, `redis-cluster` and `upstash` adapters (see README,
 * "Store"). Subscriptions see changes made by this instance at once and by others within `pollIntervalMs`.
 */
export function createRedisLikeStore(
  driver: RedisDriver,
  kind: string,
  options: RedisLikeStoreOptions = {},
): RelayStore {
  const p = options.prefix ?? 'tt:'
  const keys = redisKeyLayout(p)
  const pollMs = options.pollIntervalMs ?? 500
  const retentionMs = Math.max(1, Math.round(options.finalRetentionMs ?? DEFAULT_FINAL_RETENTION_MS))
  const events = new EventEmitter()
  events.setMaxListeners(0)
  const watched = new Map<string, string>() // id → updatedAt last emitted
  let closed = false
  /** Runs a script in one slot: `base` is the tagged prefix its dynamic keys are built from. */
  const run = (script: string, declared: readonly string[], base: string, ...args: (string | number)[]) =>
    driver.eval(script, declared, [base, ...args])
  const queueKeys = (chainId: number) => {
    const c = keys.chain(chainId)
    return { base: c, ready: `${c}ready`, claimed: `${c}claimed`, busy: `${c}busy` }
  }
  /** Ids grouped by the chain their record lives on; ids of no chain are left out (they name no record). */
  const byChain = (ids: readonly string[]) => {
    const groups = new Map<number, string[]>()
    for (const id of ids) {
      const chainId = chainOfRequestId(id)
      if (chainId === undefined) continue
      groups.set(chainId, [...(groups.get(chainId) ?? []), id])
    }
    return groups
  }

  const emit = (record: StoredRequest) => {
    if (watched.has(record.id)) watched.set(record.id, String(record.updatedAt))
    events.emit(record.id, record)
  }
  const poll = async () => {
    const ids = [...watched.keys()]
    if (ids.length === 0) return
    const seen = new Map<string, string>()
    await Promise.all(
      [...byChain(ids)].map(async ([chainId, group]) => {
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
  const poller = createPoller(poll, pollMs, () => !closed && watched.size > 0)

  const store: RelayStore = {
    kind,

    async enqueue(input: NewRequest) {
      const { request } = input
      const sender = request.from.toLowerCase()
      const reqKey = keys.request(input.id)
      if (chainOfRequestId(input.id) !== input.chainId || !reqKey) {
        throw new Error(`request id ${input.id} does not start with its chain id ${input.chainId} (newRequestId)`)
      }
      const fields = [
        ['id', input.id],
        ['chainId', String(input.chainId)],
        ['siteKey', input.siteKey],
        ['sender', sender],
        ['from', request.from],
        ['to', request.to],
        ['value', String(request.value)],
        ['gas', String(request.gas)],
        ['nonce', String(request.nonce)],
        ['deadline', String(request.deadline)],
        ['data', request.data],
        ['signature', input.signature],
        ...(input.measuredGas === undefined ? [] : [['measuredGas', String(input.measuredGas)]]),
      ].flat()
      const { quota, reservation } = input
      if (reservation && reservation.amountWei > reservation.limitWei) {
        throw new BudgetExceededError(`the site's daily gas budget is used up`)
      }
      const c = keys.chain(input.chainId)
      // Two slots, two steps: the site's (pause, quota, budget) admits, the chain's stores. A
      // request the chain's step refuses gives its admission back; a crash in between leaves at
      // most one request's reservation counted until its day ends (never a request over budget).
      const s = keys.site(input.siteKey)
      const siteKeys = [`${s}site`, `${s}quota:${quota?.key ?? ''}`, `${s}budget:${reservation?.day ?? ''}`]
      const quotaOn = quota ? '1' : ''
      const budgetOn = reservation ? '1' : ''
      const amount = String(reservation?.amountWei ?? 0n)
      const admitted = String(
        await run(
          scripts.ADMIT,
          siteKeys,
          s,
          quotaOn,
          quota?.limit ?? 0,
          quota?.ttlSeconds ?? 0,
          budgetOn,
          String(reservation?.limitWei ?? 0n),
          amount,
        ),
      )
      switch (admitted) {
        case 'OK':
          break
        case 'QUOTA':
          throw new QuotaExceededError(`the sender used its quota of ${quota?.limit} requests`)
        case 'BUDGET':
          throw new BudgetExceededError(`the site's daily gas budget is used up`)
        default:
          throw new SitePausedError(`site ${input.siteKey} is paused`)
      }
      // Replicated before the 202: a master dying right after cannot take an accepted request with it.
      const limits = input.inFlight
      const ipKey = limits?.ipKey ?? ''
      const result = (await driver.eval(
        scripts.ENQUEUE,
        [reqKey, `${c}nonces:${sender}`, `${c}ready`, `${c}seq`, `${c}ipflight:${ipKey}`],
        [
          c,
          input.id,
          String(request.nonce),
          reservation?.day ?? '',
          amount,
          limits?.maxPerSender === undefined ? '' : String(limits.maxPerSender),
          ipKey,
          limits?.maxPerIp === undefined ? '' : String(limits.maxPerIp),
          ...fields,
        ],
        { replicate: true },
      )) as [string, Flat?]
      if (result[0] === 'OK') return toRecord(result[1])
      await run(scripts.UNADMIT, siteKeys.slice(1), s, quotaOn, budgetOn, amount)
      if (result[0] === 'DUPLICATE') {
        throw new DuplicateNonceError(`nonce ${request.nonce} of ${request.from} is already pending`)
      }
      if (result[0] === 'SENDER_LIMIT') {
        throw new SenderInFlightError(`the sender has ${limits?.maxPerSender} requests in flight already`)
      }
      if (result[0] === 'IP_LIMIT') {
        throw new IpInFlightError(`the address has ${limits?.maxPerIp} requests in flight already`)
      }
      throw new Error(`request id ${input.id} already exists`)
    },

    async claimBatch(chainId: number, { max, leaseMs, owner }: ClaimOptions) {
      const q = queueKeys(chainId)
      const result = (await run(
        scripts.CLAIM,
        [q.ready, q.claimed, q.busy],
        q.base,
        max,
        Math.max(1, Math.round(leaseMs)),
        owner ?? '',
        Math.max(100, max * 20),
      )) as Flat[]
      return result.map(toRecord)
    },

    async release(ids: readonly string[]) {
      await Promise.all(
        [...byChain(ids)].map(([chainId, group]) => {
          const q = queueKeys(chainId)
          return run(scripts.RELEASE, [q.ready, q.claimed, q.busy], q.base, ...group)
        }),
      )
    },

    async get(id: string) {
      const reqKey = keys.request(id)
      if (!reqKey) return undefined
      const flat = (await run(scripts.GET, [reqKey], '')) as Flat
      return flat.length === 0 ? undefined : toRecord(flat)
    },

    async update(id: string, update: StatusUpdate) {
      const chainId = chainOfRequestId(id)
      if (chainId === undefined) throw new Error(`unknown request ${id}`)
      const q = queueKeys(chainId)
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
        retentionMs,
      )) as [string, Flat?, string[]?]
      if (result[0] === 'MISSING') throw new Error(`unknown request ${id}`)
      const record = toRecord(result[1])
      const [reserved, budgetDay, spent] = (result[2] ?? []).map(String)
      if (result[0] === 'OK' && spent) {
        // Booked once: only the update that made the request final gets here. A reservation
        // settles on its own day; gas without one counts on the day it is paid.
        const s = keys.site(record.siteKey)
        const day = reserved ? (budgetDay as string) : utcDay(Date.now())
        await run(scripts.SETTLE, [`${s}budget:${day}`, `${s}spent:${day}`], s, reserved ?? '', spent)
      }
      if (result[0] === 'OK') emit(record)
      return record
    },

    async subscribe(id: string, listener: StatusListener) {
      events.on(id, listener)
      if (!watched.has(id)) watched.set(id, '')
      poller.schedule()
      return async () => {
        events.off(id, listener)
        if (events.listenerCount(id) === 0) watched.delete(id)
      }
    },

    async pendingCount(chainId: number, from: Address) {
      return (await store.pendingNonces(chainId, from)).length
    },

    async pendingNonces(chainId: number, from: Address) {
      const c = keys.chain(chainId)
      const nonces = ((await run(scripts.PENDING_NONCES, [`${c}nonces:${from.toLowerCase()}`], c)) as string[]).map(
        BigInt,
      )
      return nonces.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    },

    async pendingRequests(chainId: number, from: Address, limit: number) {
      const c = keys.chain(chainId)
      const flat = (await run(scripts.PENDING_IDS, [`${c}nonces:${from.toLowerCase()}`], c)) as string[]
      const byNonce: [bigint, string][] = []
      for (let i = 0; i + 1 < flat.length; i += 2) byNonce.push([BigInt(flat[i] as string), flat[i + 1] as string])
      byNonce.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      const records = await Promise.all(byNonce.slice(0, Math.max(0, limit)).map(([, id]) => store.get(id)))
      // A request may have settled between the two reads: only the still pending ones count.
      return records.filter((r): r is StoredRequest => r !== undefined && !isFinalStatus(r.status))
    },

    async queueStats(chainId: number): Promise<QueueStats> {
      const q = queueKeys(chainId)
      const [depth, oldest] = (await run(scripts.QUEUE_STATS, [q.ready, q.claimed], q.base)) as [number, string]
      return oldest === '' ? { depth: Number(depth) } : { depth: Number(depth), oldestAt: Number(oldest) }
    },

    async ping() {
      // A script round trip on a tagged key, not a PING: a server that answers but cannot run the
      // relay's scripts (scripting off, keys in slots it does not serve) is not a working store.
      const token = String(Date.now())
      const answer = await run(scripts.PROBE, [keys.probe], '', token)
      if (String(answer) !== token) throw new StoreUnavailableError(`${kind} store answered the probe with ${answer}`)
    },

    async close() {
      closed = true
      poller.stop()
      events.removeAllListeners()
      await driver.close()
    },

    async acquireLease(name: string, owner: string, ttlMs: number) {
      return Number(await run(scripts.ACQUIRE, [keys.lease(name)], '', owner, Math.round(ttlMs))) === 1
    },

    async renewLease(name: string, owner: string, ttlMs: number) {
      return Number(await run(scripts.RENEW, [keys.lease(name)], '', owner, Math.round(ttlMs))) === 1
    },

    async releaseLease(name: string, owner: string) {
      await run(scripts.RELEASE_LEASE, [keys.lease(name)], '', owner)
    },

    async leaseHolder(name: string) {
      const holder = String((await run(scripts.LEASE_HOLDER, [keys.lease(name)], '')) ?? '')
      return holder === '' ? undefined : holder
    },

    async recordTransaction(entry: JournalEntry, fence: LeaseFence, claimOwner?: string): Promise<RecordResult> {
      const hash = entry.transactions.at(-1)?.hash ?? ''
      const q = queueKeys(entry.chainId)
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
      for (const flat of (result[1] as Flat[] | undefined) ?? []) emit(toRecord(flat))
      return { ok: true }
    },

    async journal(chainId: number, relayer: Address) {
      const c = keys.chain(chainId)
      const values = (await run(scripts.JOURNAL, [`${c}journal:${relayer.toLowerCase()}`], c)) as string[]
      return values.map((v) => parseBigintJson<JournalEntry>(String(v))).sort((a, b) => a.nonce - b.nonce)
    },

    async removeTransaction(chainId: number, relayer: Address, nonce: number, fence: LeaseFence) {
      const c = keys.chain(chainId)
      const declared = [keys.lease(fence.name), `${c}journal:${relayer.toLowerCase()}`]
      return Number(await run(scripts.REMOVE_TX, declared, c, fence.owner, nonce)) === 1
    },

    async siteState(siteKey: string, day: string): Promise<SiteState> {
      const s = keys.site(siteKey)
      const declared = [`${s}site`, `${s}budget:${day}`, `${s}spent:${day}`]
      const [paused, used, spent] = (await run(scripts.SITE_STATE, declared, s)) as [string, string, string]
      return { paused: String(paused) === '1', usedWei: BigInt(used), spentWei: BigInt(spent) }
    },

    async setSitePaused(siteKey: string, paused: boolean) {
      const s = keys.site(siteKey)
      await run(scripts.SET_PAUSED, [`${s}site`], s, paused ? '1' : '0')
    },

    solanaStore() {
      // Same driver and prefix; its close leaves the driver to this store's close.
      return createRedisLikeSolanaStore(driver, kind, {
        prefix: p,
        pollIntervalMs: pollMs,
        finalRetentionMs: retentionMs,
      })
    },

    rateLimiter(options: RateLimiterOptions): RateLimiter {
      // rate-limiter-flexible's own script and algorithm, sent through this store's driver with its
      // one key declared: on a cluster it runs on the node serving that key's slot, which is what its
      // cluster mode does; TCP Redis and Upstash alike. Its node-redis calling convention is the simplest to adapt.
      const client = {
        isReady: true,
        eval: (script: string, call: { keys: string[]; arguments: string[] }) =>
          driver.eval(script, [`${p}rl:${call.keys[0]}`], call.arguments),
      }
      return wrapLimiter(
        new RateLimiterRedis({
          storeClient: client,
          useRedisPackage: true,
          keyPrefix: options.keyPrefix,
          points: options.points,
          duration: options.durationSeconds,
        }),
      )
    },
  }
  return store
}

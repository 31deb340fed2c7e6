import { createHash } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { Redis as UpstashClient } from '@upstash/redis'
import { Redis as IORedis } from 'ioredis'
import { RateLimiterRedis } from 'rate-limiter-flexible'
import type { Address, Hex } from 'viem'
import { createRedisLikeSolanaStore } from '../solana/redisStore.js'
import { wrapLimiter } from './memory.js'
import { createPoller } from './poller.js'
import * as scripts from './scripts.js'
import {
  BudgetExceededError,
  type ClaimOptions,
  DEFAULT_FINAL_RETENTION_MS,
  DuplicateNonceError,
  type JournalEntry,
  type LeaseFence,
  type NewRequest,
  type QueueStats,
  QuotaExceededError,
  type RateLimiter,
  type RateLimiterOptions,
  type RecordResult,
  type RelayStore,
  type RequestStatus,
  SitePausedError,
  type SiteState,
  type StatusListener,
  type StatusUpdate,
  type StoredRequest,
  StoreUnavailableError,
  utcDay,
} from './types.js'

/** The one thing the shared Redis logic needs from a client: run a Lua script. */
export interface RedisDriver {
  eval(script: string, args: readonly (string | number)[]): Promise<unknown>
  ping(): Promise<void>
  close(): Promise<void>
}

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

export interface UpstashStoreOptions extends RedisLikeStoreOptions {
  /** `UPSTASH_REDIS_REST_URL`. */
  url: string
  /** `UPSTASH_REDIS_REST_TOKEN`. */
  token: string
}

const sha1s = new Map<string, string>()
/** The script's SHA1 for EVALSHA, hashed once per script (scripts are a few KB, sent thousands of times a second). */
function sha1(script: string): string {
  let sha = sha1s.get(script)
  if (sha === undefined) {
    sha = createHash('sha1').update(script).digest('hex')
    sha1s.set(script, sha)
  }
  return sha
}

function unavailable(kind: string, error: unknown): StoreUnavailableError {
  const message = error instanceof Error ? error.message.replaceAll(/\w+:\/\/\S+/g, '<url>') : String(error)
  return new StoreUnavailableError(`${kind} store unavailable: ${message.slice(0, 200)}`, { cause: error })
}

/** TCP Redis through ioredis. Connects before resolving; commands fail fast while disconnected. */
export async function createRedisStore(options: RedisStoreOptions): Promise<RelayStore> {
  const client = new IORedis(options.url, {
    lazyConnect: true,
    // Fail fast while disconnected instead of queueing: a 202 must never wait on a write that may never happen.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 2000,
    connectTimeout: 5000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1000),
  })
  client.on('error', () => {
    // Connection errors surface on the commands that need the connection; ioredis keeps reconnecting.
  })
  try {
    await client.connect()
  } catch (error) {
    client.disconnect()
    throw unavailable('redis', error)
  }
  const driver: RedisDriver = {
    async eval(script, args) {
      const sha = sha1(script)
      try {
        return await client.evalsha(sha, 0, ...args)
      } catch (error) {
        if (error instanceof Error && error.message.includes('NOSCRIPT')) {
          try {
            return await client.eval(script, 0, ...args)
          } catch (inner) {
            throw unavailable('redis', inner)
          }
        }
        throw unavailable('redis', error)
      }
    },
    async ping() {
      try {
        await client.ping()
      } catch (error) {
        throw unavailable('redis', error)
      }
    },
    async close() {
      client.disconnect()
    },
  }
  return createRedisLikeStore(driver, 'redis', options)
}

/** Upstash Redis over its REST API (`@upstash/redis`); the same scripts as the TCP adapter. */
export function createUpstashStore(options: UpstashStoreOptions): RelayStore {
  const client = new UpstashClient({
    url: options.url,
    token: options.token,
    retry: false,
    automaticDeserialization: false,
  })
  const driver: RedisDriver = {
    async eval(script, args) {
      const argv = args.map(String)
      try {
        return await client.evalsha(sha1(script), [], argv)
      } catch (error) {
        if (error instanceof Error && error.message.includes('NOSCRIPT')) {
          try {
            return await client.eval(script, [], argv)
          } catch (inner) {
            throw unavailable('upstash', inner)
          }
        }
        throw unavailable('upstash', error)
      }
    },
    async ping() {
      try {
        await client.ping()
      } catch (error) {
        throw unavailable('upstash', error)
      }
    },
    async close() {},
  }
  return createRedisLikeStore(driver, 'upstash', options)
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
  return record
}

const bigintJson = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))
const parseBigintJson = <T>(text: string): T =>
  JSON.parse(text, (_key, v: unknown) => (typeof v === 'string' && /^-?[0-9]+n$/.test(v) ? BigInt(v.slice(0, -1)) : v))

/**
 * The Redis data model shared by the `redis` and `upstash` adapters (see README, "Store").
 * Subscriptions see changes made by this instance at once and by others within `pollIntervalMs`.
 */
export function createRedisLikeStore(
  driver: RedisDriver,
  kind: string,
  options: RedisLikeStoreOptions = {},
): RelayStore {
  const p = options.prefix ?? 'tt:'
  const pollMs = options.pollIntervalMs ?? 500
  const retentionMs = Math.max(1, Math.round(options.finalRetentionMs ?? DEFAULT_FINAL_RETENTION_MS))
  const events = new EventEmitter()
  events.setMaxListeners(0)
  const watched = new Map<string, string>() // id → updatedAt last emitted
  let closed = false
  const run = (script: string, ...args: (string | number)[]) => driver.eval(script, [p, ...args])

  const emit = (record: StoredRequest) => {
    if (watched.has(record.id)) watched.set(record.id, String(record.updatedAt))
    events.emit(record.id, record)
  }
  const poll = async () => {
    const ids = [...watched.keys()]
    if (ids.length === 0) return
    const result = (await run(scripts.STATUSES, ...ids)) as [string, string][]
    await Promise.all(
      ids.map(async (id, i) => {
        const updatedAt = result[i]?.[1] ?? ''
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
      const fields = [
        ['id', input.id],
        ['chainId', String(input.chainId)],
        ['siteKey', input.siteKey],
        ['sender', request.from.toLowerCase()],
        ['from', request.from],
        ['to', request.to],
        ['value', String(request.value)],
        ['gas', String(request.gas)],
        ['nonce', String(request.nonce)],
        ['deadline', String(request.deadline)],
        ['data', request.data],
        ['signature', input.signature],
      ].flat()
      const { quota, reservation } = input
      if (reservation && reservation.amountWei > reservation.limitWei) {
        throw new BudgetExceededError(`the site's daily gas budget is used up`)
      }
      const result = (await run(
        scripts.ENQUEUE,
        input.id,
        input.chainId,
        request.from.toLowerCase(),
        String(request.nonce),
        input.siteKey,
        quota?.key ?? '',
        quota?.limit ?? 0,
        quota?.ttlSeconds ?? 0,
        reservation?.day ?? '',
        String(reservation?.limitWei ?? 0n),
        String(reservation?.amountWei ?? 0n),
        ...fields,
      )) as [string, Flat?]
      switch (result[0]) {
        case 'OK':
          return toRecord(result[1])
        case 'DUPLICATE':
          throw new DuplicateNonceError(`nonce ${request.nonce} of ${request.from} is already pending`)
        case 'QUOTA':
          throw new QuotaExceededError(`the sender used its quota of ${quota?.limit} requests`)
        case 'BUDGET':
          throw new BudgetExceededError(`the site's daily gas budget is used up`)
        case 'PAUSED':
          throw new SitePausedError(`site ${input.siteKey} is paused`)
        default:
          throw new Error(`request id ${input.id} already exists`)
      }
    },

    async claimBatch(chainId: number, { max, leaseMs, owner }: ClaimOptions) {
      const result = (await run(
        scripts.CLAIM,
        chainId,
        max,
        Math.max(1, Math.round(leaseMs)),
        owner ?? '',
        Math.max(100, max * 20),
      )) as Flat[]
      return result.map(toRecord)
    },

    async release(ids: readonly string[]) {
      if (ids.length > 0) await run(scripts.RELEASE, ...ids)
    },

    async get(id: string) {
      const flat = (await run(scripts.GET, id)) as Flat
      return flat.length === 0 ? undefined : toRecord(flat)
    },

    async update(id: string, update: StatusUpdate) {
      const result = (await run(
        scripts.UPDATE,
        id,
        update.status,
        update.txHash ?? '',
        update.blockNumber === undefined ? '' : String(update.blockNumber),
        update.error?.code ?? '',
        update.error?.message ?? '',
        update.spentWei === undefined ? '' : String(update.spentWei),
        retentionMs,
        utcDay(Date.now()),
      )) as [string, Flat?]
      if (result[0] === 'MISSING') throw new Error(`unknown request ${id}`)
      const record = toRecord(result[1])
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
      const nonces = ((await run(scripts.PENDING_NONCES, chainId, from.toLowerCase())) as string[]).map(BigInt)
      return nonces.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    },

    async queueStats(chainId: number): Promise<QueueStats> {
      const [depth, oldest] = (await run(scripts.QUEUE_STATS, chainId)) as [number, string]
      return oldest === '' ? { depth: Number(depth) } : { depth: Number(depth), oldestAt: Number(oldest) }
    },

    ping: () => driver.ping(),

    async close() {
      closed = true
      poller.stop()
      events.removeAllListeners()
      await driver.close()
    },

    async acquireLease(name: string, owner: string, ttlMs: number) {
      return Number(await run(scripts.ACQUIRE, name, owner, Math.round(ttlMs))) === 1
    },

    async renewLease(name: string, owner: string, ttlMs: number) {
      return Number(await run(scripts.RENEW, name, owner, Math.round(ttlMs))) === 1
    },

    async releaseLease(name: string, owner: string) {
      await run(scripts.RELEASE_LEASE, name, owner)
    },

    async leaseHolder(name: string) {
      const holder = String((await run(scripts.LEASE_HOLDER, name)) ?? '')
      return holder === '' ? undefined : holder
    },

    async recordTransaction(entry: JournalEntry, fence: LeaseFence, claimOwner?: string): Promise<RecordResult> {
      const hash = entry.transactions.at(-1)?.hash ?? ''
      const result = (await run(
        scripts.RECORD,
        fence.name,
        fence.owner,
        entry.chainId,
        entry.relayer.toLowerCase(),
        entry.nonce,
        bigintJson(entry),
        hash,
        claimOwner ?? '',
        ...entry.requestIds,
      )) as [string, unknown?]
      if (result[0] === 'LEASE') return { ok: false, reason: 'lease' }
      if (result[0] === 'CLAIM') return { ok: false, reason: 'claim', ids: (result[1] as string[]).map(String) }
      for (const flat of (result[1] as Flat[] | undefined) ?? []) emit(toRecord(flat))
      return { ok: true }
    },

    async journal(chainId: number, relayer: Address) {
      const values = (await run(scripts.JOURNAL, chainId, relayer.toLowerCase())) as string[]
      return values.map((v) => parseBigintJson<JournalEntry>(String(v))).sort((a, b) => a.nonce - b.nonce)
    },

    async removeTransaction(chainId: number, relayer: Address, nonce: number, fence: LeaseFence) {
      const result = await run(scripts.REMOVE_TX, fence.name, fence.owner, chainId, relayer.toLowerCase(), nonce)
      return Number(result) === 1
    },

    async siteState(siteKey: string, day: string): Promise<SiteState> {
      const [paused, used, spent] = (await run(scripts.SITE_STATE, siteKey, day)) as [string, string, string]
      return { paused: String(paused) === '1', usedWei: BigInt(used), spentWei: BigInt(spent) }
    },

    async setSitePaused(siteKey: string, paused: boolean) {
      await run(scripts.SET_PAUSED, siteKey, paused ? '1' : '0')
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
      // rate-limiter-flexible's own script and algorithm, sent through this store's driver (works
      // for TCP Redis and Upstash alike). Its node-redis calling convention is the simplest to adapt.
      let wrapped: [string, string] | undefined // [its script, wrapped]: the same string object each call
      const client = {
        isReady: true,
        eval: (script: string, call: { keys: string[]; arguments: string[] }) => {
          if (wrapped?.[0] !== script) {
            wrapped = [
              script,
              `local KEYS = {ARGV[1]} local A = {} for i = 2, #ARGV do A[#A + 1] = ARGV[i] end local ARGV = A\n${script}`,
            ]
          }
          return driver.eval(wrapped[1], [`${p}rl:${call.keys[0]}`, ...call.arguments])
        },
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

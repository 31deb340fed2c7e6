import type { LedgerEntry } from '@tokentags/ledger'
import { ConfigError } from '../configError.js'
import { connectRedisClusterDriver, connectRedisDriver } from '../store/drivers.js'
import type { RedisDriver } from '../store/redisDriver.js'

/**
 * Stage events and widget funnel batches waiting for the ledger, in the relay's own store: a database
 * outage costs the relay nothing, and nothing is lost while the store lives. One drainer at a time
 * takes from the head (a lock with a lease), writes to the ledger, then removes what it wrote.
 */
export interface LedgerOutbox {
  readonly kind: 'memory' | 'redis'
  /**
   * Appends events; resolves to how many it kept, oldest first: fewer than given when a bounded
   * outbox is full (the rest are dropped, the caller counts them).
   */
  push(events: readonly LedgerEntry[]): Promise<number>
  /**
   * Up to `max` oldest events, if `owner` holds (or now takes) the drain lock for `leaseMs`; an empty
   * list when another drainer holds it. The events stay in the outbox until `ack`.
   */
  take(max: number, owner: string, leaseMs: number): Promise<LedgerEntry[]>
  /** Removes the `count` oldest events, only while `owner` still holds the lock; false otherwise. */
  ack(count: number, owner: string): Promise<boolean>
  /** Events waiting. */
  size(): Promise<number>
  close(): Promise<void>
}

/** Default bound of the memory outbox: about 30 MB of typical events, a few minutes of a busy relay. */
const MEMORY_OUTBOX_MAX_EVENTS = 100_000

export interface MemoryOutboxOptions {
  now?: () => number
  /**
   * Most events held (default {@link MEMORY_OUTBOX_MAX_EVENTS}). When full, new events are dropped,
   * never the waiting ones: a drainer's `ack` removes by position, so the head must not move under it.
   */
  maxEvents?: number
}

/** In-process outbox for the memory store (which loses everything at exit anyway); bounded. */
export function createMemoryOutbox(options: MemoryOutboxOptions = {}): LedgerOutbox {
  const now = options.now ?? Date.now
  const max = options.maxEvents ?? MEMORY_OUTBOX_MAX_EVENTS
  if (!Number.isSafeInteger(max) || max < 1)
    throw new ConfigError(`ledger outbox maxEvents must be a positive integer, got ${max}`)
  const events: string[] = []
  let lock: { owner: string; until: number } | undefined
  const holds = (owner: string) => lock !== undefined && lock.owner === owner && lock.until > now()
  return {
    kind: 'memory',
    async push(batch) {
      const kept = Math.max(0, Math.min(batch.length, max - events.length))
      for (let i = 0; i < kept; i++) events.push(JSON.stringify(batch[i]))
      return kept
    },
    async take(max, owner, leaseMs) {
      if (lock && lock.owner !== owner && lock.until > now()) return []
      lock = { owner, until: now() + leaseMs }
      return events.slice(0, max).map((e) => JSON.parse(e) as LedgerEntry)
    },
    async ack(count, owner) {
      if (!holds(owner)) return false
      events.splice(0, count)
      return true
    },
    async size() {
      return events.length
    },
    async close() {},
  }
}

export interface RedisOutboxOptions {
  /**
   * The backend's connection: `connectRedisDriver`, `connectRedisClusterDriver` or `createUpstashDriver`
   * (the outbox closes it). Without it, `url` or `nodes` open a Redis or a cluster.
   */
  driver?: RedisDriver
  /** `REDIS_URL` of the relay's store; or `nodes` of a Redis Cluster. */
  url?: string
  nodes?: string[]
  /** Key prefix, as the store's (`TOKENTAGS_STORE_PREFIX`, default `tokentags:`). */
  prefix?: string
}

// Both keys carry one hash tag: on a cluster they live in one slot, so each script runs on one node.
// One RPUSH per event: an unpack() of a large batch would pass Lua's limit on call arguments.
const PUSH = `
for i = 1, #ARGV do redis.call('RPUSH', KEYS[1], ARGV[i]) end
return #ARGV`

const TAKE = `
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[1] then return false end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
return redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[3]) - 1)`

const ACK = `
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('LTRIM', KEYS[1], tonumber(ARGV[2]), -1)
return 1`

const SIZE = `return redis.call('LLEN', KEYS[1])`

/**
 * The outbox as a Redis list beside the relay's store: a single Redis, a cluster or Upstash, through
 * the same scripts (every operation one script with its keys declared).
 */
export async function createRedisOutbox(options: RedisOutboxOptions): Promise<LedgerOutbox> {
  const prefix = options.prefix ?? 'tokentags:'
  const list = `${prefix}{ledger}:outbox`
  const lock = `${prefix}{ledger}:outbox:lock`
  const driver =
    options.driver ??
    (options.nodes && options.nodes.length > 0
      ? await connectRedisClusterDriver({ nodes: options.nodes })
      : await connectRedisDriver({ url: options.url ?? 'redis://127.0.0.1:6379' }))
  return {
    kind: 'redis',
    async push(events) {
      if (events.length === 0) return 0
      await driver.eval(
        PUSH,
        [list],
        events.map((e) => JSON.stringify(e)),
      )
      return events.length
    },
    async take(max, owner, leaseMs) {
      const raw = (await driver.eval(TAKE, [list, lock], [owner, leaseMs, max])) as string[] | null
      if (!raw) return []
      const events: LedgerEntry[] = []
      for (const entry of raw) {
        try {
          events.push(JSON.parse(entry) as LedgerEntry)
        } catch {
          // Unreadable: still counted by `ack` (it trims by position), so it never blocks the head.
          events.push({ requestId: '', stage: 'received', at: Number.NaN, kind: 'evm' })
        }
      }
      return events
    },
    async ack(count, owner) {
      return Number(await driver.eval(ACK, [list, lock], [owner, count])) === 1
    },
    async size() {
      return Number(await driver.eval(SIZE, [list], []))
    },
    async close() {
      await driver.close()
    },
  }
}

import { createRedisLikeSolanaStore } from '../solana/redisStore.js'
import { createRedisAdmissionStore } from './admission/redis.js'
import { createRedisJournalStore } from './journal/redis.js'
import { redisKeyLayout } from './keyLayout.js'
import { createRedisLeaseStore } from './leases/redis.js'
import { PROBE } from './lua.js'
import { createRedisQueueStore } from './queue/redis.js'
import { createRedisRateLimitStore } from './rateLimits/redis.js'
import { StoreUnavailableError } from './records.js'
import type { RedisContext } from './redisContext.js'
import type { RedisDriver } from './redisDriver.js'
import { createRedisRequestStore } from './requests/redis.js'
import { DEFAULT_FINAL_RETENTION_MS } from './status.js'
import type { Stores } from './types.js'

export interface RedisLikeStoreOptions {
  /** Prefix of every key (default `tt:`), so one Redis can hold several relays' data. */
  prefix?: string
  /** How often subscriptions look for changes made by other instances (default 500 ms). */
  pollIntervalMs?: number
  /** How long a final record stays readable (default {@link DEFAULT_FINAL_RETENTION_MS}); Redis expires it. */
  finalRetentionMs?: number
}

/**
 * Every store on one {@link RedisDriver} (the `redis`, `redis-cluster` and `upstash` backends share
 * this data model, see README, "Store" and "Key layout"). `close` closes the driver.
 */
export function createRedisLikeStores(driver: RedisDriver, kind: string, options: RedisLikeStoreOptions = {}): Stores {
  const prefix = options.prefix ?? 'tt:'
  const keys = redisKeyLayout(prefix)
  const retentionMs = Math.max(1, Math.round(options.finalRetentionMs ?? DEFAULT_FINAL_RETENTION_MS))
  const run: RedisContext['run'] = (script, declared, base, ...args) => driver.eval(script, declared, [base, ...args])
  const requests = createRedisRequestStore(
    { driver, kind, keys, run },
    { retentionMs, ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }) },
  )
  const ctx: RedisContext = { driver, kind, keys, run, emit: requests.emit }
  const solana = createRedisLikeSolanaStore(driver, kind, {
    prefix,
    finalRetentionMs: retentionMs,
    ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
  })
  return {
    kind,
    requests,
    queue: createRedisQueueStore(ctx),
    leases: createRedisLeaseStore(ctx),
    journal: createRedisJournalStore(ctx),
    admission: createRedisAdmissionStore(ctx),
    rateLimits: createRedisRateLimitStore(driver, prefix),
    solana,
    async ping() {
      // A script round trip on a tagged key, not a PING: a server that answers but cannot run the
      // relay's scripts (scripting off, keys in slots it does not serve) is not a working store.
      const token = String(Date.now())
      const answer = await run(PROBE, [keys.probe], '', token)
      if (String(answer) !== token) throw new StoreUnavailableError(`${kind} store answered the probe with ${answer}`)
    },
    async close() {
      requests.stop()
      await solana.close()
      await driver.close()
    },
  }
}

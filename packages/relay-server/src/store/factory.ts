import { ConfigError } from '../configError.js'
import { connectRedisClusterDriver, connectRedisDriver, createUpstashDriver } from './drivers.js'
import { storeTargetFromEnv } from './fromEnv.js'
import { createMemoryStores, type MemoryStoreOptions } from './memory.js'
import type { RedisClusterStoreOptions, RedisStoreOptions, UpstashStoreOptions } from './redis.js'
import { createRedisLikeStores } from './redisStores.js'
import { type RelayStore, relayStoreOf, type Stores } from './types.js'

/** Which backend, and its options. */
export type StoresOptions =
  | ({ kind: 'memory' } & MemoryStoreOptions)
  | ({ kind: 'redis' } & RedisStoreOptions)
  | ({ kind: 'redis-cluster' } & RedisClusterStoreOptions)
  | ({ kind: 'upstash' } & UpstashStoreOptions)

/**
 * The one place the relay's stores are built: every concern store (requests, queue, leases,
 * journal, admission, rate limits, Solana) on one backend, sharing one connection (one driver) or
 * one process memory. No store builds another.
 */
export async function createStores(options: StoresOptions): Promise<Stores> {
  switch (options.kind) {
    case 'memory':
      return createMemoryStores(options)
    case 'redis':
      return createRedisLikeStores(await connectRedisDriver(options), 'redis', options)
    case 'redis-cluster':
      return createRedisLikeStores(await connectRedisClusterDriver(options), 'redis-cluster', options)
    case 'upstash':
      return createRedisLikeStores(createUpstashDriver(options), 'upstash', options)
  }
}

/**
 * The stores named by `TOKENTAGS_STORE`: `memory`, `redis` with `REDIS_URL`, `redis-cluster` with
 * `REDIS_CLUSTER_NODES` (and `REDIS_CLUSTER_PASSWORD`, `REDIS_CLUSTER_TLS=1`), `upstash` with its
 * two variables; `TOKENTAGS_STORE_PREFIX` and `TOKENTAGS_FINAL_RETENTION_SECONDS` for all.
 */
export async function createStoresFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<Stores> {
  const prefix = env.TOKENTAGS_STORE_PREFIX
  const retention = env.TOKENTAGS_FINAL_RETENTION_SECONDS
  if (retention !== undefined && !/^[1-9][0-9]{0,9}$/.test(retention)) {
    throw new ConfigError(
      `TOKENTAGS_FINAL_RETENTION_SECONDS=${retention.slice(0, 20)} is not a whole number of seconds`,
    )
  }
  const retained = retention ? { finalRetentionMs: Number(retention) * 1000 } : {}
  const target = storeTargetFromEnv(env)
  if (target.kind === 'memory') return createStores({ kind: 'memory', ...retained })
  return createStores({ ...target, ...(prefix ? { prefix } : {}), ...retained })
}

/** The EVM stores of {@link createStoresFromEnv} as one {@link RelayStore}. */
export async function createStoreFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<RelayStore> {
  return relayStoreOf(await createStoresFromEnv(env))
}

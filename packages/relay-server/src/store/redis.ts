import {
  connectRedisClusterDriver,
  connectRedisDriver,
  createUpstashDriver,
  type RedisClusterDriverOptions,
  type RedisDriverOptions,
  type UpstashDriverOptions,
} from './drivers.js'
import type { RedisDriver } from './redisDriver.js'
import { createRedisLikeStores, type RedisLikeStoreOptions } from './redisStores.js'
import { type RelayStore, relayStoreOf } from './types.js'

export type { RedisLikeStoreOptions } from './redisStores.js'

export interface RedisStoreOptions extends RedisLikeStoreOptions, RedisDriverOptions {}

export interface RedisClusterStoreOptions extends RedisLikeStoreOptions, RedisClusterDriverOptions {}

export interface UpstashStoreOptions extends RedisLikeStoreOptions, UpstashDriverOptions {}

/** The EVM stores on TCP Redis as one {@link RelayStore} (`createStores({ kind: 'redis', … })` builds them all). */
export async function createRedisStore(options: RedisStoreOptions): Promise<RelayStore> {
  return relayStoreOf(createRedisLikeStores(await connectRedisDriver(options), 'redis', options))
}

/**
 * The EVM stores on a Redis Cluster as one {@link RelayStore}. Every script of the relay stays in
 * one hash slot (see `./lua.ts`), so the client sends each to the master serving it, and follows the
 * cluster through resharding and failover (MOVED, ASK, a replica promoted).
 */
export async function createRedisClusterStore(options: RedisClusterStoreOptions): Promise<RelayStore> {
  return relayStoreOf(createRedisLikeStores(await connectRedisClusterDriver(options), 'redis-cluster', options))
}

/** The EVM stores on Upstash (REST) as one {@link RelayStore}; the same scripts as over TCP. */
export function createUpstashStore(options: UpstashStoreOptions): RelayStore {
  return relayStoreOf(createRedisLikeStores(createUpstashDriver(options), 'upstash', options))
}

/** The EVM stores on any {@link RedisDriver} as one {@link RelayStore}; closing it closes the driver. */
export function createRedisLikeStore(
  driver: RedisDriver,
  kind: string,
  options: RedisLikeStoreOptions = {},
): RelayStore {
  return relayStoreOf(createRedisLikeStores(driver, kind, options))
}

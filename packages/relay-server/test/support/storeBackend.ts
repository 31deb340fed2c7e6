import { type RedisInstance, startRedis } from './redis.js'
import { type RedisCluster, startRedisCluster } from './redisCluster.js'

/** The shared stores the process tests run on. */
export const SHARED_STORES = ['redis', 'redis-cluster'] as const
export type SharedStoreKind = (typeof SHARED_STORES)[number]

export interface StoreBackend {
  /** What a relay process needs in its environment to use it. */
  env: Record<string, string>
  stop(): Promise<void>
}

/** A real `redis-server`, or a real three-master cluster of them, for relay processes to share. */
export async function startStoreBackend(kind: SharedStoreKind): Promise<StoreBackend> {
  if (kind === 'redis') {
    const redis: RedisInstance = await startRedis()
    return { env: { TOKENTAGS_STORE: 'redis', REDIS_URL: redis.url }, stop: () => redis.stop() }
  }
  const cluster: RedisCluster = await startRedisCluster()
  return {
    env: { TOKENTAGS_STORE: 'redis-cluster', REDIS_CLUSTER_NODES: cluster.nodes.join(',') },
    stop: () => cluster.stop(),
  }
}

// The three Redis-like backends a component on the relay's `RedisDriver` is tested on: a real Redis, a real
// three-master Redis Cluster and Upstash. Upstash's stand-in is ./upstashBridge.ts: Upstash's REST protocol in front
// of a real redis-server, driven by the real `@upstash/redis` client (no Upstash service can be reached here).
import { afterAll, beforeAll } from 'vitest'
import { connectRedisClusterDriver, createUpstashDriver } from '../../src/store/drivers.js'
import type { RedisDriver } from '../../src/store/redisDriver.js'
import { type RedisInstance, startRedis } from './redis.js'
import { type RedisCluster, startRedisCluster } from './redisCluster.js'
import { startUpstashBridge, type UpstashBridge } from './upstashBridge.js'

export type RedisLikeKind = 'redis' | 'redis-cluster' | 'upstash'

/** How a component reaches one backend: the Redis URL (its own client), or a driver. */
export type RedisLikeTarget = { url: string } | { driver: RedisDriver }

export interface RedisLikeBackends {
  /** The servers, once the file's `beforeAll` has started them. */
  readonly redis: RedisInstance
  readonly cluster: RedisCluster
  /** A fresh target on each backend, for `describe.each`. */
  readonly targets: ReadonlyArray<readonly [RedisLikeKind, () => Promise<RedisLikeTarget>]>
}

/** Starts the three backends before the calling file's tests and stops them after. */
export function useRedisLikeBackends(): RedisLikeBackends {
  let redis: RedisInstance | undefined
  let cluster: RedisCluster | undefined
  let bridge: UpstashBridge | undefined
  beforeAll(async () => {
    ;[redis, cluster] = await Promise.all([startRedis(), startRedisCluster()])
    bridge = await startUpstashBridge(redis.url)
  }, 120_000)
  afterAll(async () => {
    await bridge?.close()
    await cluster?.stop()
    await redis?.stop()
  })
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the Redis-like backends are not started yet (use them inside a test)')
    return value
  }
  return {
    get redis() {
      return started(redis)
    },
    get cluster() {
      return started(cluster)
    },
    targets: [
      ['redis', async () => ({ url: started(redis).url })],
      ['redis-cluster', async () => ({ driver: await connectRedisClusterDriver({ nodes: started(cluster).nodes }) })],
      [
        'upstash',
        async () => {
          const { url, token } = started(bridge)
          return { driver: createUpstashDriver({ url, token }) }
        },
      ],
    ],
  }
}

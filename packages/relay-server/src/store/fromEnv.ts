import { ConfigError } from '../configError.js'
import { createMemoryStore } from './memory.js'
import { createRedisClusterStore, createRedisStore, createUpstashStore } from './redis.js'
import type { RelayStore } from './types.js'

/**
 * The store named by `TOKENTAGS_STORE`: `memory`, `redis` with `REDIS_URL`, `redis-cluster` with
 * `REDIS_CLUSTER_NODES` (and `REDIS_CLUSTER_PASSWORD`, `REDIS_CLUSTER_TLS=1`), `upstash` with its two variables.
 */
export async function createStoreFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<RelayStore> {
  const kind = env.TOKENTAGS_STORE ?? 'memory'
  const prefix = env.TOKENTAGS_STORE_PREFIX
  const retention = env.TOKENTAGS_FINAL_RETENTION_SECONDS
  if (retention !== undefined && !/^[1-9][0-9]{0,9}$/.test(retention)) {
    throw new ConfigError(
      `TOKENTAGS_FINAL_RETENTION_SECONDS=${retention.slice(0, 20)} is not a whole number of seconds`,
    )
  }
  const common = {
    ...(prefix ? { prefix } : {}),
    ...(retention ? { finalRetentionMs: Number(retention) * 1000 } : {}),
  }
  switch (kind) {
    case 'memory':
      return createMemoryStore(retention ? { finalRetentionMs: Number(retention) * 1000 } : {})
    case 'redis': {
      if (!env.REDIS_URL) throw new ConfigError('TOKENTAGS_STORE=redis needs REDIS_URL')
      return createRedisStore({ url: env.REDIS_URL, ...common })
    }
    case 'redis-cluster': {
      const nodes = (env.REDIS_CLUSTER_NODES ?? '')
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n !== '')
      if (nodes.length === 0) {
        throw new ConfigError('TOKENTAGS_STORE=redis-cluster needs REDIS_CLUSTER_NODES=host:port,host:port,…')
      }
      const bad = nodes.find((n) => !/^[^\s:]+:[0-9]{1,5}$/.test(n))
      if (bad) throw new ConfigError(`REDIS_CLUSTER_NODES: ${bad.slice(0, 60)} is not host:port`)
      const tls = env.REDIS_CLUSTER_TLS
      if (tls !== undefined && tls !== '0' && tls !== '1') throw new ConfigError('REDIS_CLUSTER_TLS must be 0 or 1')
      return createRedisClusterStore({
        nodes,
        ...(env.REDIS_CLUSTER_PASSWORD ? { password: env.REDIS_CLUSTER_PASSWORD } : {}),
        ...(tls === '1' ? { tls: true } : {}),
        ...common,
      })
    }
    case 'upstash': {
      const url = env.UPSTASH_REDIS_REST_URL
      const token = env.UPSTASH_REDIS_REST_TOKEN
      if (!url || !token) {
        throw new ConfigError('TOKENTAGS_STORE=upstash needs UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN')
      }
      return createUpstashStore({ url, token, ...common })
    }
    default:
      throw new ConfigError(`TOKENTAGS_STORE=${kind} is unknown (memory, redis, redis-cluster or upstash)`)
  }
}

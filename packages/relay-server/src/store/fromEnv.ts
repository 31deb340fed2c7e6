import { ConfigError } from '../configError.js'
import { connectRedisClusterDriver, connectRedisDriver, createUpstashDriver } from './drivers.js'
import type { RedisDriver } from './redisDriver.js'

/** Where the store `TOKENTAGS_STORE` names lives, with its variables checked. */
export type StoreTarget =
  | { kind: 'memory' }
  | { kind: 'redis'; url: string }
  | { kind: 'redis-cluster'; nodes: string[]; password?: string; tls?: boolean }
  | { kind: 'upstash'; url: string; token: string }

/**
 * The one reading of `TOKENTAGS_STORE` and its variables, shared by the store, the ledger outbox and the
 * webhook queues: all of them live in the same backend.
 */
export function storeTargetFromEnv(env: NodeJS.ProcessEnv = process.env): StoreTarget {
  const kind = env.TOKENTAGS_STORE ?? 'memory'
  switch (kind) {
    case 'memory':
      return { kind }
    case 'redis': {
      if (!env.REDIS_URL) throw new ConfigError('TOKENTAGS_STORE=redis needs REDIS_URL')
      return { kind, url: env.REDIS_URL }
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
      return {
        kind,
        nodes,
        ...(env.REDIS_CLUSTER_PASSWORD ? { password: env.REDIS_CLUSTER_PASSWORD } : {}),
        ...(tls === '1' ? { tls: true } : {}),
      }
    }
    case 'upstash': {
      const url = env.UPSTASH_REDIS_REST_URL
      const token = env.UPSTASH_REDIS_REST_TOKEN
      if (!url || !token) {
        throw new ConfigError('TOKENTAGS_STORE=upstash needs UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN')
      }
      return { kind, url, token }
    }
    default:
      throw new ConfigError(`TOKENTAGS_STORE=${kind.slice(0, 20)} is unknown (memory, redis, redis-cluster or upstash)`)
  }
}

/**
 * A connection of its own to the backend `TOKENTAGS_STORE` names, for what lives beside the store
 * (the ledger outbox, the webhook queues); undefined on `memory`. The caller closes it.
 */
export async function redisDriverFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<RedisDriver | undefined> {
  const target = storeTargetFromEnv(env)
  switch (target.kind) {
    case 'memory':
      return undefined
    case 'redis':
      return connectRedisDriver(target)
    case 'redis-cluster':
      return connectRedisClusterDriver(target)
    case 'upstash':
      return createUpstashDriver(target)
  }
}

import { ConfigError } from '../config.js'
import { createMemoryStore } from './memory.js'
import { createRedisStore, createUpstashStore } from './redis.js'
import type { RelayStore } from './types.js'

/** The store named by `TOKENTAGS_STORE` (`memory`, `redis` with `REDIS_URL`, `upstash` with its two variables). */
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
    case 'upstash': {
      const url = env.UPSTASH_REDIS_REST_URL
      const token = env.UPSTASH_REDIS_REST_TOKEN
      if (!url || !token) {
        throw new ConfigError('TOKENTAGS_STORE=upstash needs UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN')
      }
      return createUpstashStore({ url, token, ...common })
    }
    default:
      throw new ConfigError(`TOKENTAGS_STORE=${kind} is unknown (memory, redis or upstash)`)
  }
}

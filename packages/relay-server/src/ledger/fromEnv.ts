import { ConfigError } from '../configError.js'
import { createMemoryOutbox, createRedisOutbox, type LedgerOutbox } from './outbox.js'
import type { LedgerRetention } from './pruner.js'

/**
 * `TOKENTAGS_LEDGER_RETENTION_DAYS`: days of request and stage rows kept (older days are folded into
 * daily aggregates); `off` (or `0`) keeps every row; unset, the relay's default (90 days).
 */
export function ledgerRetentionFromEnv(env: NodeJS.ProcessEnv = process.env): LedgerRetention | false | undefined {
  const value = env.TOKENTAGS_LEDGER_RETENTION_DAYS?.trim()
  if (value === undefined || value === '') return undefined
  if (value === 'off' || value === '0') return false
  if (!/^[1-9][0-9]{0,4}$/.test(value)) {
    throw new ConfigError('TOKENTAGS_LEDGER_RETENTION_DAYS must be a number of days (1 to 99999) or off')
  }
  return { days: Number(value) }
}

/**
 * The ledger outbox beside the store `TOKENTAGS_STORE` names: a Redis list on `redis` (`REDIS_URL`)
 * or `redis-cluster` (`REDIS_CLUSTER_NODES`), process memory on `memory` (at most
 * `TOKENTAGS_LEDGER_OUTBOX_MAX` events, default 100,000; more are dropped and counted). Upstash has no outbox in
 * this version: a ledger there is refused rather than kept in memory, where a crash would lose it.
 */
export async function ledgerOutboxFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<LedgerOutbox> {
  const kind = env.TOKENTAGS_STORE ?? 'memory'
  const prefix = env.TOKENTAGS_STORE_PREFIX
  switch (kind) {
    case 'memory': {
      const max = env.TOKENTAGS_LEDGER_OUTBOX_MAX
      if (max !== undefined && !/^[1-9][0-9]{0,8}$/.test(max)) {
        throw new ConfigError('TOKENTAGS_LEDGER_OUTBOX_MAX must be a positive integer (events)')
      }
      return createMemoryOutbox(max === undefined ? {} : { maxEvents: Number(max) })
    }
    case 'redis':
      if (!env.REDIS_URL) throw new ConfigError('TOKENTAGS_STORE=redis needs REDIS_URL')
      return createRedisOutbox({ url: env.REDIS_URL, ...(prefix ? { prefix } : {}) })
    case 'redis-cluster': {
      const nodes = (env.REDIS_CLUSTER_NODES ?? '')
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n !== '')
      if (nodes.length === 0) throw new ConfigError('TOKENTAGS_STORE=redis-cluster needs REDIS_CLUSTER_NODES')
      return createRedisOutbox({ nodes, ...(prefix ? { prefix } : {}) })
    }
    default:
      throw new ConfigError(
        `the ledger has no outbox on TOKENTAGS_STORE=${kind.slice(0, 20)} yet (memory, redis, redis-cluster)`,
      )
  }
}

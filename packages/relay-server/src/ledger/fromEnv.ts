import { ConfigError } from '../configError.js'
import { redisDriverFromEnv } from '../store/fromEnv.js'
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
 * The ledger outbox beside the store `TOKENTAGS_STORE` names: a list in the store's backend on `redis`
 * (`REDIS_URL`), `redis-cluster` (`REDIS_CLUSTER_NODES`) and `upstash` (`UPSTASH_REDIS_REST_URL` and
 * `_TOKEN`), through its own connection; process memory on `memory` (at most `TOKENTAGS_LEDGER_OUTBOX_MAX`
 * events, default 100,000; more are dropped and counted).
 */
export async function ledgerOutboxFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<LedgerOutbox> {
  const prefix = env.TOKENTAGS_STORE_PREFIX
  const driver = await redisDriverFromEnv(env)
  if (driver) return createRedisOutbox({ driver, ...(prefix ? { prefix } : {}) })
  const max = env.TOKENTAGS_LEDGER_OUTBOX_MAX
  if (max !== undefined && !/^[1-9][0-9]{0,8}$/.test(max)) {
    throw new ConfigError('TOKENTAGS_LEDGER_OUTBOX_MAX must be a positive integer (events)')
  }
  return createMemoryOutbox(max === undefined ? {} : { maxEvents: Number(max) })
}

import type { Ledger } from '@tokentags/ledger'
import type { DispatcherOptions, SiteWebhook, WebhookQueue } from '../webhooks/dispatcher.js'
import type { DrainerOptions } from './drainer.js'
import type { LedgerOutbox } from './outbox.js'
import type { LedgerRetention } from './pruner.js'

/** `RelayConfig.ledger`: the relay closes both with itself. */
export interface RelayLedgerConfig {
  /** `createPostgresLedger`, `createPgliteLedger` or `openLedger` of `@tokentags/ledger`. */
  ledger: Ledger
  /**
   * Where stage events wait for the database: `createRedisOutbox` on the relay's Redis for a shared
   * store; default (only for the memory store) in this process's memory.
   */
  outbox?: LedgerOutbox
  drain?: Pick<DrainerOptions, 'batchSize' | 'idleMs' | 'leaseMs' | 'minBackoffMs' | 'maxBackoffMs'>
  /**
   * Request and stage rows older than `days` (default 90) are folded into daily aggregates, which
   * the history keeps reading (`TOKENTAGS_LEDGER_RETENTION_DAYS`); `false` keeps every row.
   */
  retention?: LedgerRetention | false
  /**
   * Per-site webhooks on every final status (README, "Webhooks"), fed by the same stage events.
   * `queue` defaults to process memory, allowed only on the memory store (like the outbox).
   */
  webhooks?: {
    sites: Record<string, SiteWebhook>
    queue?: WebhookQueue
    delivery?: Pick<DispatcherOptions, 'minBackoffMs' | 'maxBackoffMs' | 'maxAttempts' | 'timeoutMs' | 'pollMs'>
  }
}

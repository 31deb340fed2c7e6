import { type Ledger, retentionCutoff } from '@tokentags/ledger'
import type { Logger } from 'pino'

/** Default retention of the ledger's request and stage rows, in days (daily aggregates are kept). */
export const DEFAULT_RETENTION_DAYS = 90

/** `RelayLedgerConfig.retention`: how long stage rows are kept, and how often old days are folded. */
export interface LedgerRetention {
  /** Days of request and stage rows kept (default 90): older UTC days are folded into daily aggregates. */
  days: number
  /** Time between prunes (default one hour); the first runs at start. */
  everyMs?: number
}

export interface LedgerPrunerOptions extends LedgerRetention {
  ledger: Ledger
  logger: Logger
  now?: () => number
}

/**
 * Folds the days past the retention into the ledger's daily aggregates, at start and then
 * periodically. Every relay instance runs one; the ledger lets one prune at a time through (an
 * advisory lock in PostgreSQL) and the others skip that round.
 */
export class LedgerPruner {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private stopped = false

  constructor(private readonly options: LedgerPrunerOptions) {}

  start(): void {
    this.stopped = false
    this.schedule(0)
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.running
  }

  /** One prune; never rejects (a database that does not answer is retried at the next round). */
  async runOnce(): Promise<void> {
    const { ledger, logger, days } = this.options
    const before = retentionCutoff((this.options.now ?? Date.now)(), days)
    try {
      const result = await ledger.prune({ before })
      if (result.days.length > 0) {
        logger.info(
          { days: result.days, requests: result.requests, stages: result.stages, retentionDays: days },
          'ledger: old days folded into daily aggregates',
        )
      }
    } catch (error) {
      logger.warn({ err: error }, 'ledger prune failed; retried at the next round')
    }
  }

  private schedule(delay: number): void {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      this.running = this.runOnce().finally(() => {
        this.running = undefined
        this.schedule(this.options.everyMs ?? 3_600_000)
      })
    }, delay)
    // A relay with nothing else to do may exit: the next prune is no reason to stay up.
    this.timer.unref()
  }
}

import type { Logger } from 'pino'
import { Counter, Gauge, type Registry } from 'prom-client'
import type { LedgerOutbox } from './outbox.js'

/** Why stage events never reached the ledger. */
export type LedgerDropReason = 'outbox_full' | 'outbox_unavailable' | 'refused'

const LOG_EVERY_MS = 10_000

/**
 * The ledger's losses, counted in `/metrics` (`tokentags_relay_ledger_events_dropped_total{reason}`,
 * and the outbox's depth at scrape time) and logged: the first drop at once, then one summary per
 * 10 s at most, so a full outbox under load does not flood the log.
 */
export class LedgerMetrics {
  private readonly dropped: Counter<'reason'>
  private pending = new Map<LedgerDropReason, number>()
  private lastLog = Number.NEGATIVE_INFINITY

  constructor(
    registry: Registry | undefined,
    outbox: LedgerOutbox,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    const registers = registry ? [registry] : []
    this.dropped = new Counter({
      name: 'tokentags_relay_ledger_events_dropped_total',
      help: 'Stage events that never reached the ledger: outbox_full (the bounded memory outbox), outbox_unavailable (the store failed the append), refused (the database refused the event).',
      labelNames: ['reason'] as const,
      registers,
    })
    new Gauge({
      name: 'tokentags_relay_ledger_outbox_events',
      help: 'Stage events waiting in the ledger outbox (read at scrape time).',
      registers,
      async collect() {
        try {
          this.set(await outbox.size())
        } catch {
          // The store is down: the gauge keeps its last value, the health check reports the store.
        }
      },
    })
  }

  /** Counts `count` events lost; `log: false` when the caller logged each one already. */
  drop(reason: LedgerDropReason, count: number, log = true): void {
    if (count <= 0) return
    this.dropped.inc({ reason }, count)
    if (!log) return
    this.pending.set(reason, (this.pending.get(reason) ?? 0) + count)
    const now = this.now()
    if (now - this.lastLog < LOG_EVERY_MS) return
    this.lastLog = now
    const counts = Object.fromEntries(this.pending)
    this.pending = new Map()
    this.logger.error(
      { dropped: counts },
      'ledger stage events dropped (requests go on; see tokentags_relay_ledger_events_dropped_total)',
    )
  }
}

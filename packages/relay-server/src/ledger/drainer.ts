import { InvalidStageEventError, type Ledger, type LedgerEntry } from '@tokentags/ledger'
import type { Logger } from 'pino'
import type { LedgerOutbox } from './outbox.js'

export interface DrainerOptions {
  outbox: LedgerOutbox
  ledger: Ledger
  logger: Logger
  /** Lock owner: this relay instance. */
  owner: string
  /** Most events per ledger transaction (default 500). */
  batchSize?: number
  /** Poll of an empty outbox (default 250 ms); `notify` wakes it sooner. */
  idleMs?: number
  /** Drain lock lease (default 30 s): another instance takes over after a crash. */
  leaseMs?: number
  /** Backoff while the database is down: from `minBackoffMs` (default 200) doubling to `maxBackoffMs` (default 10 s). */
  minBackoffMs?: number
  maxBackoffMs?: number
  /** Told of each event dropped as unwritable (it is logged here already). */
  onDrop?: (count: number) => void
}

/**
 * Moves stage events from the outbox to the ledger in batches: each batch is written in one
 * transaction, idempotently, then removed from the outbox. While the database is down it backs off
 * and keeps the events; the relay never waits on it.
 */
export class LedgerDrainer {
  private running = false
  private loop: Promise<void> | undefined
  private wake: (() => void) | undefined
  private timer: NodeJS.Timeout | undefined
  private backingOff = false
  private readonly batchSize: number
  private readonly idleMs: number
  private readonly leaseMs: number
  private readonly minBackoffMs: number
  private readonly maxBackoffMs: number
  /** Events written to the ledger by this drainer. */
  written = 0
  /** Events dropped as unwritable (invalid, or refused by a database that answers). */
  dropped = 0

  constructor(private readonly options: DrainerOptions) {
    this.batchSize = options.batchSize ?? 500
    this.idleMs = options.idleMs ?? 250
    this.leaseMs = options.leaseMs ?? 30_000
    this.minBackoffMs = options.minBackoffMs ?? 200
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.loop = this.run()
  }

  /** Wakes the loop now (new events were pushed), unless it is backing off from an outage. */
  notify(): void {
    if (!this.backingOff) this.wake?.()
  }

  /** Stops after the batch in flight; what is left stays in the outbox for the next start. */
  async stop(): Promise<void> {
    this.running = false
    this.wake?.()
    await this.loop
  }

  /** One batch: resolves to the number of events taken off the outbox (0 when empty or locked elsewhere). */
  async drainOnce(): Promise<number> {
    const { outbox, ledger, owner, logger } = this.options
    const events = await outbox.take(this.batchSize, owner, this.leaseMs)
    if (events.length === 0) return 0
    try {
      await ledger.record(events)
      this.written += events.length
    } catch (error) {
      if (!(error instanceof InvalidStageEventError)) {
        // Down, or one statement failed on a database that answers: only the second is the data's fault.
        const up = await ledger.ping().then(
          () => true,
          () => false,
        )
        if (!up) throw error
      }
      await this.oneByOne(events)
    }
    if (!(await outbox.ack(events.length, owner))) {
      logger.warn('ledger drain lock lost before ack: another drainer writes the same events again (idempotent)')
    }
    return events.length
  }

  /** Writes a batch one event at a time, dropping (and logging) the ones the ledger refuses. */
  private async oneByOne(events: LedgerEntry[]): Promise<void> {
    for (const event of events) {
      try {
        await this.options.ledger.record([event])
        this.written++
      } catch (error) {
        if (!(error instanceof InvalidStageEventError)) {
          const up = await this.options.ledger.ping().then(
            () => true,
            () => false,
          )
          if (!up) throw error
        }
        this.dropped++
        this.options.onDrop?.(1)
        this.options.logger.error(
          {
            err: error,
            requestId: String('requestId' in event ? event.requestId : event.id).slice(0, 80),
            stage: 'stage' in event ? event.stage : event.type,
          },
          'ledger refused a stage event; dropped',
        )
      }
    }
  }

  private async run(): Promise<void> {
    let backoff = 0
    while (this.running) {
      let wait = this.idleMs
      try {
        const taken = await this.drainOnce()
        if (backoff > 0) this.options.logger.info('ledger reachable again; draining the outbox')
        backoff = 0
        if (taken > 0) continue
      } catch (error) {
        backoff = Math.min(this.maxBackoffMs, backoff === 0 ? this.minBackoffMs : backoff * 2)
        wait = backoff
        if (backoff === this.minBackoffMs || backoff === this.maxBackoffMs) {
          this.options.logger.warn(
            { err: error, retryInMs: backoff },
            'ledger unavailable; stage events wait in the outbox',
          )
        }
      }
      this.backingOff = backoff > 0
      await new Promise<void>((resolve) => {
        this.wake = resolve
        this.timer = setTimeout(resolve, wait)
      })
      clearTimeout(this.timer)
      this.wake = undefined
    }
  }
}

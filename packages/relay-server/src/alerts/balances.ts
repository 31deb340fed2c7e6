import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import type { WebhookDelivery, WebhookQueue } from '../webhooks/dispatcher.js'

/** The dispatcher's site name for operator deliveries (a queue of their own: it never meets a site key). */
export const OPERATOR_SITE = '@operator'

/** An account whose balance is watched. */
export interface BalanceTarget {
  /** The same on every instance: the store keeps its state under it. */
  key: string
  kind: 'evm' | 'solana'
  /** EVM chain id (`"8453"`) or Solana chain (`"solana:mainnet"`). */
  chain: string
  account: string
  role: 'relayer' | 'fee-payer'
  unit: 'wei' | 'lamports'
  threshold: bigint
  /** The balance and the height (block number, slot) it was read at. */
  read(): Promise<{ balance: bigint; height: number }>
}

/** The JSON body an operator's receiver gets (signed like site webhooks). */
export interface OperatorAlertPayload {
  id: string
  type: 'balance.low' | 'balance.recovered'
  at: number
  kind: 'evm' | 'solana'
  chain: string
  account: string
  role: 'relayer' | 'fee-payer'
  /** Decimal strings in `unit`. */
  balance: string
  threshold: string
  unit: 'wei' | 'lamports'
  /** Block number or slot of the reading. */
  height: number
}

export interface BalanceMonitorOptions {
  targets: readonly BalanceTarget[]
  /** Needs `pushOnChange` (both built-in queues have it). */
  queue: WebhookQueue
  logger: Logger
  /** Called after an alert is queued (the dispatcher's `wake`). */
  onQueued?: () => void
  intervalMs?: number
  /** A settlement asks for a check this much later, coalescing a batch's settlements (default 1000 ms). */
  settleDelayMs?: number
  now?: () => number
}

/**
 * Reads each target's balance periodically and shortly after settlements, and queues an alert when
 * it goes below its threshold, a recovery notice when it is back at or above it. The crossing is
 * decided by the queue's stored state (shared by every instance on one Redis): one delivery per
 * crossing, however many instances see it, and none while a balance stays where it is.
 */
export class BalanceMonitor {
  private timer: ReturnType<typeof setTimeout> | undefined
  private nudgeTimer: ReturnType<typeof setTimeout> | undefined
  private running: Promise<number> | undefined
  private stopped = true
  private readonly now: () => number

  constructor(private readonly options: BalanceMonitorOptions) {
    if (!options.queue.pushOnChange) throw new TypeError('the alerts queue has no pushOnChange')
    this.now = options.now ?? Date.now
  }

  /** Reads every balance once; resolves to the number of alerts queued. */
  async checkOnce(): Promise<number> {
    const results = await Promise.all(this.options.targets.map((t) => this.check(t)))
    const queued = results.filter(Boolean).length
    if (queued > 0) this.options.onQueued?.()
    return queued
  }

  private async check(target: BalanceTarget): Promise<boolean> {
    let reading: { balance: bigint; height: number }
    try {
      reading = await target.read()
    } catch (error) {
      // An unreadable balance is no crossing: the next check tries again.
      this.options.logger.warn({ err: error, account: target.account, chain: target.chain }, 'cannot read a balance')
      return false
    }
    const low = reading.balance < target.threshold
    const type = low ? 'balance.low' : 'balance.recovered'
    const at = this.now()
    const id = `${type}:${target.key}:${randomUUID()}`
    const payload: OperatorAlertPayload = {
      id,
      type,
      at,
      kind: target.kind,
      chain: target.chain,
      account: target.account,
      role: target.role,
      balance: reading.balance.toString(),
      threshold: target.threshold.toString(),
      unit: target.unit,
      height: reading.height,
    }
    const delivery: WebhookDelivery = { id, site: OPERATOR_SITE, body: JSON.stringify(payload), attempts: 0, dueAt: at }
    try {
      const pushed = await this.options.queue.pushOnChange?.(delivery, {
        key: `balance:${target.key}`,
        state: low ? 'low' : 'ok',
        height: reading.height,
        initial: 'ok',
      })
      if (pushed) {
        this.options.logger[low ? 'warn' : 'info'](
          { chain: target.chain, account: target.account, balance: payload.balance, threshold: payload.threshold },
          low ? 'balance below its threshold: operator alerted' : 'balance back above its threshold',
        )
      }
      return pushed === true
    } catch (error) {
      this.options.logger.error({ err: error, account: target.account }, 'could not queue a balance alert')
      return false
    }
  }

  /** A check soon (after a settlement); several nudges in a row make one check. */
  nudge(): void {
    if (this.stopped || this.nudgeTimer) return
    this.nudgeTimer = setTimeout(() => {
      this.nudgeTimer = undefined
      // A check already under way may have read before this settlement: one more after it.
      void (this.running ?? Promise.resolve(0)).then(() => this.run())
    }, this.options.settleDelayMs ?? 1000)
  }

  start(): void {
    this.stopped = false
    void this.loop()
  }

  private async loop(): Promise<void> {
    await this.run()
    if (!this.stopped) this.timer = setTimeout(() => void this.loop(), this.options.intervalMs ?? 60_000)
  }

  private run(): Promise<number> {
    this.running ??= this.checkOnce()
      .catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'balance check failed')
        return 0
      })
      .finally(() => {
        this.running = undefined
      })
    return this.running
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    if (this.nudgeTimer) clearTimeout(this.nudgeTimer)
    await this.running
  }
}

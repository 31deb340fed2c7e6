import type { StageEvent } from '@tokentags/ledger'
import type { Logger } from 'pino'
import { WEBHOOK_SIGNATURE_HEADER, webhookSignature } from './signature.js'

/** Where a site's webhooks go. */
export interface SiteWebhook {
  url: string
  /** HMAC-SHA256 key of `x-tokentags-signature`; shared with the site's receiver only. */
  secret: string
}

/** What a receiver gets as the JSON body. */
export type WebhookPayload =
  | {
      id: string
      type: 'request.final'
      site: string
      at: number
      request: {
        id: string
        kind: string
        chain?: string
        status: string
        code?: string
        txHash?: string
        fee?: string
      }
    }
  | {
      id: string
      type: 'budget.threshold'
      site: string
      at: number
      day: string
      percent: number
      spentWei: string
      budgetWei: string
    }

/** A delivery waiting in the queue: the body is fixed once, so every retry signs the same bytes. */
export interface WebhookDelivery {
  id: string
  site: string
  body: string
  attempts: number
  dueAt: number
}

/**
 * The durable queue of deliveries (the outbox pattern of the ledger): pushed before anything is
 * sent, removed only once the receiver answered 2xx. `push` ignores an id already queued or
 * delivered, so a budget threshold crossed on two instances is sent once.
 */
export interface WebhookQueue {
  push(delivery: WebhookDelivery): Promise<boolean>
  /** Up to `max` deliveries due at `now`, oldest due first. */
  due(now: number, max: number): Promise<WebhookDelivery[]>
  done(id: string): Promise<void>
  retry(id: string, dueAt: number, attempts: number): Promise<void>
  size(): Promise<number>
  /**
   * Pushes `delivery` only when `change.key`'s stored state moves to `change.state`, in one atomic
   * step, so a change seen by several instances at once is sent once (operator alerts). A reading
   * older than the stored one (`height`: block or slot) changes nothing; an unknown key starts at `initial`.
   */
  pushOnChange?(delivery: WebhookDelivery, change: StateChange): Promise<boolean>
  close?(): Promise<void>
}

/** A state observed at a height (block number, slot): see `WebhookQueue.pushOnChange`. */
export interface StateChange {
  key: string
  state: string
  height: number
  initial: string
}

export function createMemoryWebhookQueue(): WebhookQueue {
  const queued = new Map<string, WebhookDelivery>()
  const seen = new Set<string>()
  const states = new Map<string, { state: string; height: number }>()
  const push = async (delivery: WebhookDelivery) => {
    if (seen.has(delivery.id)) return false
    seen.add(delivery.id)
    queued.set(delivery.id, { ...delivery })
    return true
  }
  return {
    push,
    async pushOnChange(delivery, change) {
      const current = states.get(change.key) ?? { state: change.initial, height: -1 }
      if (change.height < current.height) return false
      states.set(change.key, { state: change.state, height: change.height })
      return current.state === change.state ? false : push(delivery)
    },
    async due(now, max) {
      return [...queued.values()]
        .filter((d) => d.dueAt <= now)
        .sort((a, b) => a.dueAt - b.dueAt)
        .slice(0, max)
        .map((d) => ({ ...d }))
    },
    async done(id) {
      queued.delete(id)
    },
    async retry(id, dueAt, attempts) {
      const d = queued.get(id)
      if (d) queued.set(id, { ...d, dueAt, attempts })
    },
    async size() {
      return queued.size
    },
  }
}

const FINAL = new Set(['confirmed', 'failed'])
export const BUDGET_THRESHOLDS = [50, 80, 100] as const

export interface DispatcherOptions {
  queue: WebhookQueue
  sites: ReadonlyMap<string, SiteWebhook>
  logger: Logger
  fetch?: typeof fetch
  now?: () => number
  /** First retry after this long, doubling up to `maxBackoffMs` (defaults 1 s, 5 min). */
  minBackoffMs?: number
  maxBackoffMs?: number
  /** A delivery is dropped (and logged) after this many failed attempts (default 12). */
  maxAttempts?: number
  timeoutMs?: number
  pollMs?: number
}

/**
 * Per-site webhooks. `onStages` (a ledger stage sink) and `onBudget` only append to the queue and
 * never throw, so the relay is never held by a receiver; a loop delivers what is due, signs each
 * attempt with its own `t`, and backs off on a non-2xx answer or a network error.
 */
export class WebhookDispatcher {
  private readonly fetch: typeof fetch
  private readonly now: () => number
  private timer: ReturnType<typeof setTimeout> | undefined
  private running: Promise<void> | undefined
  private stopped = true
  delivered = 0
  dropped = 0

  constructor(private readonly options: DispatcherOptions) {
    this.fetch = options.fetch ?? fetch
    this.now = options.now ?? Date.now
  }

  private async enqueue(payload: WebhookPayload): Promise<void> {
    if (!this.options.sites.has(payload.site)) return
    try {
      const fresh = await this.options.queue.push({
        id: payload.id,
        site: payload.site,
        body: JSON.stringify(payload),
        attempts: 0,
        dueAt: this.now(),
      })
      if (fresh) this.kick()
    } catch (error) {
      this.options.logger.error({ err: error, webhook: payload.id }, 'could not queue a webhook')
    }
  }

  /** A final status (`confirmed`/`failed` stage) of a request of a site with a webhook. */
  async onStages(events: readonly StageEvent[]): Promise<void> {
    for (const e of events) {
      if (!FINAL.has(e.stage) || !e.site) continue
      await this.enqueue({
        id: `final:${e.requestId}`,
        type: 'request.final',
        site: e.site,
        at: e.at,
        request: {
          id: e.requestId,
          kind: e.kind,
          status: e.status ?? e.stage,
          ...(e.chain ? { chain: e.chain } : {}),
          ...(e.code ? { code: e.code } : {}),
          ...(e.txHash ? { txHash: e.txHash } : {}),
          ...(e.fee ? { fee: e.fee } : {}),
        },
      })
    }
  }

  /** A site's spend today: one delivery per threshold (50, 80, 100 %) crossed, once per site and day. */
  async onBudget(site: string, day: string, spentWei: bigint, budgetWei: bigint): Promise<void> {
    if (budgetWei <= 0n) return
    for (const percent of BUDGET_THRESHOLDS) {
      if (spentWei * 100n < budgetWei * BigInt(percent)) continue
      await this.enqueue({
        id: `budget:${site}:${day}:${percent}`,
        type: 'budget.threshold',
        site,
        at: this.now(),
        day,
        percent,
        spentWei: spentWei.toString(),
        budgetWei: budgetWei.toString(),
      })
    }
  }

  /** Sends every due delivery once; resolves to how many were delivered. */
  async deliverOnce(): Promise<number> {
    const due = await this.options.queue.due(this.now(), 20)
    let ok = 0
    await Promise.all(
      due.map(async (d) => {
        const site = this.options.sites.get(d.site)
        if (!site) return this.options.queue.done(d.id)
        let status = 0
        try {
          const response = await this.fetch(site.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-tokentags-delivery': d.id,
              [WEBHOOK_SIGNATURE_HEADER]: webhookSignature(site.secret, d.body, this.now() / 1000),
            },
            body: d.body,
            redirect: 'manual',
            signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
          })
          status = response.status
          await response.body?.cancel()
        } catch {}
        if (status >= 200 && status < 300) {
          ok++
          this.delivered++
          return this.options.queue.done(d.id)
        }
        const attempts = d.attempts + 1
        if (attempts >= (this.options.maxAttempts ?? 12)) {
          this.dropped++
          this.options.logger.warn({ webhook: d.id, site: d.site, status, attempts }, 'webhook dropped after retries')
          return this.options.queue.done(d.id)
        }
        const backoff = Math.min(
          (this.options.minBackoffMs ?? 1000) * 2 ** (attempts - 1),
          this.options.maxBackoffMs ?? 300_000,
        )
        await this.options.queue.retry(d.id, this.now() + backoff, attempts)
      }),
    )
    return ok
  }

  start(): void {
    this.stopped = false
    this.kick()
  }

  /** Delivers what is due now rather than at the next poll (after a push straight to the queue). */
  wake(): void {
    this.kick()
  }

  private kick(): void {
    if (this.stopped || this.running) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.running = this.deliverOnce()
      .catch((error: unknown) => {
        this.options.logger.error({ err: error }, 'webhook delivery loop failed')
      })
      .then(() => {
        this.running = undefined
        if (!this.stopped) this.timer = setTimeout(() => this.kick(), this.options.pollMs ?? 250)
      })
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    await this.running
  }
}

import type { Ledger, StageEvent } from '@tokentags/ledger'
import type { RequestHandler, Router } from 'express'
import type { Logger } from 'pino'
import type { Registry } from 'prom-client'
import type { ResolvedSite } from '../config.js'
import { ConfigError } from '../configError.js'
import type { SolanaStore } from '../solana/store.js'
import { type EvmStores, utcDay } from '../store/types.js'
import { createMemoryWebhookQueue, WebhookDispatcher } from '../webhooks/dispatcher.js'
import type { RelayLedgerConfig } from './config.js'
import { LedgerDrainer } from './drainer.js'
import { functionNamer } from './events.js'
import { LedgerMetrics } from './metrics.js'
import { observeSolanaStore, observeStores, type StageSink } from './observe.js'
import { createMemoryOutbox, type LedgerOutbox } from './outbox.js'
import { DEFAULT_RETENTION_DAYS, LedgerPruner } from './pruner.js'
import { ledgerRecorder } from './recorder.js'
import { ledgerRoutes } from './routes.js'

/** The ledger as the relay runs it: observed stores, the HTTP recorder and routes, the drainer. */
export interface RelayLedger {
  ledger: Ledger
  outbox: LedgerOutbox
  /** Per-site webhooks, when `config.webhooks` is set. */
  webhooks: WebhookDispatcher | undefined
  drainer: LedgerDrainer
  /** Folds days past the retention into daily aggregates; undefined with `retention: false`. */
  pruner: LedgerPruner | undefined
  /** The relay's concern stores with their state changes recorded. */
  stores: EvmStores
  /** A Solana store with its state changes recorded. */
  observeSolana(store: SolanaStore): SolanaStore
  http: { recorder: RequestHandler; routes: Router }
  /** Stops the drainer (the outbox keeps what is left), closes the outbox and the ledger. */
  close(): Promise<void>
}

export interface AttachLedgerDeps {
  stores: EvmStores
  logger: Logger
  sites: ReadonlyMap<string, ResolvedSite>
  instanceId: string
  adminToken?: string | undefined
  solanaChain?: string | undefined
  /** The relay's metrics registry: the ledger's drop counter and outbox depth join `/metrics`. */
  registry?: Registry | undefined
}

export function attachLedger(config: RelayLedgerConfig, deps: AttachLedgerDeps): RelayLedger {
  if (!config.outbox && deps.stores.kind !== 'memory') {
    throw new ConfigError(
      `ledger on the ${deps.stores.kind} store needs a durable outbox there (createRedisOutbox with the store's Redis)`,
    )
  }
  const outbox = config.outbox ?? createMemoryOutbox()
  const logger = deps.logger.child({ component: 'ledger' })
  const metrics = new LedgerMetrics(deps.registry, outbox, logger)
  const drainer = new LedgerDrainer({
    ...config.drain,
    outbox,
    ledger: config.ledger,
    logger,
    owner: deps.instanceId,
    onDrop: (count) => metrics.drop('refused', count, false),
  })
  if (config.webhooks && !config.webhooks.queue && deps.stores.kind !== 'memory') {
    throw new ConfigError(`webhooks on the ${deps.stores.kind} store need a durable queue there (webhooks.queue)`)
  }
  const webhooks = config.webhooks
    ? new WebhookDispatcher({
        ...config.webhooks.delivery,
        queue: config.webhooks.queue ?? createMemoryWebhookQueue(),
        sites: new Map(Object.entries(config.webhooks.sites)),
        logger: logger.child({ component: 'webhooks' }),
      })
    : undefined
  // After a settlement (emitted once the store holds it): the site's spend today against its budget;
  // the dispatcher sends each threshold crossed once per day. Off the request's path.
  const budgetCheck = async (site: string, at: number) => {
    const budget = deps.sites.get(site)?.dailyBudgetWei
    if (!webhooks || budget === undefined) return
    const day = utcDay(at)
    try {
      const state = await deps.stores.admission.siteState(site, day)
      await webhooks.onBudget(site, day, state.spentWei, budget)
    } catch (error) {
      logger.warn({ err: error, site }, 'could not check the budget for webhooks')
    }
  }
  const sink: StageSink = async (events: StageEvent[]) => {
    if (events.length === 0) return
    // Queued only (onStages never throws): a slow or dead receiver cannot hold a request.
    if (webhooks) {
      await webhooks.onStages(events)
      for (const e of events) if (e.stage === 'settled' && e.kind === 'evm' && e.site) void budgetCheck(e.site, e.at)
    }
    try {
      const kept = await outbox.push(events)
      // A full (bounded, memory) outbox: the request goes on, its stages are counted as lost.
      metrics.drop('outbox_full', events.length - kept)
      drainer.notify()
    } catch (error) {
      // The request goes on: the store that holds it is the one that failed, the relay reports that itself.
      metrics.drop('outbox_unavailable', events.length, false)
      logger.error({ err: error, events: events.length }, 'could not append stage events to the ledger outbox')
    }
  }
  const solanaChain = deps.solanaChain ?? 'solana:devnet'
  const stores = observeStores(deps.stores, { sink, functionName: functionNamer(deps.sites) })
  const retention = config.retention
  if (retention && (!Number.isSafeInteger(retention.days) || retention.days < 1)) {
    throw new ConfigError(`ledger retention days must be a positive integer, got ${retention.days}`)
  }
  if (retention && retention.everyMs !== undefined && !(retention.everyMs >= 1000)) {
    throw new ConfigError(`ledger retention everyMs must be at least 1000, got ${retention.everyMs}`)
  }
  const pruner =
    config.retention === false
      ? undefined
      : new LedgerPruner({ days: DEFAULT_RETENTION_DAYS, ...config.retention, ledger: config.ledger, logger })
  drainer.start()
  webhooks?.start()
  pruner?.start()
  return {
    ledger: config.ledger,
    outbox,
    webhooks,
    drainer,
    pruner,
    stores,
    observeSolana: (solana) => observeSolanaStore(solana, { sink, chain: solanaChain }),
    http: {
      recorder: ledgerRecorder({ sink, solanaChain }),
      routes: ledgerRoutes({ ledger: config.ledger, adminToken: deps.adminToken }),
    },
    async close() {
      await pruner?.stop()
      await webhooks?.stop()
      await config.webhooks?.queue?.close?.()
      await drainer.stop()
      // A last drain (bounded): the memory outbox dies with the process.
      const until = Date.now() + 5000
      try {
        while (Date.now() < until && (await drainer.drainOnce()) > 0) {}
      } catch (error) {
        logger.warn({ err: error, left: await outbox.size().catch(() => undefined) }, 'ledger closed with events left')
      }
      await outbox.close()
      await config.ledger.close()
    },
  }
}

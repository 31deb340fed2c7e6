import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Express } from 'express'
import { pino } from 'pino'
import type { Abi } from 'viem'
import { resolveBalanceThresholds } from './alerts/config.js'
import {
  assertAlertsConfig,
  nudgeOnFinal,
  nudgeSolanaOnFinal,
  type OperatorAlerts,
  startOperatorAlerts,
} from './alerts/setup.js'
import { createApp } from './app.js'
import { checkProductionConfig, type RelayConfig, resolveBatch, resolveLimits, resolveSites } from './config.js'
import { ConfigError } from './configError.js'
import { resolveEvents } from './events/config.js'
import { eventsRoutes } from './events/routes.js'
import { ChainBatcher, defaultInstanceId } from './evm/batcher/batcher.js'
import { type ChainRuntime, createChainRuntime } from './evm/chain.js'
import { batchGasLimit } from './evm/gas.js'
import { knownErrorAbis } from './evm/knownErrors.js'
import { createEvmNetwork } from './evm/network.js'
import { attachLedger, type RelayLedger } from './ledger/setup.js'
import { RelayMetrics } from './metrics.js'
import { createSolanaNetwork } from './solana/network.js'
import { SolanaRuntime } from './solana/runtime.js'
import { subscriptionScope } from './solana/store.js'
import { createMemoryStores } from './store/memory.js'
import { type EvmStores, evmStoresOf, type RelayStore, relayStoreOf } from './store/types.js'

export interface Relay {
  app: Express
  store: RelayStore
  chains: ReadonlyMap<number, ChainRuntime>
  batchers: ReadonlyMap<number, ChainBatcher>
  /** Solana sponsorship, when `config.solana` is set. */
  solana: SolanaRuntime | undefined
  /** The ledger's outbox, drainer and observed store, when `config.ledger` is set. */
  ledger: RelayLedger | undefined
  /** Low-balance alerts to the operator webhook, when `config.alerts.operator` is set. */
  alerts: OperatorAlerts | undefined
  /** Stops the batchers (after their batch in flight) and closes the store. */
  close(): Promise<void>
}

export interface RunningRelay extends Relay {
  server: Server
  /** `http://host:port` the relay listens on. */
  url: string
}

export interface ListenOptions {
  /** Default 8787; 0 picks a free port. */
  port?: number
  /** Default 127.0.0.1. */
  host?: string
}

/** Builds the app, the store and a started batcher per chain, without listening. */
export function createRelay(config: RelayConfig): Relay {
  if (config.chains.length === 0 && !config.solana)
    throw new ConfigError('the relay serves nothing: give it an EVM chain or a solana section')
  const solanaOnlySite = config.solana ? undefined : Object.keys(config.sites).find((k) => config.sites[k]?.solana)
  if (solanaOnlySite !== undefined) {
    throw new ConfigError(`sites.${solanaOnlySite}.solana needs a solana section (rpcUrl, fee payer): Solana is off`)
  }
  if (config.production) checkProductionConfig(config)
  const logger = config.logger ?? pino({ name: 'tokentags-relay' })
  // `stores` (from `createStores`) gives every store; a lone `store` gives the EVM ones (Solana then in memory).
  let stores = config.stores
  let baseStores: EvmStores
  if (config.store) baseStores = evmStoresOf(config.store)
  else {
    stores ??= createMemoryStores()
    baseStores = stores
  }
  const metrics = new RelayMetrics()
  const batch = resolveBatch(config.batch)
  const chains = new Map<number, ChainRuntime>()
  for (const chainConfig of config.chains) {
    if (chains.has(chainConfig.chainId)) throw new ConfigError(`chain ${chainConfig.chainId} is configured twice`)
    chains.set(chainConfig.chainId, createChainRuntime(chainConfig))
  }
  const limits = resolveLimits(config.limits)
  for (const chain of chains.values()) {
    // The largest request the API accepts must fit in a batch, or it would be claimed and released forever.
    const largest = batchGasLimit([
      { request: { gas: chain.maxGasPerRequest, data: `0x${'00'.repeat(limits.maxBodyBytes / 2)}` } },
    ])
    if (largest > batch.maxGas) {
      throw new ConfigError(
        `chain ${chain.chainId}: batch.maxGas ${batch.maxGas} is below one request's worst case (${largest})`,
      )
    }
  }
  const sites = resolveSites(config.sites)
  for (const site of sites.values()) {
    if (site.dailyBudgetWei === undefined) continue
    for (const chain of chains.values()) {
      // A reservation prices measured gas at most at the ceiling: without one a fee spike has no bound.
      if (chain.fees.maxFeePerGas === undefined) {
        throw new ConfigError(
          `site ${site.key} has a dailyBudgetWei: chain ${chain.chainId} needs a maxFeePerGas ceiling`,
        )
      }
    }
  }
  if (config.alerts) assertAlertsConfig(config.alerts, baseStores.kind)
  const errorAbis: Abi[] = [...knownErrorAbis, ...(config.errorAbis ?? [])]
  const instanceId = config.instanceId ?? defaultInstanceId()
  // The ledger observes the stores from outside: everything below sees the observed ones.
  const ledger = config.ledger
    ? attachLedger(config.ledger, {
        stores: baseStores,
        logger,
        sites,
        instanceId,
        adminToken: config.admin?.token,
        solanaChain: config.solana?.chain,
        registry: metrics.registry,
      })
    : undefined
  // A settlement moves a relayer's or the fee payer's balance: the alerts check it soon after.
  let alerts: OperatorAlerts | undefined
  const nudge = config.alerts?.operator ? () => alerts?.monitor.nudge() : undefined
  const observed = ledger?.stores ?? baseStores
  // Each part below takes the concern stores it uses; `store` is the flat view the submit route takes.
  const evmStores = nudge ? nudgeOnFinal(observed, nudge) : observed
  const store = relayStoreOf(evmStores)
  const batchers = new Map<number, ChainBatcher>()
  for (const chain of chains.values()) {
    batchers.set(
      chain.chainId,
      new ChainBatcher({ chain, stores: evmStores, metrics, logger, batch, errorAbis, instanceId }),
    )
  }
  // Solana requests live on the relay's own backend (shared Redis: several relays, restarts) unless
  // the config names a store of their own. Closing this relay ends only its own subscriptions there.
  const baseSolanaStore = config.solana?.store ?? (stores ? subscriptionScope(stores.solana) : undefined)
  const observedSolanaStore =
    config.solana && baseSolanaStore && (ledger?.observeSolana(baseSolanaStore) ?? baseSolanaStore)
  const solanaStore =
    observedSolanaStore && nudge ? nudgeSolanaOnFinal(observedSolanaStore, nudge) : observedSolanaStore
  const solana = config.solana
    ? new SolanaRuntime(config.solana, {
        logger,
        metrics,
        sites: config.sites,
        ...(solanaStore ? { store: solanaStore } : {}),
        // The pause flag the admin route sets: one per site, for both networks.
        admission: evmStores.admission,
        // Pending Solana requests are leased like relayer keys: one follower each across instances.
        leases: { store: evmStores.leases, owner: instanceId, ttlMs: batch.keyLeaseMs },
      })
    : undefined
  // One instance of each network: the submit routes check and admit through it, the status route reads
  // it, and here it sends and tracks (the batchers for EVM, the runtime's followers for Solana).
  const evmNetwork = createEvmNetwork({ stores: evmStores, errorAbis, now: Date.now, limits, batchers })
  const solanaNetwork = solana ? createSolanaNetwork(solana) : undefined
  const networks = [evmNetwork, ...(solanaNetwork ? [solanaNetwork] : [])]
  const app = createApp(
    {
      chains,
      sites,
      store,
      stores: evmStores,
      logger,
      metrics,
      limits,
      errorAbis,
      onQueued: (chainId) => batchers.get(chainId)?.notify(),
      batchers,
      ...(config.admin?.token ? { adminToken: config.admin.token } : {}),
      ...(config.trustProxy === undefined ? {} : { trustProxy: config.trustProxy }),
      ...(config.embed ? { embed: config.embed } : {}),
      ...(config.dashboard ? { dashboard: config.dashboard } : {}),
      ...(config.alerts ? { alerts: config.alerts } : {}),
      solana,
      networks: { evm: evmNetwork, ...(solanaNetwork ? { solana: solanaNetwork } : {}) },
    },
    ledger?.http,
    eventsRoutes({
      sites,
      rateLimits: evmStores.rateLimits,
      config: resolveEvents(config.events),
      ledger,
      adminToken: config.admin?.token,
    }),
  )
  for (const network of networks) network.start()
  alerts = config.alerts
    ? startOperatorAlerts(config.alerts, {
        storeKind: baseStores.kind,
        logger,
        thresholds: resolveBalanceThresholds(config.alerts, config.dashboard),
        chains,
        solana,
      })
    : undefined
  let closing: Promise<void> | undefined
  return {
    app,
    store,
    chains,
    batchers,
    solana,
    ledger,
    alerts,
    close() {
      closing ??= (async () => {
        await alerts?.close()
        for (const network of networks) await network.close()
        await ledger?.close()
        await store.close()
      })()
      return closing
    },
  }
}

/** `createRelay` plus an HTTP server; `close()` also ends open connections (SSE streams). */
export async function startRelay(config: RelayConfig & ListenOptions): Promise<RunningRelay> {
  const relay = createRelay(config)
  const host = config.host ?? '127.0.0.1'
  const server = relay.app.listen(config.port ?? 8787, host)
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve)
      server.once('error', reject)
    })
  } catch (error) {
    await relay.close()
    throw error
  }
  const { port } = server.address() as AddressInfo
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  let closing: Promise<void> | undefined
  return {
    ...relay,
    server,
    url,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeAllConnections()
        await closed
        await relay.close()
      })()
      return closing
    },
  }
}

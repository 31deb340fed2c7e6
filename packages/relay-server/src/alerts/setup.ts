import type { Logger } from 'pino'
import { ConfigError } from '../configError.js'
import type { ChainRuntime } from '../evm/chain.js'
import type { SolanaRuntime } from '../solana/runtime.js'
import type { SolanaStore } from '../solana/store.js'
import { isFinalStatus } from '../store/status.js'
import type { RequestStore, Stores } from '../store/types.js'
import { createMemoryWebhookQueue, WebhookDispatcher } from '../webhooks/dispatcher.js'
import { BalanceMonitor, type BalanceTarget, OPERATOR_SITE } from './balances.js'
import type { AlertsConfig, BalanceThresholds } from './config.js'

/** Operator alerts as the relay runs them: the balance monitor and the dispatcher of its queue. */
export interface OperatorAlerts {
  monitor: BalanceMonitor
  dispatcher: WebhookDispatcher
  close(): Promise<void>
}

export interface OperatorAlertsDeps {
  storeKind: string
  logger: Logger
  thresholds: BalanceThresholds
  chains: ReadonlyMap<number, ChainRuntime>
  solana: SolanaRuntime | undefined
}

/** Checks the config at once (a typo must stop the relay at start); the monitor starts with `start`. */
export function assertAlertsConfig(config: AlertsConfig, storeKind: string): void {
  const operator = config.operator
  if (!operator) return
  let url: URL | undefined
  try {
    url = new URL(operator.url)
  } catch {}
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new ConfigError('alerts.operator.url is not an http(s) URL')
  }
  // A guessable key would let anyone forge alerts (the same rule as site webhooks).
  if (operator.secret.length < 16) throw new ConfigError('alerts.operator.secret is shorter than 16 characters')
  if (!config.queue && storeKind !== 'memory') {
    throw new ConfigError(`operator alerts on the ${storeKind} store need a durable queue there (alerts.queue)`)
  }
  if (config.queue && !config.queue.pushOnChange) {
    throw new ConfigError('alerts.queue cannot deduplicate alerts (no pushOnChange): use createRedisWebhookQueue')
  }
}

export function startOperatorAlerts(config: AlertsConfig, deps: OperatorAlertsDeps): OperatorAlerts | undefined {
  const operator = config.operator
  if (!operator) return undefined
  assertAlertsConfig(config, deps.storeKind)
  const logger = deps.logger.child({ component: 'alerts' })
  const queue = config.queue ?? createMemoryWebhookQueue()
  const dispatcher = new WebhookDispatcher({
    ...config.delivery,
    queue,
    sites: new Map([[OPERATOR_SITE, operator]]),
    logger,
  })
  const targets: BalanceTarget[] = []
  for (const chain of deps.chains.values()) {
    for (const { account } of chain.relayers) {
      targets.push({
        key: `evm:${chain.chainId}:${account.address.toLowerCase()}`,
        kind: 'evm',
        chain: String(chain.chainId),
        account: account.address,
        role: 'relayer',
        unit: 'wei',
        threshold: deps.thresholds.wei(chain.chainId),
        // The balance at a known block: a reading older than another instance's changes nothing.
        async read() {
          const blockNumber = await chain.publicClient.getBlockNumber({ cacheTime: 0 })
          const balance = await chain.publicClient.getBalance({ address: account.address, blockNumber })
          return { balance, height: Number(blockNumber) }
        },
      })
    }
  }
  const solana = deps.solana
  if (solana) {
    const feePayer = solana.signer.address
    targets.push({
      key: `solana:${solana.config.chain}:${feePayer}`,
      kind: 'solana',
      chain: solana.config.chain,
      account: feePayer,
      role: 'fee-payer',
      unit: 'lamports',
      threshold: deps.thresholds.lamports,
      async read() {
        const answer = await solana.rpc.call<{ context: { slot: number }; value: number }>('getBalance', [
          feePayer,
          { commitment: 'confirmed' },
        ])
        return { balance: BigInt(answer.value), height: answer.context.slot }
      },
    })
  }
  const monitor = new BalanceMonitor({
    targets,
    queue,
    logger,
    onQueued: () => dispatcher.wake(),
    ...(config.checkIntervalMs === undefined ? {} : { intervalMs: config.checkIntervalMs }),
  })
  dispatcher.start()
  monitor.start()
  return {
    monitor,
    dispatcher,
    async close() {
      await monitor.stop()
      await dispatcher.stop()
      await queue.close?.()
    },
  }
}

/** The stores, unchanged, whose requests store calls `nudge` after each final status (a settlement moved a balance). */
export function nudgeOnFinal<S extends Pick<Stores, 'requests'>>(stores: S, nudge: () => void): S {
  const { requests } = stores
  const update: RequestStore['update'] = async (id, change) => {
    const after = await requests.update(id, change)
    if (isFinalStatus(change.status)) nudge()
    return after
  }
  return withMember(stores, 'requests', withMember(requests, 'update', update) as S['requests'])
}

/** The Solana store, unchanged, calling `nudge` after each final status. */
export function nudgeSolanaOnFinal(store: SolanaStore, nudge: () => void): SolanaStore {
  const update: SolanaStore['update'] = async (id, change) => {
    const after = await store.update(id, change)
    if (isFinalStatus(change.status)) nudge()
    return after
  }
  return withMember(store, 'update', update)
}

function withMember<T extends object, K extends keyof T>(target: T, name: K, value: T[K]): T {
  return new Proxy(target, {
    get(object, property) {
      if (property === name) return value
      const member = Reflect.get(object, property, object)
      return typeof member === 'function' ? member.bind(object) : member
    },
  })
}

import type { Logger } from 'pino'
import type { Abi } from 'viem'
import type { BalanceThresholdsConfig } from './alerts/config.js'
import type { ResolvedLimits, ResolvedSite, TrustProxy } from './config.js'
import type { DashboardConfig } from './dashboard/config.js'
import type { EmbedConfig } from './embed/config.js'
import type { ChainBatcher } from './evm/batcher/batcher.js'
import type { ChainRuntime } from './evm/chain.js'
import type { EvmNetwork } from './evm/network.js'
import type { RelayMetrics } from './metrics.js'
import type { SolanaNetwork } from './solana/network.js'
import type { SolanaRuntime } from './solana/runtime.js'
import type { EvmStores, RelayStore } from './store/types.js'

/** What `createApp` needs; `createRelay` builds it from a `RelayConfig`. */
export interface AppDeps {
  chains: ReadonlyMap<number, ChainRuntime>
  sites: ReadonlyMap<string, ResolvedSite>
  /** The EVM stores as one object: the submit route still takes them whole. */
  store: RelayStore
  /** The EVM concern stores each route takes its part of; default: those of `store` (`evmStoresOf`). */
  stores?: EvmStores
  logger: Logger
  metrics: RelayMetrics
  limits: ResolvedLimits
  /** ABIs whose custom errors name simulation reverts. */
  errorAbis: readonly Abi[]
  /** Called once a request is stored (wakes that chain's batcher). */
  onQueued?: (chainId: number) => void
  /** The batchers, for admin stats (held keys, transactions in flight). */
  batchers?: ReadonlyMap<number, ChainBatcher>
  /** Bearer token of `/admin/api/*`; the admin API answers 404 without one. */
  adminToken?: string
  /** Solana sponsorship, when configured. */
  solana?: SolanaRuntime
  /**
   * The networks the relay sponsors on, built once by `createRelay` (the ones it starts and closes);
   * default: built by `createApp` from `store` and `solana`, checking and admitting only (nothing sends).
   */
  networks?: AppNetworks
  /** express's `trust proxy` (see `RelayConfig.trustProxy`); default false. */
  trustProxy?: TrustProxy
  /** Clock in milliseconds (default `Date.now`). */
  now?: () => number
  /** Social embeds (`/embed/*`, `/oembed`); off when absent. */
  embed?: EmbedConfig
  /** Operator dashboard (`/admin`, `/admin/api/overview`). */
  dashboard?: DashboardConfig
  /** Low-balance thresholds (`RelayConfig.alerts`): the dashboard flags what the operator alerts report. */
  alerts?: BalanceThresholdsConfig
}

/** One instance of each network: the submit routes check and admit through them, the status route reads them. */
interface AppNetworks {
  evm: EvmNetwork
  solana?: SolanaNetwork
}

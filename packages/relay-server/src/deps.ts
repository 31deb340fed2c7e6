import type { Logger } from 'pino'
import type { Abi } from 'viem'
import type { ResolvedLimits, ResolvedSite } from './config.js'
import type { ChainRuntime } from './evm/chain.js'
import type { RelayMetrics } from './metrics.js'
import type { RelayStore } from './store/types.js'

/** What `createApp` needs; `createRelay` builds it from a `RelayConfig`. */
export interface AppDeps {
  chains: ReadonlyMap<number, ChainRuntime>
  sites: ReadonlyMap<string, ResolvedSite>
  store: RelayStore
  logger: Logger
  metrics: RelayMetrics
  limits: ResolvedLimits
  /** ABIs whose custom errors name simulation reverts. */
  errorAbis: readonly Abi[]
  /** Called once a request is stored (wakes that chain's batcher). */
  onQueued?: (chainId: number) => void
  /** Clock in milliseconds (default `Date.now`). */
  now?: () => number
}

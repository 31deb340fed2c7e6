export { createApp } from './app.js'
export { batchGasLimit, ChainBatcher } from './batcher.js'
export {
  type BatchConfig,
  ConfigError,
  type LimitsConfig,
  parseRelayConfigFile,
  type RelayChainConfig,
  type RelayConfig,
  type RelayConfigFile,
  relayConfigFileSchema,
  type SiteConfig,
  type SiteTarget,
} from './config.js'
export type { AppDeps } from './deps.js'
export { RelayError, type RelayErrorCode } from './errors.js'
export { FORWARDER_DOMAIN_NAME, FORWARDER_DOMAIN_VERSION, forwardRequestTypes } from './evm/forwarderAbi.js'
export { jsonReplacer } from './json.js'
export { RelayMetrics } from './metrics.js'
export { createRelay, type ListenOptions, type Relay, type RunningRelay, startRelay } from './relay.js'
export { createMemoryStore, type MemoryStoreOptions } from './store/memory.js'
export {
  type ClaimOptions,
  DuplicateNonceError,
  type ForwardRequest,
  isFinalStatus,
  type NewRequest,
  type QueueStats,
  type RelayStore,
  type RequestError,
  type RequestStatus,
  type StatusListener,
  type StatusUpdate,
  type StoredRequest,
} from './store/types.js'
export type { RequestView } from './view.js'

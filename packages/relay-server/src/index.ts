export { FORWARDER_DOMAIN_NAME, FORWARDER_DOMAIN_VERSION, forwardRequestTypes } from '@tokentags/contracts/forwarder'
// Operator alerts (README, "Operator alerts"): low relayer and fee-payer balances.
export type { OperatorAlertPayload } from './alerts/balances.js'
export {
  type AlertsConfig,
  type BalanceThresholdsConfig,
  DEFAULT_LOW_BALANCE_LAMPORTS,
  DEFAULT_LOW_BALANCE_WEI,
} from './alerts/config.js'
export { createApp } from './app.js'
export {
  type BatchConfig,
  type LimitsConfig,
  parseRelayConfigFile,
  type RelayChainConfig,
  type RelayConfig,
  type RelayConfigFile,
  relayConfigFileSchema,
  type SiteConfig,
  type SiteTarget,
  type TrustProxy,
} from './config.js'
export { ConfigError } from './configError.js'
export type { AppDeps } from './deps.js'
export { RelayError, type RelayErrorCode } from './errors.js'
export { ChainBatcher } from './evm/batcher/batcher.js'
export { batchGasLimit } from './evm/gas.js'
export { type ForwarderDomain, forwardRequestDigest, recoverForwardRequestSigner } from './evm/hotPath/signature.js'
export { jsonReplacer } from './json.js'
export type { RelayLedgerConfig } from './ledger/config.js'
export { ledgerOutboxFromEnv, ledgerRetentionFromEnv } from './ledger/fromEnv.js'
export {
  createMemoryOutbox,
  createRedisOutbox,
  type LedgerOutbox,
  type RedisOutboxOptions,
} from './ledger/outbox.js'
export { DEFAULT_RETENTION_DAYS, type LedgerRetention } from './ledger/pruner.js'
export type { RelayLedger } from './ledger/setup.js'
export { RelayMetrics } from './metrics.js'
export { createRelay, type ListenOptions, type Relay, type RunningRelay, startRelay } from './relay.js'
// Solana sponsorship (README, "Solana").
export {
  DEFAULT_SOLANA_PROGRAMS,
  type ResolvedSolanaConfig,
  type SolanaRelayConfig,
  type SolanaSitePolicy,
} from './solana/config.js'
export { toSolanaRequestView } from './solana/network.js'
export {
  type CheckedSolanaTransaction,
  checkSolanaTransaction,
  type SolanaErrorCode,
} from './solana/policy.js'
export { createRedisLikeSolanaStore, type RedisSolanaStoreOptions } from './solana/redisStore.js'
export {
  type PreparedSolanaTransaction,
  type SolanaPublicConfig,
  SolanaRuntime,
  type SolanaRuntimeOptions,
} from './solana/runtime.js'
export {
  type AdmissionLimits,
  type AdmissionResult,
  createMemorySolanaStore,
  type MemorySolanaStoreOptions,
  memorySolanaStores,
  type NewSolanaRequest,
  SIGNATURE_GUARD_MIN_MS,
  type SolanaRequestRecord,
  type SolanaStatusUpdate,
  type SolanaStore,
  subscriptionScope,
} from './solana/store.js'
export type { AdmissionStore } from './store/admission/types.js'
export {
  connectRedisClusterDriver,
  connectRedisDriver,
  createUpstashDriver,
  type RedisClusterDriverOptions,
  type RedisDriverOptions,
  type UpstashDriverOptions,
} from './store/drivers.js'
export { createStoreFromEnv, createStores, createStoresFromEnv, type StoresOptions } from './store/factory.js'
export { redisDriverFromEnv, type StoreTarget, storeTargetFromEnv } from './store/fromEnv.js'
export type { JournalStore } from './store/journal/types.js'
export type { LeaseStore } from './store/leases/types.js'
export { createMemoryStore, createMemoryStores, type MemoryStoreOptions } from './store/memory.js'
export type { QueueStore } from './store/queue/types.js'
export type { RateLimitStore } from './store/rateLimits/types.js'
export {
  createRedisClusterStore,
  createRedisLikeStore,
  createRedisStore,
  createUpstashStore,
  type RedisClusterStoreOptions,
  type RedisStoreOptions,
  type UpstashStoreOptions,
} from './store/redis.js'
export type { RedisDriver } from './store/redisDriver.js'
export { createRedisLikeStores, type RedisLikeStoreOptions } from './store/redisStores.js'
export type { RequestStore } from './store/requests/types.js'
export {
  DEFAULT_FINAL_RETENTION_MS,
  isFinalStatus,
  type RequestError,
  type RequestStatus,
} from './store/status.js'
export {
  BudgetExceededError,
  type BudgetReservation,
  type ClaimOptions,
  chainOfRequestId,
  DuplicateNonceError,
  type ForwardRequest,
  type InFlightLimits,
  IpInFlightError,
  type JournalEntry,
  type LeaseFence,
  type NewRequest,
  newRequestId,
  type QueueStats,
  QuotaExceededError,
  RateLimitedError,
  type RateLimiter,
  type RateLimiterOptions,
  type RecordResult,
  type RelayStore,
  relayStoreOf,
  SenderInFlightError,
  type SenderQuota,
  type SentTransaction,
  SitePausedError,
  type SiteState,
  type StatusListener,
  type StatusUpdate,
  type StoredRequest,
  type StoreHealth,
  type Stores,
  StoreUnavailableError,
} from './store/types.js'
export type { RequestView, SolanaRequestView } from './view.js'
// Per-site webhooks (README, "Webhooks"): receivers use verifyWebhookSignature.
export {
  BUDGET_THRESHOLDS,
  createMemoryWebhookQueue,
  type SiteWebhook,
  type StateChange,
  WebhookDispatcher,
  type WebhookPayload,
  type WebhookQueue,
} from './webhooks/dispatcher.js'
export { createRedisWebhookQueue, type RedisWebhookQueueOptions } from './webhooks/redisQueue.js'
export {
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TOLERANCE_SECONDS,
  webhookSignature,
} from './webhooks/signature.js'

import type { SolanaStore } from '../solana/store.js'
import type { AdmissionStore } from './admission/types.js'
import type { JournalStore } from './journal/types.js'
import type { LeaseStore } from './leases/types.js'
import type { QueueStore } from './queue/types.js'
import type { RateLimitStore } from './rateLimits/types.js'
import type { RequestStore } from './requests/types.js'

// The stores by concern, each in its own folder (types, memory and Redis adapters, Lua); this
// module names them together for the callers that use several.
export {
  BudgetExceededError,
  type BudgetReservation,
  DuplicateNonceError,
  type InFlightLimits,
  IpInFlightError,
  type NewRequest,
  QuotaExceededError,
  SenderInFlightError,
  type SenderQuota,
  SitePausedError,
  type SiteState,
} from './admission/types.js'
export type { JournalEntry, RecordResult, SentTransaction } from './journal/types.js'
export type { LeaseFence } from './leases/types.js'
export type { ClaimOptions, QueueStats } from './queue/types.js'
export { RateLimitedError, type RateLimiter, type RateLimiterOptions } from './rateLimits/types.js'
export {
  chainOfRequestId,
  type ForwardRequest,
  newRequestId,
  type StatusListener,
  type StoredRequest,
  StoreUnavailableError,
  utcDay,
} from './records.js'
export type { StatusUpdate } from './requests/types.js'
export type { AdmissionStore, JournalStore, LeaseStore, QueueStore, RateLimitStore, RequestStore }

/** Health and lifetime of a set of stores (one backend, one connection). */
export interface StoreHealth {
  /** Short name for health output (`memory`, `redis`, `redis-cluster`, `upstash`). */
  readonly kind: string
  /**
   * Resolves when the store does real work: for the Redis stores a script round trip on a hash-tagged
   * key (EVALSHA), not a PING. Rejects when it is down or cannot run the relay's scripts.
   */
  ping(): Promise<void>
  close(): Promise<void>
}

/**
 * Every store of the relay on one backend, as `createStores` builds them: one connection (or one
 * process memory) shared by all, closed by `close`. Relays on the same backend share all of it.
 */
export interface Stores extends StoreHealth {
  readonly requests: RequestStore
  readonly queue: QueueStore
  readonly leases: LeaseStore
  readonly journal: JournalStore
  readonly admission: AdmissionStore
  readonly rateLimits: RateLimitStore
  /** Sponsored Solana transactions (their own records, admission and pending set). */
  readonly solana: SolanaStore
}

/** The EVM concern stores of one backend with its health: what `createRelay` hands to each caller in parts. */
export type EvmStores = Omit<Stores, 'solana'>

/**
 * The EVM concerns of one {@link Stores} as one object (`relayStoreOf`). Kept for the public API
 * (`createMemoryStore`, `createRedisStore`, `RelayConfig.store`, `Relay.store`) and the submit route;
 * inside the relay each caller takes only the concern stores it uses (`Pick<Stores, 'leases'>`, …).
 */
export interface RelayStore
  extends StoreHealth,
    RequestStore,
    QueueStore,
    LeaseStore,
    JournalStore,
    AdmissionStore,
    RateLimitStore {}

/** The flat view of `stores`' EVM concerns; closing it closes `stores`. */
export function relayStoreOf(stores: EvmStores): RelayStore {
  const { requests, queue, leases, journal, admission, rateLimits } = stores
  return {
    kind: stores.kind,
    ping: () => stores.ping(),
    close: () => stores.close(),
    get: (id) => requests.get(id),
    update: (id, change) => requests.update(id, change),
    subscribe: (id, listener) => requests.subscribe(id, listener),
    pendingCount: (chainId, from) => requests.pendingCount(chainId, from),
    pendingNonces: (chainId, from) => requests.pendingNonces(chainId, from),
    pendingRequests: (chainId, from, limit) => requests.pendingRequests(chainId, from, limit),
    claimBatch: (chainId, options) => queue.claimBatch(chainId, options),
    release: (ids) => queue.release(ids),
    queueStats: (chainId) => queue.queueStats(chainId),
    acquireLease: (name, owner, ttlMs) => leases.acquireLease(name, owner, ttlMs),
    renewLease: (name, owner, ttlMs) => leases.renewLease(name, owner, ttlMs),
    releaseLease: (name, owner) => leases.releaseLease(name, owner),
    leaseHolder: (name) => leases.leaseHolder(name),
    recordTransaction: (entry, fence, claimOwner) => journal.recordTransaction(entry, fence, claimOwner),
    journal: (chainId, relayer) => journal.journal(chainId, relayer),
    removeTransaction: (chainId, relayer, nonce, fence) => journal.removeTransaction(chainId, relayer, nonce, fence),
    enqueue: (request) => admission.enqueue(request),
    siteState: (siteKey, day) => admission.siteState(siteKey, day),
    setSitePaused: (siteKey, paused) => admission.setSitePaused(siteKey, paused),
    rateLimiter: (options) => rateLimits.rateLimiter(options),
  }
}

/** The concern stores of a flat {@link RelayStore} (which is each of them); closing them closes `store`. */
export function evmStoresOf(store: RelayStore): EvmStores {
  return {
    kind: store.kind,
    ping: () => store.ping(),
    close: () => store.close(),
    requests: store,
    queue: store,
    leases: store,
    journal: store,
    admission: store,
    rateLimits: store,
  }
}

// What one relayer key's rooms share: its lease fence, the transactions it has in flight, its next
// nonce. The worker in `batcher.ts` holds it; every room takes it as its first argument.
import type { Logger } from 'pino'
import type { Abi, Address, Hex } from 'viem'
import type { ResolvedBatchConfig } from '../../config.js'
import type { RelayMetrics } from '../../metrics.js'
import type { JournalEntry, LeaseFence, StoredRequest, Stores } from '../../store/types.js'
import type { ChainRuntime, Relayer } from '../chain.js'

/** The state a chain's batcher reads and writes; each room's `KeyState` names the part it uses. */
export type BatcherStores = Pick<Stores, 'requests' | 'queue' | 'leases' | 'journal'>

export interface BatcherDeps<S = BatcherStores> {
  chain: ChainRuntime
  stores: S
  metrics: RelayMetrics
  logger: Logger
  batch: ResolvedBatchConfig
  errorAbis: readonly Abi[]
  /** Name of this process in leases and claims (default: host, pid and a random suffix). */
  instanceId?: string
}

/** A journaled transaction (batch or filler) followed until final. */
export interface Tracked {
  entry: JournalEntry
  /** A receipt seen while waiting for confirmations. */
  mined?: { blockNumber: bigint; blockHash: Hex }
  /** When the next fee bump is due. */
  replaceAt: number
  /** Consecutive ticks where the nonce is used on chain but none of our hashes has a receipt. */
  foreignTicks: number
  failures: number
  accepted: boolean
  stuckLogged: boolean
}

/** A key's shared state; `S` is the concern stores the room taking it uses (`Pick<Stores, 'journal'>`). */
export interface KeyState<S = BatcherStores> {
  readonly deps: BatcherDeps<S>
  readonly relayer: Relayer
  readonly address: Address
  readonly fence: LeaseFence
  readonly log: Logger
  /** Journaled transactions of this key by nonce. */
  readonly inflight: Map<number, Tracked>
  /** Forwarder nonces seen executed, by lowercase signer: ahead of a lagging node's reads. */
  readonly seenNonces: Map<string, bigint>
  /** The nonce the next transaction of this key is signed with. */
  nextNonce: number
  /** The base fee is above the ceiling (logged once per hold). */
  holding: boolean
  isHeld(): boolean
  /** Stops sending with this key: the lease is gone, and what it tracked goes with it. */
  lose(reason: string): void
}

export function tracked(k: KeyState<unknown>, entry: JournalEntry): Tracked {
  const last = entry.transactions.at(-1)
  return {
    entry,
    replaceAt: (last?.sentAt ?? Date.now()) + k.deps.chain.fees.replaceAfterMs,
    foreignTicks: 0,
    failures: 0,
    accepted: false,
    stuckLogged: false,
  }
}

export async function records(k: KeyState<Pick<Stores, 'requests'>>, ids: readonly string[]): Promise<StoredRequest[]> {
  const found = await Promise.all(ids.map((id) => k.deps.stores.requests.get(id)))
  return found.filter((r): r is StoredRequest => r !== undefined)
}

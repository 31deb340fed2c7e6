// What one relayer key's rooms share: its lease fence, the transactions it has in flight, its next
// nonce. The worker in `batcher.ts` holds it; every room takes it as its first argument.
import type { Logger } from 'pino'
import type { Abi, Address, Hex } from 'viem'
import type { ResolvedBatchConfig } from '../../config.js'
import type { RelayMetrics } from '../../metrics.js'
import type { JournalEntry, LeaseFence, RelayStore, StoredRequest } from '../../store/types.js'
import type { ChainRuntime, Relayer } from '../chain.js'

export interface BatcherDeps {
  chain: ChainRuntime
  store: RelayStore
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

export interface KeyState {
  readonly deps: BatcherDeps
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

export function tracked(k: KeyState, entry: JournalEntry): Tracked {
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

export async function records(k: KeyState, ids: readonly string[]): Promise<StoredRequest[]> {
  const found = await Promise.all(ids.map((id) => k.deps.store.get(id)))
  return found.filter((r): r is StoredRequest => r !== undefined)
}

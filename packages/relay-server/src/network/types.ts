import type { Hex } from 'viem'
import type { RequestError, RequestStatus } from '../store/status.js'

/** What is particular to an EVM request: its chain and, once sent, its transaction. */
export interface EvmRequestNetwork {
  kind: 'evm'
  chainId: number
  txHash?: Hex
  blockNumber?: bigint
}

/** What is particular to a Solana request: its transaction's signature and, once landed, its slot. */
export interface SolanaRequestNetwork {
  kind: 'solana'
  signature: string
  slot?: bigint
}

export type RequestNetwork = EvmRequestNetwork | SolanaRequestNetwork

/**
 * One sponsored request, whichever network it runs on: the single model the status route, its event
 * stream and the wire views (`view.ts`) read. Each network builds it from its own stored record,
 * whose format stays its own (EVM `StoredRequest`, Solana `SolanaRequestRecord`).
 */
export interface RelayRequest<N extends RequestNetwork = RequestNetwork> {
  id: string
  siteKey: string
  status: RequestStatus
  error?: RequestError
  /** Milliseconds since the epoch. */
  createdAt: number
  updatedAt: number
  network: N
}

/**
 * What every network the relay sponsors implements (`evm/network.ts`, `solana/network.ts`), gathered
 * by `network/registry.ts`. Ids name their network by their shape, so `owns` needs no store read.
 */
export interface Network<N extends RequestNetwork = RequestNetwork> {
  readonly kind: N['kind']
  /** Whether `id` has this network's shape; the networks of one relay own disjoint shapes. */
  owns(id: string): boolean
  /** The request, or undefined when there is none (or no longer: final records expire). */
  view(id: string): Promise<RelayRequest<N> | undefined>
  /** Calls `listener` after every status change of `id`; resolves to an unsubscribe function. */
  subscribe(id: string, listener: (request: RelayRequest<N>) => void): Promise<() => Promise<void>>
}

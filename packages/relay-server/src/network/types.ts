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
 * The reading side of a network: what the status route and its event stream need, gathered by
 * `network/registry.ts`. Ids name their network by their shape, so `owns` needs no store read.
 */
export interface NetworkView<N extends RequestNetwork = RequestNetwork> {
  readonly kind: N['kind']
  /** Whether `id` has this network's shape; the networks of one relay own disjoint shapes. */
  owns(id: string): boolean
  /** The request, or undefined when there is none (or no longer: final records expire). */
  view(id: string): Promise<RelayRequest<N> | undefined>
  /** Calls `listener` after every status change of `id`; resolves to an unsubscribe function. */
  subscribe(id: string, listener: (request: RelayRequest<N>) => void): Promise<() => Promise<void>>
}

/**
 * What every network the relay sponsors implements (`evm/network.ts`, `solana/network.ts`): a
 * request's whole lifecycle. A submit route parses `Input`, has it checked, runs the site's
 * attestation, has it admitted and answers; what admission stored is sent and tracked between
 * `start` and `close`.
 */
export interface Network<N extends RequestNetwork = RequestNetwork, Input = unknown, Checked = unknown>
  extends NetworkView<N> {
  /** The network's policy, signature and simulation verdict: the checked request, or the refusal thrown as a domain error. */
  check(input: Input): Promise<Checked>
  /** The admission store's one atomic step (duplicates, pause, quotas, budget); only then is the request stored. */
  admit(checked: Checked): Promise<RelayRequest<N>>
  /** Starts sending and tracking admitted requests (and resuming those another instance left). */
  start(): void
  /** Stops sending and tracking after the work in flight; admitted requests stay in the store. */
  close(): Promise<void>
}

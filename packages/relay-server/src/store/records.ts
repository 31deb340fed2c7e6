import { randomUUID } from 'node:crypto'
import type { Address, Hex } from 'viem'
import type { RequestError, RequestStatus } from './status.js'

/** The signed OpenZeppelin `ForwardRequest`, integers as bigint. */
export interface ForwardRequest {
  from: Address
  to: Address
  value: bigint
  gas: bigint
  nonce: bigint
  deadline: bigint
  data: Hex
}

export interface StoredRequest {
  id: string
  chainId: number
  siteKey: string
  request: ForwardRequest
  signature: Hex
  status: RequestStatus
  txHash?: Hex
  blockNumber?: bigint
  error?: RequestError
  /** Milliseconds since the epoch. */
  createdAt: number
  updatedAt: number
  /** Worst-case wei reserved from the site's daily budget when the request was accepted. */
  reservedWei?: bigint
  /** Wei actually charged to the budget, once final. */
  spentWei?: bigint
  /** Budget day (UTC `YYYY-MM-DD`) the reservation counts against. */
  budgetDay?: string
  /**
   * Gas the request itself adds to a batch, measured at admission (`evm/gas.ts`,
   * `meteredRequestGas`): what settlement splits a receipt by. Absent: its declared worst case.
   */
  measuredGas?: bigint
}

export type StatusListener = (request: StoredRequest) => void

/** The UTC day of a time in ms, `YYYY-MM-DD`: the unit of site budgets and spent counters. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/**
 * A new EVM request id: its chain id, a dash, a random UUID. The chain in the id names the shard
 * (hash slot) its record lives in on a Redis Cluster, next to its chain's queue.
 */
export function newRequestId(chainId: number): string {
  return `${chainId}-${randomUUID()}`
}

/** The chain an EVM request id names (`newRequestId`), or undefined for any other id. */
export function chainOfRequestId(id: string): number | undefined {
  const match = /^([0-9]{1,12})-/.exec(id)
  return match ? Number(match[1]) : undefined
}

/** The store could not be reached or answered with an error: an outage, never the client's fault. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError'
}

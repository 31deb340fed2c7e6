import type { Address, Hex } from 'viem'
import type { StatusListener, StoredRequest } from '../records.js'
import type { RequestError, RequestStatus } from '../status.js'

/** A status change; fields left out keep their value. */
export interface StatusUpdate {
  status: RequestStatus
  txHash?: Hex
  blockNumber?: bigint
  error?: RequestError
  /**
   * With a final status: what the request really cost (at most its reservation). The rest of the
   * reservation returns to the site's budget, once (a second final update is ignored).
   */
  spentWei?: bigint
}

/** EVM request records: read, status changes (with what a final status gives back), change feeds, pending views. */
export interface RequestStore {
  get(id: string): Promise<StoredRequest | undefined>
  /** Applies a status change and notifies subscribers; resolves to the updated record. */
  update(id: string, update: StatusUpdate): Promise<StoredRequest>
  /** Calls `listener` after every status change of `id`; resolves to an unsubscribe function. */
  subscribe(id: string, listener: StatusListener): Promise<() => Promise<void>>
  /** Number of non-final (`queued` or `submitted`) requests of one sender on one chain. */
  pendingCount(chainId: number, from: Address): Promise<number>
  /** Nonces of those requests, ascending. */
  pendingNonces(chainId: number, from: Address): Promise<bigint[]>
  /** Those requests themselves, by ascending nonce, the `limit` lowest (admission simulates after them). */
  pendingRequests(chainId: number, from: Address, limit: number): Promise<StoredRequest[]>
}

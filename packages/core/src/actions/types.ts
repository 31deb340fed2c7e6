// The status and result every write action shares; apart from the actions so the write path can use them.
import type { Hex } from 'viem'
import type { TokenTagsError } from '../errors.js'

export type ActionStatus = 'signing' | 'queued' | 'submitted' | 'confirmed' | 'failed'

export interface ActionStatusEvent {
  status: ActionStatus
  via: 'relay' | 'wallet'
  requestId?: string | undefined
  txHash?: Hex | undefined
  /** Set with `failed`. */
  error?: TokenTagsError | undefined
}

export interface ActionResult {
  txHash: Hex
  blockNumber: bigint
  via: 'relay' | 'wallet'
  requestId?: string | undefined
}

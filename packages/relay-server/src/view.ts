import type { Hex } from 'viem'
import type { RequestError, RequestStatus } from './store/status.js'
import type { StoredRequest } from './store/types.js'

/** What `GET /v1/requests/:id` and each SSE `status` event carry. */
export interface RequestView {
  id: string
  status: RequestStatus
  txHash?: Hex
  blockNumber?: bigint
  error?: RequestError
}

export function toRequestView(record: StoredRequest): RequestView {
  return {
    id: record.id,
    status: record.status,
    ...(record.txHash === undefined ? {} : { txHash: record.txHash }),
    ...(record.blockNumber === undefined ? {} : { blockNumber: record.blockNumber }),
    ...(record.error === undefined ? {} : { error: record.error }),
  }
}

import type { RequestView } from '@tokentags/core/protocol'
import type { StoredRequest } from './store/types.js'

/** What `GET /v1/requests/:id` and each SSE `status` event carry: the client's `RequestView`. */
export type { RequestView }

export function toRequestView(record: StoredRequest): RequestView {
  return {
    id: record.id,
    status: record.status,
    ...(record.txHash === undefined ? {} : { txHash: record.txHash }),
    ...(record.blockNumber === undefined ? {} : { blockNumber: record.blockNumber.toString() }),
    ...(record.error === undefined ? {} : { error: record.error }),
  }
}

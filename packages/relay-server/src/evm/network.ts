import type { EvmRequestNetwork, Network, RelayRequest } from '../network/types.js'
import { chainOfRequestId, type StoredRequest } from '../store/records.js'
import type { RequestStore } from '../store/requests/types.js'

/** An EVM record as the relay's one request model. */
export function evmRequest(record: StoredRequest): RelayRequest<EvmRequestNetwork> {
  return {
    id: record.id,
    siteKey: record.siteKey,
    status: record.status,
    ...(record.error === undefined ? {} : { error: record.error }),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    network: {
      kind: 'evm',
      chainId: record.chainId,
      ...(record.txHash === undefined ? {} : { txHash: record.txHash }),
      ...(record.blockNumber === undefined ? {} : { blockNumber: record.blockNumber }),
    },
  }
}

/** EVM forward requests: ids `<chainId>-<uuid>` (`newRequestId`), records in the requests store. */
export function evmNetwork(store: Pick<RequestStore, 'get' | 'subscribe'>): Network<EvmRequestNetwork> {
  return {
    kind: 'evm',
    owns: (id) => chainOfRequestId(id) !== undefined,
    view: async (id) => {
      const record = await store.get(id)
      return record && evmRequest(record)
    },
    subscribe: (id, listener) => store.subscribe(id, (record) => listener(evmRequest(record))),
  }
}

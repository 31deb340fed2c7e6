import type { NetworkView, RelayRequest, RequestNetwork } from './types.js'

/** What every network's stored record has in common with the one request model. */
type StoredRecord = Omit<RelayRequest, 'network'>

/** The one model of a stored record, given what is particular to its network. */
export function requestOf<N extends RequestNetwork>(record: StoredRecord, network: N): RelayRequest<N> {
  return {
    id: record.id,
    siteKey: record.siteKey,
    status: record.status,
    ...(record.error === undefined ? {} : { error: record.error }),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    network,
  }
}

/** A network's reading side over the store of its records: a view and a subscription in the one model. */
export function storeView<R, N extends RequestNetwork>(
  kind: N['kind'],
  owns: (id: string) => boolean,
  store: {
    get(id: string): Promise<R | undefined>
    subscribe(id: string, listener: (record: R) => void): Promise<() => Promise<void>>
  },
  toRequest: (record: R) => RelayRequest<N>,
): NetworkView<N> {
  return {
    kind,
    owns,
    view: async (id) => {
      const record = await store.get(id)
      return record && toRequest(record)
    },
    subscribe: (id, listener) => store.subscribe(id, (record) => listener(toRequest(record))),
  }
}

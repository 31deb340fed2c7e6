import type { SolanaRequestView } from '@tokentags/core/protocol'
import type { Network, RelayRequest, SolanaRequestNetwork } from '../network/types.js'
import { requestView } from '../view.js'
import type { SolanaRequestRecord, SolanaStore } from './store.js'

/** Ids of Solana requests start with this (`sol_<uuid>`, Solana Pay's `sol_pay_<uuid>`). */
export const SOLANA_ID_PREFIX = 'sol_'

/** A Solana record as the relay's one request model. */
export function solanaRequest(record: SolanaRequestRecord): RelayRequest<SolanaRequestNetwork> {
  return {
    id: record.id,
    siteKey: record.siteKey,
    status: record.status,
    ...(record.error === undefined ? {} : { error: record.error }),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    network: {
      kind: 'solana',
      signature: record.signature,
      ...(record.slot === undefined ? {} : { slot: record.slot }),
    },
  }
}

/** Sponsored Solana transactions: ids `sol_…`, records in the Solana store. */
export function solanaNetwork(store: Pick<SolanaStore, 'get' | 'subscribe'>): Network<SolanaRequestNetwork> {
  return {
    kind: 'solana',
    owns: (id) => id.startsWith(SOLANA_ID_PREFIX),
    view: async (id) => {
      const record = await store.get(id)
      return record && solanaRequest(record)
    },
    subscribe: (id, listener) => store.subscribe(id, (record) => listener(solanaRequest(record))),
  }
}

/** The `SolanaRequestView` a client reads of a Solana record (`GET /v1/requests/sol_…`). */
export function toSolanaRequestView(record: SolanaRequestRecord): SolanaRequestView {
  return requestView(solanaRequest(record))
}

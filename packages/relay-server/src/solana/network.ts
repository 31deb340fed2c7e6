import type { SolanaRequestView } from '@tokentags/core/protocol'
import { requestOf, storeView } from '../network/fromRecord.js'
import type { Network, NetworkView, RelayRequest, SolanaRequestNetwork } from '../network/types.js'
import { requestView } from '../view.js'
import type { PreparedSolanaTransaction, SolanaRuntime } from './runtime.js'
import type { SolanaRequestRecord, SolanaStore } from './store.js'

/** Ids of Solana requests start with this (`sol_<uuid>`, Solana Pay's `sol_pay_<uuid>`). */
const SOLANA_ID_PREFIX = 'sol_'

/** A Solana record as the relay's one request model. */
function solanaRequest(record: SolanaRequestRecord): RelayRequest<SolanaRequestNetwork> {
  return requestOf(record, {
    kind: 'solana',
    signature: record.signature,
    ...(record.slot === undefined ? {} : { slot: record.slot }),
  })
}

/** Sponsored Solana transactions: ids `sol_…`, records in the Solana store. */
export function solanaNetwork(store: Pick<SolanaStore, 'get' | 'subscribe'>): NetworkView<SolanaRequestNetwork> {
  return storeView('solana', (id) => id.startsWith(SOLANA_ID_PREFIX), store, solanaRequest)
}

/** A wallet-signed transaction (base64 wire format) submitted for one site. */
interface SolanaSubmission {
  transaction: string
  siteKey: string
}

/** A submission the relay would sponsor: checked, co-signed and simulated. */
interface CheckedSolanaSubmission {
  siteKey: string
  prepared: PreparedSolanaTransaction
}

/** Sponsored Solana transactions through their whole lifecycle. */
export type SolanaNetwork = Network<SolanaRequestNetwork, SolanaSubmission, CheckedSolanaSubmission>

/** The Solana network over its runtime: `check` and `admit` are `SolanaRuntime`'s, sending and tracking its `track` and `resume`. */
export function createSolanaNetwork(runtime: SolanaRuntime): SolanaNetwork {
  return {
    ...solanaNetwork(runtime.store),
    check: async ({ transaction, siteKey }) => ({ siteKey, prepared: await runtime.check(transaction, siteKey) }),
    admit: async ({ siteKey, prepared }) => solanaRequest(await runtime.admit(prepared, siteKey)),
    start: () => void runtime.resume(),
    close: () => runtime.close(),
  }
}

/** The `SolanaRequestView` a client reads of a Solana record (`GET /v1/requests/sol_…`). */
export function toSolanaRequestView(record: SolanaRequestRecord): SolanaRequestView {
  return requestView(solanaRequest(record))
}

import type { RequestView, SolanaRequestView } from '@tokentags/core/protocol'
import type { EvmRequestNetwork, RelayRequest, SolanaRequestNetwork } from './network/types.js'

/**
 * What `GET /v1/requests/:id` and each SSE `status` event carry: the client's `RequestView` for an
 * EVM request, `SolanaRequestView` for a Solana one (core's types are the wire contract).
 */
export type { RequestView, SolanaRequestView }

export function requestView(request: RelayRequest<EvmRequestNetwork>): RequestView
export function requestView(request: RelayRequest<SolanaRequestNetwork>): SolanaRequestView
export function requestView(request: RelayRequest): RequestView | SolanaRequestView
export function requestView(request: RelayRequest): RequestView | SolanaRequestView {
  const { id, status, error, network } = request
  const failure = error === undefined ? {} : { error }
  if (network.kind === 'solana') {
    return {
      id,
      status,
      signature: network.signature,
      ...(network.slot === undefined ? {} : { slot: network.slot.toString() }),
      ...failure,
    }
  }
  return {
    id,
    status,
    ...(network.txHash === undefined ? {} : { txHash: network.txHash }),
    ...(network.blockNumber === undefined ? {} : { blockNumber: network.blockNumber.toString() }),
    ...failure,
  }
}

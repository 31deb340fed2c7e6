// What the two ways of running a sender's requests in a row share (`./sequential.ts`,
// `./sequentialOverrides.ts`).
import { type Address, concat, type Hex, numberToHex } from 'viem'
import type { ForwardRequest } from '../store/types.js'
import type { ChainRuntime } from './chain.js'

/** A forward request as the forwarder runs it: a call from the forwarder with the sender appended (ERC-2771). */
export function forwardedCall(chain: ChainRuntime, request: ForwardRequest) {
  return {
    from: chain.forwarder,
    to: request.to,
    gas: numberToHex(request.gas),
    value: numberToHex(request.value),
    data: concat([request.data, request.from as Address]),
  }
}

/**
 * The forwarder's balance for a simulated sequence, when any request carries value: the relayer
 * sends each request's value with `execute` and the forwarder passes it on; simulated, the
 * forwarder is the caller, so it holds what it will pass on.
 */
export function forwarderFunds(sequence: readonly ForwardRequest[]): Hex | undefined {
  const total = sequence.reduce((sum, r) => sum + r.value, 0n)
  return total > 0n ? numberToHex(total) : undefined
}

/** JSON-RPC "method not found" / "not supported" (EIP-1474 -32601, -32004), or a node saying so in words. */
export function isMethodMissing(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; current && depth < 8; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown }
    if (code === -32601 || code === -32004) return true
    if (
      typeof message === 'string' &&
      /(eth_simulateV1|debug_traceCall).*(not|un)\s*(found|supported|available|exist)/i.test(message)
    ) {
      return true
    }
    current = cause
  }
  return false
}

// The gas model: what a request adds to an `executeBatch`. Admission reserves budget with it,
// the batcher sizes batches with it, settlement splits a receipt's gas by it.
import type { ForwardRequest } from '../store/types.js'

/** Gas of `executeBatch` itself plus the intrinsic transaction cost. */
const BATCH_BASE_GAS = 50_000n
/** Forwarder work around each forwarded call: signature recovery, trust check, nonce write, event. */
const PER_REQUEST_OVERHEAD_GAS = 60_000n
/** Upper bound per calldata byte (EIP-7623's floor price for a non-zero byte). */
const CALLDATA_BYTE_GAS = 40n

/** Gas one request adds to a batch: its `gas`, the 1/64 the EVM withholds, forwarder work, calldata. */
export function requestGas(request: Pick<ForwardRequest, 'gas' | 'data'>): bigint {
  const bytes = BigInt((request.data.length - 2) / 2 + 65 + 8 * 32)
  return request.gas + request.gas / 63n + 1n + PER_REQUEST_OVERHEAD_GAS + bytes * CALLDATA_BYTE_GAS
}

/**
 * Forwarder work per request in an `executeBatch`, beside the forwarded call itself: the request's
 * words in the batch calldata, signature recovery, trust check, nonce write (0 → 1, the dearest),
 * event. Measured on anvil (contracts as built here): a batch's gas grows by 47,992 per TagToken
 * transfer whose inner call alone estimates at 42,140 (21,140 without the 21,000 intrinsic), so the
 * forwarder adds 26,852; rounded up.
 */
export const FORWARDER_REQUEST_GAS = 27_000n
/**
 * What a batch costs besides its requests: intrinsic 21,000, `executeBatch`'s loop and the refund
 * check. Measured on anvil: a batch of one transfer used 98,701 gas where the request measured
 * 65,252 (its inner call 59,252 − 21,000, plus 27,000): 33,449, rounded up. A request alone in its batch pays all of it,
 * so it is what a reservation adds to the request's own gas.
 */
export const BATCH_FIXED_GAS = 34_000n
/** The intrinsic gas of any transaction: part of an inner call's estimate, not of its share in a batch. */
const TRANSACTION_INTRINSIC_GAS = 21_000n

/**
 * A request's own gas in a batch from the estimate of its inner call (`to.call(data ++ from)` from
 * the forwarder): without the estimate's intrinsic 21,000, with the forwarder's work. It does not
 * depend on the declared `gas`, so two identical calls weigh the same whatever gas they declare.
 */
export function measuredRequestGas(innerEstimate: bigint): bigint {
  const own = innerEstimate > TRANSACTION_INTRINSIC_GAS ? innerEstimate - TRANSACTION_INTRINSIC_GAS : 0n
  return own + FORWARDER_REQUEST_GAS
}

/** Gas limit for one `executeBatch`: each call gets its `gas` plus the 1/64 the EVM withholds. */
export function batchGasLimit(requests: ReadonlyArray<{ request: Pick<ForwardRequest, 'gas' | 'data'> }>): bigint {
  let total = BATCH_BASE_GAS
  for (const { request } of requests) total += requestGas(request)
  return total
}

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

/** Gas limit for one `executeBatch`: each call gets its `gas` plus the 1/64 the EVM withholds. */
export function batchGasLimit(requests: ReadonlyArray<{ request: Pick<ForwardRequest, 'gas' | 'data'> }>): bigint {
  let total = BATCH_BASE_GAS
  for (const { request } of requests) total += requestGas(request)
  return total
}

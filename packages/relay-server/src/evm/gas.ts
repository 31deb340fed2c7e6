// The gas model: what a request adds to an `executeBatch`. Admission reserves budget with it,
// the batcher sizes batches with it, settlement splits a receipt's gas by it.
import type { Hex } from 'viem'
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
 * What a batch costs besides its requests: intrinsic 21,000, the selector, refund receiver and array words of the
 * calldata, `executeBatch`'s loop set-up and the refund check. A request alone in its batch pays all of it, so it is
 * what a reservation adds to the request's own gas. Measured on anvil (contracts as built here, 2026-12-06): a batch
 * of one TagToken transfer used 76,921 gas where `execute` through the meter used 53,928 and the request's calldata
 * in the batch costs 3,548, so batch and meter together leave 19,445; the same for a transfer to a fresh recipient
 * (94,237 against 71,028 + 3,764). With `METER_EXCESS_GAS` (7,374) taken off the request, the batch keeps 26,819:
 * rounded up, a request alone reserves 267 gas more than its batch of one used. (A vesting claim leaves 14,651: the batch's
 * receipt counts a storage refund of 4,800 the meter does not; the reservation is then that much above the cost.)
 */
export const BATCH_FIXED_GAS = 27_000n
/**
 * What the meter counts of a request that a batch element does not cost: the meter's `CALL` to a cold forwarder
 * and copying the calldata, `execute`'s external dispatch and `msg.value` check, less `executeBatch`'s loop work per
 * element. Measured on anvil: batches of one, two and three transfers to fresh recipients (their only shared state
 * the token contract, warm after the first) used 94,237, 161,655 and 229,062 gas, each element 7,374 less than what
 * the meter and its calldata count (71,028 + 3,764). Rounded down: a request's weight errs high.
 */
const METER_EXCESS_GAS = 7_300n
/**
 * Calldata words priced at a fixed rate, not by their bytes: the declared `gas` and the `deadline` as four
 * non-zero bytes and 28 zero ones (176 each: gas up to 2^32, deadlines until 2106), the signature (random bytes)
 * as its length word, 65 non-zero bytes and 31 zero ones of padding (1,304). Two identical requests then weigh the
 * same whatever gas they declare, when they were signed, and whatever their signatures' bytes; at most a few dozen
 * gas more than their bytes cost.
 */
const FIXED_PRICE_WORDS_GAS = 176n + 176n + 1_304n
/** Where the declared `gas` word starts in `execute`'s calldata (0x, selector, offset, from, to, value) and the `deadline` word ends. */
const GAS_WORD_HEX = 2 + 8 + 4 * 64
const DEADLINE_END_HEX = GAS_WORD_HEX + 2 * 64
/** The signature at the end of `execute`'s calldata: its length word and 65 bytes padded to 96. */
const SIGNATURE_HEX = 64 + 192

/**
 * A request's own gas in a batch from the gas its `forwarder.execute` used through the gas meter (signature, nonce
 * write, event, the forwarded call: everything the forwarder does for it) and its `execute` calldata: the
 * request's words in the batch's calldata at 4 gas per zero byte and 16 per other (EIP-2028; a few words at a
 * fixed rate, `FIXED_PRICE_WORDS_GAS`), less what the meter counts that a batch element does not cost. The calldata
 * is priced at the standard rate, not EIP-7623's floor (10 gas per token): a batch's execution gas is several times
 * its calldata tokens' (a batch of three transfers: 167,526 gas used, floor 49,450), so the floor never sets its
 * price. It does not depend on the declared `gas`, so two identical calls weigh the same whatever gas they declare.
 */
export function meteredRequestGas(executeGas: bigint, executeCalldata: Hex): bigint {
  // Past the selector: the element's offset word (0x20 here, a small offset in the batch: the same cost) and the
  // request's tuple, the same bytes in both.
  const calldata =
    calldataGas(executeCalldata, 10, GAS_WORD_HEX) +
    calldataGas(executeCalldata, DEADLINE_END_HEX, executeCalldata.length - SIGNATURE_HEX) +
    FIXED_PRICE_WORDS_GAS
  const measured = executeGas + calldata
  return measured > METER_EXCESS_GAS ? measured - METER_EXCESS_GAS : 0n
}

/** Calldata gas of the 0x-hex bytes from character `start` to `end`: 4 per zero byte, 16 per other (EIP-2028). */
export function calldataGas(hex: string, start = 2, end = hex.length): bigint {
  let zero = 0
  for (let i = start; i < end; i += 2) if (hex.charCodeAt(i) === 48 && hex.charCodeAt(i + 1) === 48) zero++
  const all = (end - start) / 2
  return BigInt(zero * 4 + (all - zero) * 16)
}

/**
 * Forwarder work per request in an `executeBatch` beside the forwarded call itself, for the measurement without
 * the meter (`estimatedRequestGas`, nodes that refuse state overrides): the request's words in the batch calldata,
 * signature recovery, trust check, nonce write (0 → 1, the dearest), event. Measured on anvil: the batch of one
 * transfer above (76,921 gas) whose inner call estimates at 37,472 (16,472 without the 21,000 intrinsic) leaves
 * 60,449 for the forwarder and the batch; less `BATCH_FIXED_GAS`, 33,449: rounded up.
 */
const FORWARDER_REQUEST_GAS = 34_000n
/** The intrinsic gas of any transaction: part of an inner call's estimate, not of its share in a batch. */
const TRANSACTION_INTRINSIC_GAS = 21_000n

/**
 * A request's own gas in a batch from the estimate of its inner call (`to.call(data ++ from)` from the forwarder),
 * where the node refuses the meter: without the estimate's intrinsic 21,000, with the forwarder's work.
 */
export function estimatedRequestGas(innerEstimate: bigint): bigint {
  const own = innerEstimate > TRANSACTION_INTRINSIC_GAS ? innerEstimate - TRANSACTION_INTRINSIC_GAS : 0n
  return own + FORWARDER_REQUEST_GAS
}

/** A measurement as the relay keeps it: never more than the request's declared worst case (`requestGas`). */
export function atMostWorstCase(measured: bigint, request: Pick<ForwardRequest, 'gas' | 'data'>): bigint {
  const worst = requestGas(request)
  // bigints: Math.min does not take them.
  return measured > worst ? worst : measured
}

/** Gas limit for one `executeBatch`: each call gets its `gas` plus the 1/64 the EVM withholds. */
export function batchGasLimit(requests: ReadonlyArray<{ request: Pick<ForwardRequest, 'gas' | 'data'> }>): bigint {
  let total = BATCH_BASE_GAS
  for (const { request } of requests) total += requestGas(request)
  return total
}

import { forwarderAbi, gasMeterRuntimeBytecode } from '@tokentags/contracts'
import { type Abi, type Address, concat, type Hex, numberToHex, type StateOverride } from 'viem'
import type { ForwardRequest } from '../store/types.js'
import type { ChainRuntime } from './chain.js'
import { nonceStorageKey, toWord } from './chain.js'
import { ChainUnavailableError, SimulationFailedError } from './errors.js'
import { atMostWorstCase, estimatedRequestGas, meteredRequestGas } from './gas.js'
import { encodeExecuteCall } from './hotPath/encodeExecute.js'
import { encodeMeterCall } from './hotPath/encodeMeter.js'
import { type HotAnswer, HotRpcTimeoutError, isExecutionError } from './hotPath/hotRpc.js'
import { isTransportError } from './nodeErrors.js'
import { type DecodedRevert, decodeRevert, revertData } from './revert.js'

/**
 * Where a simulation places the gas meter's code (`GasMeter` of @tokentags/contracts) by a state override: the
 * last 20 bytes of keccak256("tokentags.gas-meter"), an address with no code on any chain.
 */
export const GAS_METER_ADDRESS: Address = '0x4E253f7488A618b5907FEc948ac468418D89B291'

/** The meter's code as `eth_call`'s third parameter (JSON-RPC's state override object). */
const METER_OVERRIDE = { [GAS_METER_ADDRESS]: { code: gasMeterRuntimeBytecode } }

export interface SimulateParameters {
  request: ForwardRequest
  signature: Hex
  /**
   * Sets the forwarder's `nonces(from)` to the request's nonce for the call (a state override of
   * its `_nonces[from]` slot): the request is simulated as it will run, after the sender's pending
   * ones, and the outcome does not hang on when the chain's nonce was read. Off: the call runs on
   * the chain as it is, so a success proves the nonce is the chain's next one.
   */
  pinNonce: boolean
  /** ABIs whose custom errors are used to name a revert. */
  errorAbis: readonly Abi[]
}

/** The fast path's verdict: the request executes on the chain as it is (with its measured gas), or it does not. */
export type AsIs = { executes: true; measuredGas: bigint | undefined } | { executes: false }

export function toForwardRequestData(request: ForwardRequest, signature: Hex) {
  return {
    from: request.from,
    to: request.to,
    value: request.value,
    gas: request.gas,
    deadline: Number(request.deadline),
    data: request.data,
    signature,
  }
}

/**
 * Runs `forwarder.execute(request)` through the gas meter as an `eth_call` from the relayer, with the
 * forwarder's nonce pinned to the request's when asked (state of the sender's earlier pending requests is not
 * applied). Resolves to the request's measured gas in a batch (`meteredRequestGas`, at most its declared worst
 * case; `undefined` when the node gave none). Throws `SimulationFailedError` with the decoded reason, or
 * `ChainUnavailableError` when the node cannot be reached.
 */
export async function simulateForwardRequest(
  chain: ChainRuntime,
  params: SimulateParameters,
): Promise<bigint | undefined> {
  const { request, signature, pinNonce, errorAbis } = params
  let pinned: StateOverride = []
  if (pinNonce) {
    const slot = await chain.nonceSlot().catch((error: unknown) => {
      throw new ChainUnavailableError(chain.chainId, { cause: error })
    })
    if (slot === null) {
      await simulateInnerCall(chain, request, errorAbis)
      return estimateRequestGas(chain, request)
    }
    pinned = [
      {
        address: chain.forwarder,
        stateDiff: [{ slot: nonceStorageKey(slot, request.from), value: toWord(request.nonce) }],
      },
    ]
  }
  const execute = encodeExecuteCall(request, signature)
  const gas = meterResult(
    await callOrThrow(chain, request, errorAbis, {
      to: GAS_METER_ADDRESS,
      data: encodeMeterCall(chain.forwarder, execute),
      stateOverride: [{ address: GAS_METER_ADDRESS, code: gasMeterRuntimeBytecode }, ...pinned],
    }),
  )
  if (gas !== undefined) return atMostWorstCase(meteredRequestGas(gas, execute), request)
  // A node that ignored the meter's code answers `0x` from an empty address: the request did not run. As before the
  // meter, then: `execute` itself, and its inner call's estimate.
  await callOrThrow(chain, request, errorAbis, {
    to: chain.forwarder,
    data: execute,
    ...(pinned.length === 0 ? {} : { stateOverride: pinned }),
  })
  return estimateRequestGas(chain, request)
}

/** `eth_call` from the relayer with the request's value; a failure thrown as `failure` makes it. */
async function callOrThrow(
  chain: ChainRuntime,
  request: ForwardRequest,
  errorAbis: readonly Abi[],
  call: { to: Address; data: Hex; stateOverride?: StateOverride },
): Promise<Hex | undefined> {
  try {
    return (await chain.publicClient.call({ account: relayerOf(chain), value: request.value, ...call })).data
  } catch (error) {
    throw await failure(chain, request, errorAbis, error)
  }
}

/**
 * Whether `forwarder.execute(request)` succeeds on the chain as it is (no nonce pinned), and the gas it takes: one
 * `eth_call` of the gas meter in this turn's JSON-RPC batch (`chain.hotRpc`). A revert is `executes: false`,
 * whatever its reason. An answer that is neither a meter's result nor a revert (a node that refuses or ignores
 * state overrides, a refusal, no answer) is asked again the way it was before the meter, through viem (retry,
 * node error classification): an `eth_call` of `execute` and an `eth_estimateGas` of its inner call. Throws
 * `ChainUnavailableError` when the node cannot be reached.
 */
export async function simulateAsIs(chain: ChainRuntime, request: ForwardRequest, signature: Hex): Promise<AsIs> {
  const execute = encodeExecuteCall(request, signature)
  let answer: HotAnswer | undefined
  try {
    answer = await chain.hotRpc.request('eth_call', [
      {
        from: relayerOf(chain),
        to: GAS_METER_ADDRESS,
        value: numberToHex(request.value),
        data: encodeMeterCall(chain.forwarder, execute),
      },
      'latest',
      METER_OVERRIDE,
    ])
  } catch (error) {
    // A node that did not answer in time is not asked again (viem would wait a second timeout).
    if (error instanceof HotRpcTimeoutError) throw new ChainUnavailableError(chain.chainId, { cause: error })
  }
  if (answer?.error !== undefined && isExecutionError(answer.error)) return { executes: false }
  const gas = answer?.error === undefined ? meterResult(answer?.result) : undefined
  if (gas !== undefined)
    return { executes: true, measuredGas: atMostWorstCase(meteredRequestGas(gas, execute), request) }
  return simulateUnmetered(chain, request, execute)
}

/** The meter's answer, one word: the gas `execute` used. Anything else (a node that ignored the override: `0x`). */
function meterResult(result: unknown): bigint | undefined {
  return typeof result === 'string' && result.length === 66 && result.startsWith('0x') ? BigInt(result) : undefined
}

/** `simulateAsIs` without the meter: `execute` as an `eth_call`, then its inner call's estimate. */
async function simulateUnmetered(chain: ChainRuntime, request: ForwardRequest, execute: Hex): Promise<AsIs> {
  try {
    await chain.publicClient.request({
      method: 'eth_call',
      params: [
        { from: relayerOf(chain), to: chain.forwarder, value: numberToHex(request.value), data: execute },
        'latest',
      ],
    })
  } catch (error) {
    if (isTransportError(error)) throw new ChainUnavailableError(chain.chainId, { cause: error })
    return { executes: false }
  }
  return { executes: true, measuredGas: await estimateRequestGas(chain, request) }
}

/**
 * The request's gas in a batch from `eth_estimateGas` of its inner call as the forwarder makes it
 * (`estimatedRequestGas`), at most its declared worst case; for nodes that refuse the meter's state override.
 * `undefined` when the node gives no estimate.
 */
async function estimateRequestGas(chain: ChainRuntime, request: ForwardRequest): Promise<bigint | undefined> {
  try {
    const estimate = await chain.publicClient.request({
      method: 'eth_estimateGas',
      // On the mined state: the pool (this relay's own batches) must not make one request cheaper than its twin.
      params: [{ from: chain.forwarder, to: request.to, data: concat([request.data, request.from]) }, 'latest'],
    })
    return atMostWorstCase(estimatedRequestGas(BigInt(estimate)), request)
  } catch {
    return undefined
  }
}

/** Replays the call the forwarder makes (`to.call{gas}(data ++ from)` from the forwarder). */
export async function innerRevert(
  chain: ChainRuntime,
  request: ForwardRequest,
  errorAbis: readonly Abi[],
  blockNumber?: bigint,
): Promise<DecodedRevert | undefined> {
  try {
    await chain.publicClient.call({
      account: chain.forwarder,
      to: request.to,
      gas: request.gas,
      value: request.value,
      data: concat([request.data, request.from as Address]),
      ...(blockNumber === undefined ? {} : { blockNumber }),
    })
    return undefined
  } catch (error) {
    if (isTransportError(error)) return undefined
    return decodeRevert(revertData(error), [forwarderAbi, ...errorAbis])
  }
}

const relayerOf = (chain: ChainRuntime): Address => chain.relayers[0]?.account.address ?? chain.forwarder

/** A failed simulation as thrown: the node unreachable, or the decoded revert (the target's own, behind FailedCall). */
async function failure(
  chain: ChainRuntime,
  request: ForwardRequest,
  errorAbis: readonly Abi[],
  error: unknown,
): Promise<Error> {
  if (isTransportError(error)) return new ChainUnavailableError(chain.chainId, { cause: error })
  const decoded = decodeRevert(revertData(error), [forwarderAbi, ...errorAbis])
  // `execute` hides the target's reason behind FailedCall: replay the inner call to name it.
  if (decoded.name === 'FailedCall')
    return simulationFailed((await innerRevert(chain, request, errorAbis)) ?? decoded, error)
  return simulationFailed(decoded, error)
}

async function simulateInnerCall(chain: ChainRuntime, request: ForwardRequest, errorAbis: readonly Abi[]) {
  const decoded = await innerRevert(chain, request, errorAbis)
  if (decoded) throw simulationFailed(decoded)
}

function simulationFailed(decoded: DecodedRevert, cause?: unknown): SimulationFailedError {
  return new SimulationFailedError(decoded, cause === undefined ? {} : { cause })
}

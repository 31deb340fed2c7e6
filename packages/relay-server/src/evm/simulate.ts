import { forwarderAbi } from '@tokentags/contracts'
import { type Abi, type Address, concat, type Hex, numberToHex, type StateOverride } from 'viem'
import type { ForwardRequest } from '../store/types.js'
import type { ChainRuntime } from './chain.js'
import { nonceStorageKey, toWord } from './chain.js'
import { ChainUnavailableError, SimulationFailedError } from './errors.js'
import { encodeExecuteCall } from './hotPath/encodeExecute.js'
import { type HotAnswer, HotRpcTimeoutError, isExecutionError } from './hotPath/hotRpc.js'
import { isTransportError } from './nodeErrors.js'
import { type DecodedRevert, decodeRevert, revertData } from './revert.js'

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
 * Runs `forwarder.execute(request)` as an `eth_call` from the relayer, with the forwarder's nonce
 * pinned to the request's when asked (state of the sender's earlier pending requests is not applied). Throws
 * `SimulationFailedError` with the decoded reason, or `ChainUnavailableError` when the node cannot be reached.
 */
export async function simulateForwardRequest(chain: ChainRuntime, params: SimulateParameters): Promise<void> {
  const { request, signature, pinNonce, errorAbis } = params
  const relayer = chain.relayers[0]?.account.address ?? chain.forwarder
  let stateOverride: StateOverride | undefined
  if (pinNonce) {
    const slot = await chain.nonceSlot().catch((error: unknown) => {
      throw new ChainUnavailableError(chain.chainId, { cause: error })
    })
    if (slot === null) return simulateInnerCall(chain, request, errorAbis)
    stateOverride = [
      {
        address: chain.forwarder,
        stateDiff: [{ slot: nonceStorageKey(slot, request.from), value: toWord(request.nonce) }],
      },
    ]
  }
  const data = encodeExecuteCall(request, signature)
  try {
    if (stateOverride) {
      await chain.publicClient.call({
        account: relayer,
        to: chain.forwarder,
        value: request.value,
        data,
        stateOverride,
      })
    } else {
      // The common case, as a bare JSON-RPC call: `call`'s formatting and checks cost more than the
      // request itself, and everything here is already checked and encoded.
      await chain.publicClient.request({
        method: 'eth_call',
        params: [{ from: relayer, to: chain.forwarder, value: numberToHex(request.value), data }, 'latest'],
      })
    }
  } catch (error) {
    if (isTransportError(error)) throw new ChainUnavailableError(chain.chainId, { cause: error })
    const decoded = decodeRevert(revertData(error), [forwarderAbi, ...errorAbis])
    // `execute` hides the target's reason behind FailedCall: replay the inner call to name it.
    if (decoded.name === 'FailedCall') {
      const inner = await innerRevert(chain, request, errorAbis)
      throw simulationFailed(inner ?? decoded, error)
    }
    throw simulationFailed(decoded, error)
  }
}

/**
 * Whether `forwarder.execute(request)` succeeds on the chain as it is (no nonce pinned): one call in
 * this turn's JSON-RPC batch (`chain.hotRpc`). A revert is `false`, whatever its reason; an answer
 * that is neither a result nor a revert is asked again through viem as `simulateForwardRequest`
 * asks it (retry, node error classification). Throws `ChainUnavailableError` when the node cannot
 * be reached.
 */
export async function executesAsIs(
  chain: ChainRuntime,
  request: ForwardRequest,
  signature: Hex,
  errorAbis: readonly Abi[],
): Promise<boolean> {
  const relayer = chain.relayers[0]?.account.address ?? chain.forwarder
  const data = encodeExecuteCall(request, signature)
  let answer: HotAnswer | undefined
  try {
    answer = await chain.hotRpc.request('eth_call', [
      { from: relayer, to: chain.forwarder, value: numberToHex(request.value), data },
      'latest',
    ])
  } catch (error) {
    // A node that did not answer in time is not asked again (viem would wait a second timeout).
    if (error instanceof HotRpcTimeoutError) throw new ChainUnavailableError(chain.chainId, { cause: error })
  }
  if (answer !== undefined) {
    if (answer.error === undefined) return true
    if (isExecutionError(answer.error)) return false
  }
  try {
    await simulateForwardRequest(chain, { request, signature, pinNonce: false, errorAbis })
    return true
  } catch (error) {
    if (error instanceof ChainUnavailableError) throw error
    return false
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

async function simulateInnerCall(chain: ChainRuntime, request: ForwardRequest, errorAbis: readonly Abi[]) {
  const decoded = await innerRevert(chain, request, errorAbis)
  if (decoded) throw simulationFailed(decoded)
}

function simulationFailed(decoded: DecodedRevert, cause?: unknown): SimulationFailedError {
  return new SimulationFailedError(decoded, cause === undefined ? {} : { cause })
}

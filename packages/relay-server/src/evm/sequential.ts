// Admission of a request that waits behind the same sender's pending ones (issue 13, finding 7):
// alone, each of ten transfers of an account's last token-wei succeeds; in a row, nine revert on
// chain and the site pays for them. So a request is simulated on top of the sender's pending
// requests, in nonce order, and refused when it cannot succeed after them.
import { type Abi, type Address, concat, type Hex, numberToHex } from 'viem'
import type { ForwardRequest, RelayStore } from '../store/types.js'
import type { ChainRuntime } from './chain.js'
import { ChainUnavailableError, SimulationFailedError } from './errors.js'
import { forwarderAbi } from './forwarderAbi.js'
import { isTransportError } from './nodeErrors.js'
import { decodeRevert } from './revert.js'

/**
 * Most pending requests of one sender a new one is simulated after: one `eth_simulateV1` of this
 * many calls stays cheap, and no visitor clicks this far ahead of the chain.
 */
export const MAX_PENDING_SIMULATED = 32

/**
 * The sender has more requests waiting than the relay simulates a new one after ({@link MAX_PENDING_SIMULATED}),
 * or the node cannot simulate a sequence at all and the sender already has one waiting.
 */
export class SenderBacklogError extends Error {
  override name = 'SenderBacklogError'
  readonly pending: number
  readonly limit: number

  constructor(pending: number, limit: number) {
    super(
      limit === 0
        ? `this sender already has ${pending} request(s) waiting; send the next one once it settles`
        : `this sender already has ${pending} requests waiting (at most ${limit}); send more once they settle`,
    )
    this.pending = pending
    this.limit = limit
  }
}

export interface SequentialParameters {
  request: ForwardRequest
  /** Most pending requests of the sender simulated before this one (default {@link MAX_PENDING_SIMULATED}); more is a {@link SenderBacklogError}. */
  maxPending?: number
  /** ABIs whose custom errors are used to name a revert. */
  errorAbis: readonly Abi[]
}

/** Chains whose node answered that it has no `eth_simulateV1`: asked once, then the strict fallback. */
const noSimulateV1 = new WeakSet<ChainRuntime>()

/**
 * Simulates `request` after the sender's pending requests that have not run yet (nonces from the
 * chain's to the request's), each as the forwarder runs it: a call from the forwarder to the
 * target with the sender appended (ERC-2771), in one `eth_simulateV1` block whose state carries
 * from call to call. Resolves when none is pending ahead or the request succeeds after them; throws
 * `SimulationFailedError` (named revert), `SenderBacklogError`, or `ChainUnavailableError`.
 *
 * Signature, nonce and deadline are not checked here: admission has done so already (the forwarder's
 * `execute` with the nonce pinned); this only adds what the pending requests change.
 */
export async function simulateAfterPending(
  store: RelayStore,
  chain: ChainRuntime,
  params: SequentialParameters,
): Promise<void> {
  const { request, maxPending = MAX_PENDING_SIMULATED, errorAbis } = params
  // One block for every read: a pending request mined in between is then either run on chain
  // (nonce passed, not replayed) or replayed here, never both.
  const blockNumber = await onChain(chain, () => chain.publicClient.getBlockNumber({ cacheTime: 0 }))
  const chainNonce = await onChain(chain, () =>
    chain.publicClient.readContract({
      address: chain.forwarder,
      abi: forwarderAbi,
      functionName: 'nonces',
      args: [request.from],
      blockNumber,
    }),
  )
  const ahead = request.nonce - chainNonce
  if (ahead <= 0n) return
  if (ahead > BigInt(maxPending)) throw new SenderBacklogError(Number(ahead), maxPending)
  if (noSimulateV1.has(chain)) throw new SenderBacklogError(Number(ahead), 0)
  // Pending requests below the chain's nonce ran already (mined, not yet confirmed): skipped. The
  // slack covers those, which sort first.
  const pending = (await store.pendingRequests(chain.chainId, request.from, Number(ahead) + maxPending))
    .map((r) => r.request)
    .filter((r) => r.nonce >= chainNonce && r.nonce < request.nonce)
  if (pending.length === 0) return
  const sequence = [...pending, request]
  const results = await runSequence(chain, sequence, blockNumber)
  if (results === undefined) {
    noSimulateV1.add(chain)
    throw new SenderBacklogError(pending.length, 0)
  }
  const last = results[sequence.length - 1]
  if (last === undefined) {
    throw new ChainUnavailableError(chain.chainId, {
      cause: new SimulationAnswerError(`eth_simulateV1 answered ${results.length} calls for ${sequence.length}`),
    })
  }
  if (last.status !== '0x1') {
    const decoded = decodeRevert(last.returnData, [forwarderAbi, ...errorAbis])
    throw new SimulationFailedError({
      ...decoded,
      message: `${decoded.message} (after this sender's ${pending.length} pending request(s))`,
    })
  }
}

/** The node answered `eth_simulateV1` with something else than one result per call. */
class SimulationAnswerError extends Error {
  override name = 'SimulationAnswerError'
}

interface CallResult {
  status: Hex
  returnData?: Hex
}

/** The calls' results, or undefined when the node has no `eth_simulateV1`. */
async function runSequence(
  chain: ChainRuntime,
  sequence: readonly ForwardRequest[],
  blockNumber: bigint,
): Promise<CallResult[] | undefined> {
  const calls = sequence.map((r) => ({
    from: chain.forwarder,
    to: r.to,
    gas: numberToHex(r.gas),
    value: numberToHex(r.value),
    data: concat([r.data, r.from as Address]),
  }))
  const totalValue = sequence.reduce((sum, r) => sum + r.value, 0n)
  // The relayer sends each request's value with `execute` and the forwarder passes it on; here the
  // forwarder is the caller, so it holds what it will pass on.
  const stateOverrides = totalValue > 0n ? { [chain.forwarder]: { balance: numberToHex(totalValue) } } : undefined
  try {
    const blocks = (await chain.publicClient.request({
      method: 'eth_simulateV1',
      params: [
        { blockStateCalls: [{ ...(stateOverrides ? { stateOverrides } : {}), calls }], validation: false },
        numberToHex(blockNumber),
      ],
    } as never)) as { calls?: CallResult[] }[]
    return blocks[0]?.calls ?? []
  } catch (error) {
    if (isMethodMissing(error)) return undefined
    if (isTransportError(error)) throw new ChainUnavailableError(chain.chainId, { cause: error })
    throw error
  }
}

/** JSON-RPC "method not found" / "not supported" (EIP-1474 -32601, -32004), or a node saying so in words. */
function isMethodMissing(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; current && depth < 8; depth++) {
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown }
    if (code === -32601 || code === -32004) return true
    if (typeof message === 'string' && /eth_simulateV1.*(not|un)\s*(found|supported|available)/i.test(message)) {
      return true
    }
    current = cause
  }
  return false
}

async function onChain<T>(chain: ChainRuntime, read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (error) {
    if (isTransportError(error)) throw new ChainUnavailableError(chain.chainId, { cause: error })
    throw error
  }
}

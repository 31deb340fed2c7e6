// Admission of a request that waits behind the same sender's pending ones (issue 13, finding 7):
// alone, each of ten transfers of an account's last token-wei succeeds; in a row, nine revert on
// chain and the site pays for them. So a request is simulated on top of the sender's pending
// requests, in nonce order, and refused when it cannot succeed after them.
import { forwarderAbi } from '@tokentags/contracts'
import { type Abi, type Hex, numberToHex } from 'viem'
import type { RequestStore } from '../store/requests/types.js'
import type { ForwardRequest } from '../store/types.js'
import type { ChainRuntime } from './chain.js'
import { ChainUnavailableError, SimulationFailedError } from './errors.js'
import { decodeRevert } from './revert.js'
import { forwardedCall, forwarderFunds, isMethodMissing } from './sequentialCalls.js'
import { traceSequence } from './sequentialOverrides.js'

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

/**
 * Simulates `request` after the sender's pending requests that have not run yet (nonces from the
 * chain's to the request's), each as the forwarder runs it: a call from the forwarder to the
 * target with the sender appended (ERC-2771), in one `eth_simulateV1` block whose state carries
 * from call to call (on other nodes: see `runAfter`). Resolves when none is pending ahead or the
 * request succeeds after them; throws
 * `SimulationFailedError` (named revert), `SenderBacklogError`, or `ChainUnavailableError`.
 *
 * Signature, nonce and deadline are not checked here: admission has done so already (the forwarder's
 * `execute` with the nonce pinned); this only adds what the pending requests change.
 */
export async function simulateAfterPending(
  requests: Pick<RequestStore, 'pendingRequests'>,
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
  if (methods.get(chain) === 'none') throw new SenderBacklogError(Number(ahead), 0)
  // Pending requests below the chain's nonce ran already (mined, not yet confirmed): skipped. The
  // slack covers those, which sort first.
  const pending = (await requests.pendingRequests(chain.chainId, request.from, Number(ahead) + maxPending))
    .map((r) => r.request)
    .filter((r) => r.nonce >= chainNonce && r.nonce < request.nonce)
  if (pending.length === 0) return
  const revert = await runAfter(chain, pending, request, blockNumber)
  if (revert === undefined) return
  const decoded = decodeRevert(revert.data, [forwarderAbi, ...errorAbis])
  throw new SimulationFailedError({
    ...decoded,
    message: `${decoded.message} (after this sender's ${pending.length} pending request(s))`,
  })
}

/** How a chain's node runs a sequence: `eth_simulateV1` (unset), traced state overrides, or not at all. */
const methods = new WeakMap<ChainRuntime, 'trace' | 'none'>()

/**
 * Runs `pending` then `request` as the forwarder runs them; resolves to the request's revert (its
 * data), or undefined when it succeeds. Tries `eth_simulateV1`, then `debug_traceCall` state
 * diffs carried as overrides (`./sequentialOverrides.ts`); a node with neither gets the strict
 * rule: one pending request per sender.
 */
async function runAfter(
  chain: ChainRuntime,
  pending: readonly ForwardRequest[],
  request: ForwardRequest,
  blockNumber: bigint,
): Promise<{ data: Hex | undefined } | undefined> {
  const sequence = [...pending, request]
  if (!methods.has(chain)) {
    const results = await simulateSequence(chain, sequence, blockNumber)
    if (results !== undefined) {
      const last = results[sequence.length - 1]
      if (last === undefined) {
        throw new ChainUnavailableError(chain.chainId, {
          cause: new SimulationAnswerError(`eth_simulateV1 answered ${results.length} calls for ${sequence.length}`),
        })
      }
      return last.status === '0x1' ? undefined : { data: last.returnData }
    }
    methods.set(chain, 'trace')
  }
  if (methods.get(chain) === 'trace') {
    const outcome = await traceSequence(chain, sequence, blockNumber)
    if (outcome !== undefined) return outcome.ok ? undefined : { data: outcome.data }
    methods.set(chain, 'none')
  }
  throw new SenderBacklogError(pending.length, 0)
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
async function simulateSequence(
  chain: ChainRuntime,
  sequence: readonly ForwardRequest[],
  blockNumber: bigint,
): Promise<CallResult[] | undefined> {
  const calls = sequence.map((r) => forwardedCall(chain, r))
  const funds = forwarderFunds(sequence)
  const stateOverrides = funds ? { [chain.forwarder]: { balance: funds } } : undefined
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
    // Reverts come back as results, never as errors: any error is the node failing to answer.
    throw new ChainUnavailableError(chain.chainId, { cause: error })
  }
}

async function onChain<T>(chain: ChainRuntime, read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (error) {
    // A block number or a `nonces` read cannot revert: any error is the node failing to answer.
    throw new ChainUnavailableError(chain.chainId, { cause: error })
  }
}

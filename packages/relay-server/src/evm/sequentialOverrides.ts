// A sender's requests in a row on a node without `eth_simulateV1`: each pending request is traced
// (`debug_traceCall`, prestateTracer in diff mode) on top of the state the earlier ones left, its
// changes carried as state overrides, and the new request is an `eth_call` on top of them all.
import { type Hex, numberToHex } from 'viem'
import type { ForwardRequest } from '../store/types.js'
import type { ChainRuntime } from './chain.js'
import { ChainUnavailableError } from './errors.js'
import { isTransportError } from './nodeErrors.js'
import { revertData } from './revert.js'
import { forwardedCall, forwarderFunds, isMethodMissing } from './sequentialCalls.js'

interface AccountOverride {
  balance?: Hex
  code?: Hex
  stateDiff: Record<Hex, Hex>
}

interface AccountState {
  balance?: Hex
  code?: Hex
  storage?: Record<Hex, Hex>
}

/** prestateTracer's answer in diff mode: what a call changed, before and after. */
interface StateDiff {
  pre?: Record<string, AccountState>
  post?: Record<string, AccountState>
}

const ZERO_WORD: Hex = `0x${'0'.repeat(64)}`

/**
 * Runs all but the last request of `sequence` one after the other by tracing, then the last as an
 * `eth_call` on the state they left. Resolves `{ ok }` (with the revert data when not ok), or
 * undefined when the node has no `debug_traceCall`.
 */
export async function traceSequence(
  chain: ChainRuntime,
  sequence: readonly ForwardRequest[],
  blockNumber: bigint,
): Promise<{ ok: true } | { ok: false; data: Hex | undefined } | undefined> {
  const overrides = new Map<string, AccountOverride>()
  const funds = forwarderFunds(sequence)
  if (funds) overrides.set(chain.forwarder.toLowerCase(), { balance: funds, stateDiff: {} })
  const block = numberToHex(blockNumber)
  for (const request of sequence.slice(0, -1)) {
    let diff: StateDiff
    try {
      diff = (await chain.publicClient.request({
        method: 'debug_traceCall',
        params: [
          forwardedCall(chain, request),
          block,
          { tracer: 'prestateTracer', tracerConfig: { diffMode: true }, stateOverrides: toRpc(overrides) },
        ],
      } as never)) as StateDiff
    } catch (error) {
      if (isMethodMissing(error)) return undefined
      // A trace reports a revert in its result: any error is the node failing to answer.
      throw new ChainUnavailableError(chain.chainId, { cause: error })
    }
    carry(overrides, diff)
  }
  const last = sequence[sequence.length - 1] as ForwardRequest
  try {
    await chain.publicClient.request({
      method: 'eth_call',
      params: [forwardedCall(chain, last), block, toRpc(overrides)],
    } as never)
    return { ok: true }
  } catch (error) {
    if (isTransportError(error)) throw new ChainUnavailableError(chain.chainId, { cause: error })
    return { ok: false, data: revertData(error) }
  }
}

/** Adds what one call changed to the overrides the next call runs on. */
export function carry(overrides: Map<string, AccountOverride>, { pre = {}, post = {} }: StateDiff): void {
  const entry = (address: string) => {
    const key = address.toLowerCase()
    let found = overrides.get(key)
    if (!found) {
      found = { stateDiff: {} }
      overrides.set(key, found)
    }
    return found
  }
  for (const [address, after] of Object.entries(post)) {
    const account = entry(address)
    if (after.balance !== undefined) account.balance = after.balance
    if (after.code !== undefined) account.code = after.code
    for (const [slot, value] of Object.entries(after.storage ?? {})) account.stateDiff[slot as Hex] = value
  }
  // Diff mode leaves out of `post` the slots a call set to zero (a balance spent to the last wei).
  for (const [address, before] of Object.entries(pre)) {
    const after = post[address]?.storage ?? {}
    for (const slot of Object.keys(before.storage ?? {})) {
      if (!(slot in after)) entry(address).stateDiff[slot as Hex] = ZERO_WORD
    }
  }
}

function toRpc(overrides: ReadonlyMap<string, AccountOverride>) {
  const rpc: Record<string, { balance?: Hex; code?: Hex; stateDiff?: Record<Hex, Hex> }> = {}
  for (const [address, { balance, code, stateDiff }] of overrides) {
    rpc[address] = {
      ...(balance === undefined ? {} : { balance }),
      ...(code === undefined ? {} : { code }),
      ...(Object.keys(stateDiff).length === 0 ? {} : { stateDiff }),
    }
  }
  return rpc
}

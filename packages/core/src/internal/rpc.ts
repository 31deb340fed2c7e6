// Raw JSON-RPC helpers over the chain client's batched transport. viem's actions would pull in
// transaction formatters, deployless-call bytecode and secp256k1 (~40 KB gzip); core needs none of them.
import {
  type Abi,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionReturnType,
  decodeErrorResult,
  decodeFunctionResult,
  encodeFunctionData,
  type Hex,
  numberToHex,
} from 'viem'
import type { ChainClient } from '../client.js'
import { AbortedError, NothingToClaimError, TimeoutError, TransactionFailedError } from '../errors.js'
import { causeChain } from './normalize.js'

type BlockRef = { blockNumber?: bigint | undefined }

/** `eth_call` of a view function, decoded. Same-tick calls share one JSON-RPC batch. */
export async function readContract<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, 'view' | 'pure'>,
  const args extends ContractFunctionArgs<abi, 'view' | 'pure', functionName>,
>(
  client: ChainClient,
  parameters: { address: Address; abi: abi; functionName: functionName; args?: args } & BlockRef,
): Promise<ContractFunctionReturnType<abi, 'view' | 'pure', functionName, args>> {
  const { address, abi, functionName, args, blockNumber } = parameters
  const data = encodeFunctionData({ abi, functionName, args } as never)
  const result = await client
    .request({
      method: 'eth_call',
      params: [{ to: address, data }, blockNumber === undefined ? 'latest' : numberToHex(blockNumber)],
    } as never)
    .catch((error: unknown) => {
      throw withRevert(error, abi)
    })
  return decodeFunctionResult({ abi, functionName, args, data: result } as never) as never
}

/** `eth_estimateGas` for a call from `from`; a revert throws NOTHING_TO_CLAIM or TRANSACTION_FAILED. */
export async function estimateGas(
  client: ChainClient,
  parameters: { from: Address; to: Address; data: Hex; abi: Abi },
): Promise<bigint> {
  const { from, to, data, abi } = parameters
  try {
    const gas = await client.request({ method: 'eth_estimateGas', params: [{ from, to, data }] } as never)
    return BigInt(gas as Hex)
  } catch (error) {
    const reverted = withRevert(error, abi)
    if (reverted.errorName === 'VestingVaultNothingToClaim') throw new NothingToClaimError({ cause: error })
    if (reverted.errorName || reverted.revertData)
      throw new TransactionFailedError({ reason: reverted.errorName ?? 'the call reverts', cause: error })
    throw error
  }
}

export async function getLatestBlock(client: ChainClient): Promise<{ number: bigint; timestamp: bigint }> {
  const block = (await client.request({ method: 'eth_getBlockByNumber', params: ['latest', false] } as never)) as {
    number: Hex
    timestamp: Hex
  }
  return { number: BigInt(block.number), timestamp: BigInt(block.timestamp) }
}

/** Polls `eth_getTransactionReceipt` until the transaction is mined. */
export async function waitForReceipt(
  client: ChainClient,
  hash: Hex,
  options: { timeoutMs: number; pollingInterval: number; signal?: AbortSignal | undefined },
): Promise<{ status: 'success' | 'reverted'; blockNumber: bigint }> {
  const deadline = Date.now() + options.timeoutMs
  for (;;) {
    if (options.signal?.aborted) throw new AbortedError({ cause: options.signal.reason })
    const receipt = (await client
      .request({ method: 'eth_getTransactionReceipt', params: [hash] } as never)
      .catch(() => null)) as { status: Hex; blockNumber: Hex } | null
    if (receipt?.blockNumber)
      return { status: receipt.status === '0x1' ? 'success' : 'reverted', blockNumber: BigInt(receipt.blockNumber) }
    if (Date.now() > deadline) throw new TimeoutError({ timeoutMs: options.timeoutMs })
    await new Promise((resolve) => setTimeout(resolve, options.pollingInterval))
  }
}

/** Attaches the decoded custom error (if the node returned revert data) to a failed call. */
function withRevert(error: unknown, abi: Abi): Error & { errorName?: string; revertData?: Hex } {
  const out = (error instanceof Error ? error : new Error(String(error))) as Error & {
    errorName?: string
    revertData?: Hex
  }
  for (const e of causeChain(error)) {
    const data = typeof e.data === 'string' ? e.data : (e.data as { data?: unknown } | undefined)?.data
    if (typeof data !== 'string' || !data.startsWith('0x') || data.length < 10) continue
    out.revertData = data as Hex
    try {
      out.errorName = decodeErrorResult({ abi, data: data as Hex }).errorName
    } catch {}
    break
  }
  return out
}

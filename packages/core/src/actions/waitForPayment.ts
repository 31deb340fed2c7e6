import { type Address, getAddress, type Hash, type Hex, isAddress, numberToHex, pad } from 'viem'
import type { ChainClient, TokenTagsClient } from '../client.js'
import { AbortedError, InvalidParameterError } from '../errors.js'

export interface WaitForPaymentParameters {
  chainId: number
  /** Who is paid. */
  to: Address
  /** `native` for the chain's coin, else the ERC-20 the payment is in. */
  token: Address | 'native'
  /** The exact amount, in base units (wei). */
  amount: bigint
  /**
   * The first block to look in. Default: the block after the latest one when called, so an earlier payment of
   * the same amount to the same address (a previous tip) is never taken for this one.
   */
  fromBlock?: bigint | undefined
  signal?: AbortSignal | undefined
}

export interface WaitForPaymentReturnType {
  txHash: Hash
  from: Address
  blockNumber: bigint
}

export type WaitForPaymentErrorType = InvalidParameterError | AbortedError

// keccak256("Transfer(address,address,uint256)")
const TRANSFER = '0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef'
/** Blocks read per poll at most, so a long-hidden tab catches up in steps rather than one huge read. */
const BLOCKS_PER_POLL = 50n

type RpcTransaction = { hash: Hash; from: Address; to: Address | null; value: Hex }
type RpcLog = { transactionHash: Hash; blockNumber: Hex; data: Hex; topics: Hex[]; removed?: boolean }

/**
 * Resolves once a payment of exactly `amount` to `to` lands on the chain from `fromBlock` on: a transaction with
 * that value to `to` for the native coin, a `Transfer` log to `to` with that value for an ERC-20. Polls every
 * `client.pollingInterval`; a failed read is retried at the next poll. For payments made outside the page (an
 * EIP-681 QR code scanned by a phone wallet): the first match wins, whoever sent it. A native payment made by a
 * contract (an internal transfer) is not seen.
 */
export async function waitForPayment(
  client: TokenTagsClient,
  parameters: WaitForPaymentParameters,
): Promise<WaitForPaymentReturnType> {
  const { chainId, to, token, amount, signal } = parameters
  if (!isAddress(to, { strict: false })) throw new InvalidParameterError(`to "${String(to)}" is not an address.`)
  if (token !== 'native' && !isAddress(token, { strict: false }))
    throw new InvalidParameterError(`token "${String(token)}" is not an address.`)
  if (amount <= 0n) throw new InvalidParameterError('amount must be positive.')
  const chain = client.getChainClient(chainId)
  let next: bigint | undefined = parameters.fromBlock
  for (;;) {
    if (signal?.aborted) throw new AbortedError({ cause: signal.reason })
    try {
      const latest = BigInt(await chain.request({ method: 'eth_blockNumber' }))
      next ??= latest + 1n
      if (latest >= next) {
        const last = latest - next >= BLOCKS_PER_POLL ? next + BLOCKS_PER_POLL - 1n : latest
        const found =
          token === 'native'
            ? await findNative(chain, to, amount, next, last)
            : await findTransfer(chain, token, to, amount, next, last)
        if (found) return found
        next = last + 1n
      }
    } catch (error) {
      if (error instanceof AbortedError) throw error
      // A failed read (an RPC hiccup) is tried again at the next poll: the payment is still on the chain.
    }
    await sleep(client.pollingInterval, signal)
  }
}

async function findNative(
  chain: ChainClient,
  to: Address,
  amount: bigint,
  from: bigint,
  last: bigint,
): Promise<WaitForPaymentReturnType | undefined> {
  const wanted = to.toLowerCase()
  const numbers: bigint[] = []
  for (let n = from; n <= last; n++) numbers.push(n)
  // Same-tick requests share one JSON-RPC batch.
  const blocks = await Promise.all(
    numbers.map(
      (n) =>
        chain.request({ method: 'eth_getBlockByNumber', params: [numberToHex(n), true] } as never) as Promise<{
          transactions: RpcTransaction[]
        } | null>,
    ),
  )
  for (const [i, block] of blocks.entries()) {
    const tx = block?.transactions.find((t) => t.to?.toLowerCase() === wanted && BigInt(t.value) === amount)
    if (tx) return { txHash: tx.hash, from: getAddress(tx.from), blockNumber: numbers[i] as bigint }
  }
  return undefined
}

async function findTransfer(
  chain: ChainClient,
  token: Address,
  to: Address,
  amount: bigint,
  from: bigint,
  last: bigint,
): Promise<WaitForPaymentReturnType | undefined> {
  const logs = (await chain.request({
    method: 'eth_getLogs',
    params: [
      {
        address: token,
        topics: [TRANSFER, null, pad(to.toLowerCase() as Hex)],
        fromBlock: numberToHex(from),
        toBlock: numberToHex(last),
      },
    ],
  } as never)) as RpcLog[]
  const log = logs.find((l) => !l.removed && l.data !== '0x' && BigInt(l.data) === amount)
  if (!log) return undefined
  const sender = getAddress(`0x${(log.topics[1] ?? '').slice(-40)}`)
  return { txHash: log.transactionHash, from: sender, blockNumber: BigInt(log.blockNumber) }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', abort, { once: true })
    function done() {
      signal?.removeEventListener('abort', abort)
      resolve()
    }
    function abort() {
      clearTimeout(timer)
      reject(new AbortedError({ cause: signal?.reason }))
    }
  })
}

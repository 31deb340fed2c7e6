import { type Address, encodeFunctionData, type Hex, isAddress } from 'viem'
import type { GaslessMode, TokenTagsClient } from '../client.js'
import {
  type AbortedError,
  GaslessUnsupportedError,
  InvalidParameterError,
  type RelayOriginNotAllowedError,
  type RelayRejectedError,
  type RelayUnreachableError,
  SaleCapExceededError,
  SaleNotOpenError,
  SlippageError,
  type TimeoutError,
  type TokenTagsError,
  type TransactionFailedError,
  type UserRejectedError,
  type WalletNotConnectedError,
  type WrongChainError,
} from '../errors.js'
import {
  deadlineFrom,
  estimateCall,
  offerWallet,
  relayFor,
  runWrite,
  sendForwarded,
  sendFromWallet,
  signWithWallet,
  splitSignature,
  throwIfAborted,
  tokenDomain,
  tryRead,
  type WriteContext,
} from '../internal/evmWrite.js'
import { tokenSaleAbi } from '../internal/platformAbis.js'
import type { HumanCheck } from '../internal/relay.js'
import { readContract } from '../internal/rpc.js'
import { erc20Abi, permitTypes } from '../internal/tokenAbis.js'
import { DEFAULT_SLIPPAGE_BPS, getBuyQuote } from './getBuyQuote.js'
import type { ActionResult, ActionStatusEvent } from './types.js'

/** `native`: a wallet transaction paying in coins; `permit`: permit + forwarded `buyWithPermit` (gasless); `wallet`: approve (if needed) + `buy`. */
export type BuyMethod = 'native' | 'permit' | 'wallet'

export interface BuyParameters {
  chainId: number
  sale: Address
  /** The payment, in the payment token's base units (wei for the native coin). */
  amountIn: bigint
  /**
   * The fewest sale tokens to accept: the buy reverts with SLIPPAGE below it. Pass a quote's `minOut`
   * (`getBuyQuote`); when omitted it is quoted now with `slippageBps`.
   */
  minOut?: bigint | undefined
  /** Used only when `minOut` is omitted (default 50 = 0.5%). */
  slippageBps?: number | undefined
  /** Defaults to the client's `gasless`. Native payments are always wallet transactions. */
  gasless?: GaslessMode | undefined
  onStatus?: ((event: ActionStatusEvent) => void) | undefined
  signal?: AbortSignal | undefined
  /** How long to wait for confirmation once sent, in ms (default 180 000). */
  timeout?: number | undefined
  /**
   * A human-check token, or a function giving a fresh one per submit, for a site whose relay requires one: sent as
   * `humanCheck` with the forwarded request. A function that throws fails the action with RELAY_REJECTED
   * `HUMAN_CHECK_FAILED`.
   */
  humanCheck?: HumanCheck | undefined
}

export type BuyReturnType = ActionResult & { method: BuyMethod; amountIn: bigint; minOut: bigint }

export type BuyErrorType =
  | InvalidParameterError
  | WalletNotConnectedError
  | WrongChainError
  | UserRejectedError
  | SlippageError
  | SaleNotOpenError
  | SaleCapExceededError
  | GaslessUnsupportedError
  | RelayUnreachableError
  | RelayOriginNotAllowedError
  | RelayRejectedError
  | TransactionFailedError
  | TimeoutError
  | AbortedError

/**
 * Buys from a `TokenSale`: in native coin by a wallet transaction, or in its ERC-20 gaslessly (an EIP-2612 permit
 * and a forwarded `buyWithPermit`: two signatures, no gas). The call is simulated first, so a stale quote fails
 * with SLIPPAGE, a closed sale with SALE_NOT_OPEN and an over-cap buy with SALE_CAP_EXCEEDED before any prompt.
 *
 * @example
 * const quote = await getBuyQuote(client, { chainId, sale, amountIn: 10_000_000n })
 * await buy(client, { chainId, sale, amountIn: quote.amountIn, minOut: quote.minOut })
 */
export async function buy(client: TokenTagsClient, parameters: BuyParameters): Promise<BuyReturnType> {
  const { chainId, sale, amountIn, onStatus, signal } = parameters
  const mode = parameters.gasless ?? client.gasless
  if (!['auto', 'always', 'never'].includes(mode)) throw new InvalidParameterError(`Unknown gasless mode "${mode}".`)
  if (!isAddress(sale, { strict: false })) throw new InvalidParameterError(`sale "${String(sale)}" is not an address.`)
  if (typeof amountIn !== 'bigint' || amountIn <= 0n)
    throw new InvalidParameterError('amountIn must be a positive bigint.')
  if (parameters.minOut !== undefined && (typeof parameters.minOut !== 'bigint' || parameters.minOut < 0n))
    throw new InvalidParameterError('minOut must be a non-negative bigint.')
  const chain = client.getChainClient(chainId)

  const options = { chainId, signal, timeoutMs: parameters.timeout, onStatus, humanCheck: parameters.humanCheck }
  return runWrite(client, options, async (context) => {
    const { from } = context
    const [config, minOut] = await Promise.all([
      readContract(chain, { address: sale, abi: tokenSaleAbi, functionName: 'config' }),
      parameters.minOut ??
        getBuyQuote(client, {
          chainId,
          sale,
          amountIn,
          slippageBps: parameters.slippageBps ?? DEFAULT_SLIPPAGE_BPS,
        }).then((q) => q.minOut),
    ])
    const payment = config.paymentToken
    const buyData = encodeFunctionData({ abi: tokenSaleAbi, functionName: 'buy', args: [amountIn, minOut] })

    if (/^0x0{40}$/i.test(payment)) {
      await estimateCall(chain, { from, to: sale, data: buyData, value: amountIn }, tokenSaleAbi, saleRevert)
      const result = await sendFromWallet(context, { to: sale, data: buyData, value: amountIn })
      return { ...result, method: 'native', amountIn, minOut }
    }

    const walletGas = () => walletBuyGas(context, sale, amountIn, minOut, payment)
    const relay = await offerWallet(context, mode, walletGas, () => relayFor(client, chainId, mode, signal))
    if (relay) {
      const nonce = await tryRead(() =>
        readContract(chain, { address: payment, abi: erc20Abi, functionName: 'nonces', args: [from] }),
      )
      const result = await offerWallet(context, mode, walletGas, async () => {
        if (nonce === undefined)
          throw new GaslessUnsupportedError({ details: `The payment token ${payment} has no EIP-2612 permit.` })
        const [domain, deadline] = await Promise.all([tokenDomain(chain, chainId, payment), deadlineFrom(chain)])
        // Before any prompt: a stale quote, a closed sale or a full cap fails here with its own code.
        await precheck(context, sale, amountIn, minOut, payment)
        context.emit({ status: 'signing', via: 'relay' })
        const signature = await signWithWallet(context, {
          domain,
          types: permitTypes,
          primaryType: 'Permit',
          message: { owner: from, spender: sale, value: amountIn, nonce, deadline },
        })
        const { v, r, s } = splitSignature(signature)
        const data = encodeFunctionData({
          abi: tokenSaleAbi,
          functionName: 'buyWithPermit',
          args: [amountIn, minOut, deadline, v, r, s],
        })
        const gas = await estimateCall(chain, { from, to: sale, data }, tokenSaleAbi, saleRevert)
        throwIfAborted(signal)
        return sendForwarded(context, relay, { to: sale, data, gas })
      })
      return { ...result, method: 'permit', amountIn, minOut }
    }

    // Through the wallet: approve when needed, then buy; the visitor pays gas.
    await precheck(context, sale, amountIn, minOut, payment)
    const allowance = await readContract(chain, {
      address: payment,
      abi: erc20Abi,
      functionName: 'allowance',
      args: [from, sale],
    })
    if (allowance < amountIn) {
      const approve = encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [sale, amountIn] })
      await sendFromWallet(context, { to: payment, data: approve }, { final: false })
    }
    const result = await sendFromWallet(context, { to: sale, data: buyData })
    return { ...result, method: 'wallet', amountIn, minOut }
  })
}

/**
 * Gas of the buy sent from the wallet: `buy`, after an `approve` when the allowance is short (then `buy` cannot be
 * estimated yet: a typical `buy`'s gas stands in for it).
 */
async function walletBuyGas(
  context: WriteContext,
  sale: Address,
  amountIn: bigint,
  minOut: bigint,
  payment: Address,
): Promise<bigint> {
  const { chain, from } = context
  const allowance = await readContract(chain, {
    address: payment,
    abi: erc20Abi,
    functionName: 'allowance',
    args: [from, sale],
  })
  const buyData = encodeFunctionData({ abi: tokenSaleAbi, functionName: 'buy', args: [amountIn, minOut] })
  if (allowance >= amountIn) return estimateCall(chain, { from, to: sale, data: buyData }, tokenSaleAbi, saleRevert)
  const approve = encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [sale, amountIn] })
  return (await estimateCall(chain, { from, to: payment, data: approve }, erc20Abi)) + SALE_BUY_GAS
}

/** A `buy` paid in an ERC-20 on the TokenSale (about 90 000 gas) plus a margin. */
const SALE_BUY_GAS = 120_000n

/**
 * The sale's own checks, in its order, from its views: window and pause, then `quote` against `minOut`, then the
 * caps. (An ERC-20 buy cannot be simulated before the permit exists.)
 */
async function precheck(
  context: WriteContext,
  sale: Address,
  amountIn: bigint,
  minOut: bigint,
  payment: Address,
): Promise<void> {
  const { chain, from } = context
  const allowance = await readContract(chain, {
    address: payment,
    abi: erc20Abi,
    functionName: 'allowance',
    args: [from, sale],
  })
  if (allowance >= amountIn) {
    const data = encodeFunctionData({ abi: tokenSaleAbi, functionName: 'buy', args: [amountIn, minOut] })
    await estimateCall(chain, { from, to: sale, data }, tokenSaleAbi, saleRevert)
    return
  }
  const [config, sold, paused, purchased, amountOut, block] = await Promise.all([
    readContract(chain, { address: sale, abi: tokenSaleAbi, functionName: 'config' }),
    readContract(chain, { address: sale, abi: tokenSaleAbi, functionName: 'sold' }),
    readContract(chain, { address: sale, abi: tokenSaleAbi, functionName: 'paused' }),
    readContract(chain, { address: sale, abi: tokenSaleAbi, functionName: 'purchased', args: [from] }),
    readContract(chain, { address: sale, abi: tokenSaleAbi, functionName: 'quote', args: [amountIn] }),
    chain.request({ method: 'eth_getBlockByNumber', params: ['latest', false] } as never) as Promise<{
      timestamp: Hex
    }>,
  ])
  const now = BigInt(block.timestamp)
  if (paused || now < config.start || now >= config.end) throw new SaleNotOpenError()
  if (amountOut === 0n) throw new InvalidParameterError('The payment is too small to buy anything.')
  if (amountOut < minOut) throw new SlippageError({ amountOut, minOut })
  const remaining = config.totalCap - sold
  if (amountOut > remaining) throw new SaleCapExceededError({ available: remaining })
  const own = config.perBuyerCap > purchased ? config.perBuyerCap - purchased : 0n
  if (amountOut > own) throw new SaleCapExceededError({ available: own })
}

/** The sale's custom errors as core errors callers can tell apart. */
function saleRevert(
  revert: { errorName: string; args: readonly unknown[] },
  cause: unknown,
): TokenTagsError | undefined {
  switch (revert.errorName) {
    case 'TokenSaleSlippage':
      return new SlippageError({ amountOut: revert.args[0] as bigint, minOut: revert.args[1] as bigint, cause })
    case 'TokenSaleNotOpen':
    case 'EnforcedPause':
      return new SaleNotOpenError({ cause })
    case 'TokenSaleTotalCapExceeded':
      return new SaleCapExceededError({ available: revert.args[1] as bigint, cause })
    case 'TokenSaleBuyerCapExceeded':
      return new SaleCapExceededError({ available: revert.args[2] as bigint, cause })
    case 'TokenSaleZeroAmount':
      return new InvalidParameterError('The payment is too small to buy anything.', { cause })
    default:
      return undefined
  }
}

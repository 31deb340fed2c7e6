import { type Address, isAddress } from 'viem'
import type { TokenTagsClient } from '../client.js'
import { InvalidParameterError, ReadFailedError, TokenTagsError } from '../errors.js'
import { tokenSaleAbi } from '../internal/platformAbis.js'
import { readContract } from '../internal/rpc.js'

export interface GetBuyQuoteParameters {
  chainId: number
  sale: Address
  /** The payment, in the payment token's base units. */
  amountIn: bigint
  /** Slippage allowed in `minOut`, in basis points (default 50 = 0.5%). */
  slippageBps?: number | undefined
}

export interface BuyQuote {
  amountIn: bigint
  /** Sale tokens the payment buys at the current price (the sale's `quote` view; caps not applied). */
  amountOut: bigint
  /** `amountOut` less `slippageBps`: pass it to `buy` so a price change before inclusion reverts the buy. */
  minOut: bigint
  slippageBps: number
}

export type GetBuyQuoteReturnType = BuyQuote
export type GetBuyQuoteErrorType = InvalidParameterError | ReadFailedError

/** Default slippage of a quote's `minOut`: 0.5%. Prices only move when the sale's admin sets a new one. */
export const DEFAULT_SLIPPAGE_BPS = 50

/** Quotes a buy through the sale's own `quote` view, with the `minOut` to pass to `buy`. */
export async function getBuyQuote(
  client: TokenTagsClient,
  parameters: GetBuyQuoteParameters,
): Promise<GetBuyQuoteReturnType> {
  const { chainId, sale, amountIn } = parameters
  const slippageBps = parameters.slippageBps ?? DEFAULT_SLIPPAGE_BPS
  if (!isAddress(sale, { strict: false })) throw new InvalidParameterError(`sale "${String(sale)}" is not an address.`)
  if (typeof amountIn !== 'bigint' || amountIn < 0n)
    throw new InvalidParameterError('amountIn must be a non-negative bigint.')
  if (!Number.isInteger(slippageBps) || slippageBps < 0 || slippageBps > 10_000)
    throw new InvalidParameterError('slippageBps must be a whole number from 0 to 10000.')
  const chain = client.getChainClient(chainId)
  try {
    const amountOut = await readContract(chain, {
      address: sale,
      abi: tokenSaleAbi,
      functionName: 'quote',
      args: [amountIn],
    })
    return { amountIn, amountOut, minOut: (amountOut * BigInt(10_000 - slippageBps)) / 10_000n, slippageBps }
  } catch (error) {
    if (error instanceof TokenTagsError) throw error
    throw new ReadFailedError(`Could not quote the sale ${sale}.`, {
      details: (error as { shortMessage?: string }).shortMessage,
      cause: error,
    })
  }
}

import { type Address, isAddress } from 'viem'
import type { TokenTagsClient } from '../client.js'
import { InvalidParameterError, ReadFailedError, TokenTagsError } from '../errors.js'
import { tokenSaleAbi } from '../internal/platformAbis.js'
import { getLatestBlock, readContract } from '../internal/rpc.js'
import { erc20Abi } from '../internal/tokenAbis.js'
import type { TokenInfo } from './getToken.js'

export interface GetSaleParameters {
  chainId: number
  sale: Address
  /** Adds the buyer's own purchased amount and what is left under their cap. */
  buyer?: Address | undefined
}

/**
 * Where a sale stands at the read block: `upcoming` (before `start`), `open`, `ended` (from `end` on), `sold-out`
 * (nothing remaining) or `paused`.
 */
export type SaleStatus = 'upcoming' | 'open' | 'ended' | 'sold-out' | 'paused'

export interface Sale {
  chainId: number
  address: Address
  saleToken: TokenInfo & { address: Address }
  /** What buyers pay with: an ERC-20, or the native coin (`address: 'native'`). */
  paymentToken: TokenInfo
  /** Payment base units per `priceUnit` sale base units. */
  price: bigint
  /** 10^18: the sale-token amount `price` is quoted for. */
  priceUnit: bigint
  /** Unix seconds: open from `start` (inclusive) to `end` (exclusive). */
  start: number
  end: number
  totalCap: bigint
  perBuyerCap: bigint
  sold: bigint
  remaining: bigint
  paused: boolean
  status: SaleStatus
  /** With `buyer`: what they bought so far and can still buy (sale tokens). */
  buyer?: { address: Address; purchased: bigint; available: bigint } | undefined
  /** The read block and its timestamp. */
  blockNumber: bigint
  timestamp: number
}

export type GetSaleReturnType = Sale
export type GetSaleErrorType = InvalidParameterError | ReadFailedError

const PRICE_UNIT = 10n ** 18n

/** Reads a `TokenSale`: price, window, caps, what is left, and the buyer's own cap; pinned to one block. */
export async function getSale(client: TokenTagsClient, parameters: GetSaleParameters): Promise<GetSaleReturnType> {
  const { chainId, sale, buyer } = parameters
  if (!isAddress(sale, { strict: false })) throw new InvalidParameterError(`sale "${String(sale)}" is not an address.`)
  if (buyer !== undefined && !isAddress(buyer, { strict: false }))
    throw new InvalidParameterError(`buyer "${String(buyer)}" is not an address.`)
  const chain = client.getChainClient(chainId)
  try {
    const block = await getLatestBlock(chain)
    const at = { blockNumber: block.number }
    const [config, sold, paused, purchased] = await Promise.all([
      readContract(chain, { address: sale, abi: tokenSaleAbi, functionName: 'config', ...at }),
      readContract(chain, { address: sale, abi: tokenSaleAbi, functionName: 'sold', ...at }),
      readContract(chain, { address: sale, abi: tokenSaleAbi, functionName: 'paused', ...at }),
      buyer
        ? readContract(chain, { address: sale, abi: tokenSaleAbi, functionName: 'purchased', args: [buyer], ...at })
        : undefined,
    ])
    const metadata = (address: Address) =>
      Promise.all([
        readContract(chain, { address, abi: erc20Abi, functionName: 'symbol', ...at }).catch(() => ''),
        readContract(chain, { address, abi: erc20Abi, functionName: 'decimals', ...at }),
      ])
    const native = /^0x0{40}$/i.test(config.paymentToken)
    const [[saleSymbol, saleDecimals], payment] = await Promise.all([
      metadata(config.saleToken),
      native ? undefined : metadata(config.paymentToken),
    ])
    const remaining = config.totalCap > sold ? config.totalCap - sold : 0n
    const now = Number(block.timestamp)
    const start = Number(config.start)
    const end = Number(config.end)
    const status: SaleStatus =
      now >= end ? 'ended' : remaining === 0n ? 'sold-out' : now < start ? 'upcoming' : paused ? 'paused' : 'open'
    const nativeCurrency = chain.chain.nativeCurrency
    return {
      chainId,
      address: sale,
      saleToken: { address: config.saleToken, symbol: saleSymbol, decimals: saleDecimals },
      paymentToken: payment
        ? { address: config.paymentToken, symbol: payment[0], decimals: payment[1] }
        : { address: 'native', symbol: nativeCurrency.symbol, decimals: nativeCurrency.decimals },
      price: config.price,
      priceUnit: PRICE_UNIT,
      start,
      end,
      totalCap: config.totalCap,
      perBuyerCap: config.perBuyerCap,
      sold,
      remaining,
      paused,
      status,
      buyer:
        buyer && purchased !== undefined
          ? {
              address: buyer,
              purchased,
              available: min(config.perBuyerCap > purchased ? config.perBuyerCap - purchased : 0n, remaining),
            }
          : undefined,
      blockNumber: block.number,
      timestamp: now,
    }
  } catch (error) {
    if (error instanceof TokenTagsError) throw error
    throw new ReadFailedError(`Could not read the sale ${sale}: is it a TokenSale on chain ${chainId}?`, {
      details: (error as { shortMessage?: string }).shortMessage,
      cause: error,
    })
  }
}

const min = (a: bigint, b: bigint) => (a < b ? a : b)

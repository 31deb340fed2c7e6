import { type Address, isAddress } from 'viem'
import type { TokenTagsClient } from '../client.js'
import { InvalidParameterError, ReadFailedError, TokenTagsError } from '../errors.js'
import { readContract } from '../internal/rpc.js'
import { erc20Abi } from '../internal/tokenAbis.js'

export interface GetTokenParameters {
  chainId: number
  /** An ERC-20 address, or `native` for the chain's coin (from the client's chain config). */
  token: Address | 'native'
}

export interface TokenInfo {
  /** `native` for the chain's coin. */
  address: Address | 'native'
  /** Empty when the token has no readable string `symbol()`. */
  symbol: string
  decimals: number
}

export type GetTokenReturnType = TokenInfo
export type GetTokenErrorType = InvalidParameterError | ReadFailedError

/** A token's symbol and decimals (one batched round trip); the native coin's come from the chain config. */
export async function getToken(client: TokenTagsClient, parameters: GetTokenParameters): Promise<GetTokenReturnType> {
  const { chainId, token } = parameters
  const chain = client.getChainClient(chainId)
  if (token === 'native') {
    const { symbol, decimals } = chain.chain.nativeCurrency
    return { address: 'native', symbol, decimals }
  }
  if (!isAddress(token, { strict: false }))
    throw new InvalidParameterError(`token "${String(token)}" is not an address.`)
  try {
    const [symbol, decimals] = await Promise.all([
      readContract(chain, { address: token, abi: erc20Abi, functionName: 'symbol' }).catch(() => ''),
      readContract(chain, { address: token, abi: erc20Abi, functionName: 'decimals' }),
    ])
    return { address: token, symbol, decimals }
  } catch (error) {
    if (error instanceof TokenTagsError) throw error
    throw new ReadFailedError(`Could not read the token ${token}: is it an ERC-20 on chain ${chainId}?`, {
      details: (error as { shortMessage?: string }).shortMessage,
      cause: error,
    })
  }
}

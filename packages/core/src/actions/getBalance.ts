import { type Address, type Hex, isAddress } from 'viem'
import type { TokenTagsClient } from '../client.js'
import { InvalidParameterError, ReadFailedError, TokenTagsError } from '../errors.js'
import { readContract } from '../internal/rpc.js'
import { erc20Abi } from '../internal/tokenAbis.js'

export interface GetBalanceParameters {
  chainId: number
  /** An ERC-20 address, or `native` for the chain's coin. */
  token: Address | 'native'
  account: Address
  /**
   * For the native coin paid from the wallet: the gas of the transaction that spends it. That much gas at twice
   * the current gas price is kept back from `spendable` (a fee that rises before the transaction lands still fits).
   */
  reserveGas?: bigint
}

export interface Balance {
  /** What the account holds, in base units. */
  value: bigint
  /** Native coin kept back for the network fee (0 for a token, or without `reserveGas`). */
  reserve: bigint
  /** `value - reserve`, never below 0: the most the account can send. */
  spendable: bigint
}

export type GetBalanceReturnType = Balance
export type GetBalanceErrorType = InvalidParameterError | ReadFailedError

/** An account's balance of a token or of the native coin, and what it can spend (one batched round trip). */
export async function getBalance(client: TokenTagsClient, parameters: GetBalanceParameters): Promise<Balance> {
  const { chainId, token, account, reserveGas } = parameters
  if (!isAddress(account, { strict: false }))
    throw new InvalidParameterError(`account "${String(account)}" is not an address.`)
  if (token !== 'native' && !isAddress(token, { strict: false }))
    throw new InvalidParameterError(`token "${String(token)}" is not an address.`)
  if (reserveGas !== undefined && reserveGas < 0n) throw new InvalidParameterError('reserveGas must not be negative.')
  const chain = client.getChainClient(chainId)
  try {
    if (token !== 'native') {
      const value = await readContract(chain, {
        address: token,
        abi: erc20Abi,
        functionName: 'balanceOf',
        args: [account],
      })
      return { value, reserve: 0n, spendable: value }
    }
    const [balance, gasPrice] = await Promise.all([
      chain.request({ method: 'eth_getBalance', params: [account, 'latest'] } as never) as Promise<Hex>,
      reserveGas ? (chain.request({ method: 'eth_gasPrice' } as never) as Promise<Hex>) : undefined,
    ])
    const value = BigInt(balance)
    const reserve = gasPrice === undefined ? 0n : (reserveGas ?? 0n) * BigInt(gasPrice) * 2n
    return { value, reserve, spendable: value > reserve ? value - reserve : 0n }
  } catch (error) {
    if (error instanceof TokenTagsError) throw error
    throw new ReadFailedError(`Could not read the balance of ${account} on chain ${chainId}.`, {
      details: (error as { shortMessage?: string }).shortMessage,
      cause: error,
    })
  }
}

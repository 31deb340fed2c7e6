import { type Address, type Hex, isAddress } from 'viem'
import type { TokenTagsClient } from '../client.js'
import {
  type ContractKind,
  InvalidParameterError,
  ReadFailedError,
  type TokenTagsError,
  WrongContractError,
} from '../errors.js'
import { vestingVaultAbi } from '../internal/abis.js'
import { causeChain } from '../internal/normalize.js'
import { tokenSaleAbi } from '../internal/platformAbis.js'
import { readContract } from '../internal/rpc.js'
import { erc20Abi } from '../internal/tokenAbis.js'

export interface VerifyContractParameters {
  chainId: number
  address: Address
  /** What the address should be: `vesting-vault`, `token` (ERC-20) or `sale` (TokenSale). */
  expected: ContractKind
}

export type VerifyContractErrorType = WrongContractError | ReadFailedError | InvalidParameterError

const ZERO: Address = '0x0000000000000000000000000000000000000000'

/**
 * Tells a wrong address from an outage after a read failed: throws WRONG_CONTRACT when nothing is deployed at
 * `address` or the contract there does not answer the views of `expected`, READ_FAILED when the chain cannot be
 * read, and resolves when the contract looks right (the failure was something else).
 *
 * @example
 * await getVestingSchedules(client, params).catch(async (error) => {
 *   await verifyContract(client, { chainId, address: params.vault, expected: 'vesting-vault' })
 *   throw error
 * })
 */
export async function verifyContract(client: TokenTagsClient, parameters: VerifyContractParameters): Promise<void> {
  const { chainId, address, expected } = parameters
  if (!isAddress(address, { strict: false }))
    throw new InvalidParameterError(`address "${String(address)}" is not an address.`)
  const chain = client.getChainClient(chainId)
  const code = (await chain
    .request({ method: 'eth_getCode', params: [address, 'latest'] } as never)
    .catch((error: unknown) => {
      throw new ReadFailedError(`Chain ${chainId} could not be read.`, { cause: error })
    })) as Hex
  const wrong = (found: 'no-code' | 'other-contract', cause?: unknown): TokenTagsError =>
    new WrongContractError({ address, chainId, expected, found, ...(cause !== undefined && { cause }) })
  if (!code || code === '0x') throw wrong('no-code')
  try {
    await probe(client, chainId, address, expected)
  } catch (error) {
    // A transport failure says nothing about the contract; a revert or an answer that does not decode does.
    if (
      causeChain(error).some(
        (e) => e.name === 'HttpRequestError' || e.name === 'TimeoutError' || e.name === 'AbortError',
      )
    )
      throw new ReadFailedError(`Chain ${chainId} could not be read.`, { cause: error })
    throw wrong('other-contract', error)
  }
}

/** Views every contract of that kind answers, and that the other kinds do not. */
async function probe(client: TokenTagsClient, chainId: number, address: Address, expected: ContractKind) {
  const chain = client.getChainClient(chainId)
  switch (expected) {
    case 'vesting-vault':
      await Promise.all([
        readContract(chain, { address, abi: vestingVaultAbi, functionName: 'token' }),
        readContract(chain, { address, abi: vestingVaultAbi, functionName: 'scheduleIdsOf', args: [ZERO] }),
      ])
      return
    case 'token':
      await Promise.all([
        readContract(chain, { address, abi: erc20Abi, functionName: 'decimals' }),
        readContract(chain, { address, abi: erc20Abi, functionName: 'balanceOf', args: [ZERO] }),
      ])
      return
    case 'sale':
      await readContract(chain, { address, abi: tokenSaleAbi, functionName: 'config' })
      return
  }
}

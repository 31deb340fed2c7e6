// The WRONG_CONTRACT state's words, in the lazily loaded chain code (core-api.ts): only a failed read needs them, and
// only once core is there (see wrong-contract.ts).
import { verifyContract } from '@tokentags/core'
import { chainName } from './chains.js'

export type ContractKind = 'vesting-vault' | 'token' | 'sale'

/** The `error` state of a wrong contract address. */
export interface WrongContractState {
  status: 'error'
  code: 'WRONG_CONTRACT'
  message: string
  retryable: false
}

const KIND_WORDS: Record<ContractKind, string> = {
  'vesting-vault': 'a vesting vault',
  token: 'a token',
  sale: 'a token sale',
}

/**
 * After a failed read of `address`: the WRONG_CONTRACT state when core finds no code there or not the interface of
 * `expected`, else undefined (an outage or another failure: show the read's own error).
 */
export async function wrongContractState(
  client: Parameters<typeof verifyContract>[0],
  chainId: number,
  address: `0x${string}`,
  expected: ContractKind,
): Promise<WrongContractState | undefined> {
  try {
    await verifyContract(client, { chainId, address, expected })
    return undefined
  } catch (error) {
    const found =
      (error as { code?: unknown; found?: unknown }).code === 'WRONG_CONTRACT' && (error as { found?: unknown }).found
    if (!found) return undefined
    const chain = chainName(chainId, client.chains.find((c) => c.id === chainId)?.name)
    const what = found === 'no-code' ? 'nothing is deployed there' : `that contract is not ${KIND_WORDS[expected]}`
    return {
      status: 'error',
      code: 'WRONG_CONTRACT',
      message: `${address} is not ${KIND_WORDS[expected]} on ${chain} (${what}). Check the address on the page.`,
      retryable: false,
    }
  }
}

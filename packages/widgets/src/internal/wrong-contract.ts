// Errors that name their cause (issue 15): a read that fails on an address that is not the contract its attribute
// says (an account, a token given as the vault…) is shown as WRONG_CONTRACT, with no Try again, not as an outage. The
// check and its words load with the chain code (wrong-contract-state.ts): up front, only this call.
import type { CoreApi } from './core-loader.js'
import type { CoreClient } from './wallet-session.js'
import type { ContractKind, WrongContractState } from './wrong-contract-state.js'

export type { ContractKind, WrongContractState }

/**
 * After a failed read of `address`: the WRONG_CONTRACT state when core finds no code there or not the interface of
 * `expected`, else undefined (an outage or another failure: show the read's own error).
 */
export function wrongContract(
  core: CoreApi,
  client: CoreClient,
  chainId: number,
  address: `0x${string}`,
  expected: ContractKind,
): Promise<WrongContractState | undefined> {
  return core.wrongContractState(client, chainId, address, expected)
}

import { switchChain as wagmiSwitchChain } from '@wagmi/core'
import type { TokenTagsClient } from '../client.js'
import { ChainSwitchError, InvalidParameterError, UserRejectedError, WalletNotConnectedError } from '../errors.js'
import { causeChain } from '../internal/normalize.js'
import { getWagmiConfig } from '../internal/wagmi.js'

export interface SwitchChainParameters {
  chainId: number
}

export type SwitchChainErrorType =
  | InvalidParameterError
  | WalletNotConnectedError
  | UserRejectedError
  | ChainSwitchError

/**
 * Asks the connected wallet to switch (`wallet_switchEthereumChain`, adding the chain when it does not know it).
 * Throws USER_REJECTED when the user declines, CHAIN_SWITCH_FAILED when the wallet cannot.
 */
export async function switchChain(client: TokenTagsClient, parameters: SwitchChainParameters): Promise<void> {
  const { chainId } = parameters
  if (!client.chains.some((chain) => chain.id === chainId))
    throw new InvalidParameterError(`Chain ${chainId} is not configured on this client.`)
  const config = getWagmiConfig(client)
  const connection = config.state.current ? config.state.connections.get(config.state.current) : undefined
  if (!connection) throw new WalletNotConnectedError()
  try {
    await wagmiSwitchChain(config, { chainId })
  } catch (error) {
    // wagmi reports a failed wallet_addEthereumChain as a rejection; the innermost code tells them apart.
    const codes = causeChain(error)
      .map((e) => e.code)
      .filter((code) => typeof code === 'number')
    if (codes.at(-1) === 4001) throw new UserRejectedError({ cause: error })
    throw new ChainSwitchError({ chainId, cause: error })
  }
}

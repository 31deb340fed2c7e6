import { connect as wagmiConnect } from '@wagmi/core'
import type { Address } from 'viem'
import type { TokenTagsClient } from '../client.js'
import {
  InvalidParameterError,
  NoWalletError,
  type TokenTagsError,
  UnknownError,
  UserRejectedError,
} from '../errors.js'
import { causeChain, isUserRejection } from '../internal/normalize.js'
import { findConnector, getWagmiConfig } from '../internal/wagmi.js'

export interface ConnectParameters {
  /** A `WalletInfo.id` from `getWallets`; may be omitted when exactly one wallet is available. */
  walletId?: string | undefined
  /** Ask the wallet to switch to this chain while connecting (a refusal leaves it where it is). */
  chainId?: number | undefined
}

export interface ConnectReturnType {
  address: Address
  chainId: number
}

export type ConnectErrorType = NoWalletError | UserRejectedError | InvalidParameterError | UnknownError

/** Asks the wallet for its accounts. Connecting the wallet that is already connected just returns its account. */
export async function connect(client: TokenTagsClient, parameters: ConnectParameters = {}): Promise<ConnectReturnType> {
  const config = getWagmiConfig(client)
  const { walletId, chainId } = parameters
  if (chainId !== undefined && !client.chains.some((chain) => chain.id === chainId))
    throw new InvalidParameterError(`Chain ${chainId} is not configured on this client.`)
  let connector = walletId === undefined ? undefined : findConnector(config, walletId)
  if (walletId === undefined) {
    // The wallets offered: a legacy provider an announcement covers is registered but not offered.
    const offered = client.getState().wallets
    if (offered.length === 1 && offered[0]) connector = findConnector(config, offered[0].id)
    else if (offered.length > 1) throw new InvalidParameterError('Several wallets are available: pass a `walletId`.')
  }
  if (!connector) throw new NoWalletError({ walletId })

  const current = config.state.current ? config.state.connections.get(config.state.current) : undefined
  if (current && current.connector.uid === connector.uid && current.accounts[0])
    return { address: current.accounts[0], chainId: current.chainId }
  try {
    const result = await wagmiConnect(config, { connector, chainId })
    const address = result.accounts[0]
    if (!address) throw new NoWalletError({ walletId, details: 'The wallet returned no account.' })
    return { address, chainId: result.chainId }
  } catch (error) {
    throw normalizeConnectError(error, walletId)
  }
}

function normalizeConnectError(error: unknown, walletId: string | undefined): TokenTagsError {
  if (error instanceof NoWalletError) return error
  if (isUserRejection(error)) return new UserRejectedError({ cause: error })
  if (causeChain(error).some((e) => e.name === 'ProviderNotFoundError'))
    return new NoWalletError({ walletId, cause: error })
  return new UnknownError({ details: 'The wallet did not connect.', cause: error })
}

import type { TokenTagsClient } from '../client.js'
import { UnknownError, UserRejectedError, WalletNotConnectedError } from '../errors.js'
import { isUserRejection } from '../internal/normalize.js'
import { getWagmiConfig } from '../internal/wagmi.js'
import { disconnect } from './disconnect.js'

export type SwitchAccountReturnType = 'switched' | 'disconnected'

export type SwitchAccountErrorType = WalletNotConnectedError | UserRejectedError | UnknownError

/** EIP-2255 errors of a wallet without `wallet_requestPermissions`: unsupported method, method not found. */
const UNSUPPORTED = new Set([4200, -32601])

/**
 * Lets the visitor pick another account of the connected wallet: EIP-2255 `wallet_requestPermissions` for
 * `eth_accounts` (the wallet shows its account picker; the new account arrives through `accountsChanged`).
 * A wallet without that method is disconnected instead (`'disconnected'`): picking the wallet again lets the visitor
 * choose. Throws USER_REJECTED when the visitor closes the picker.
 */
export async function switchAccount(client: TokenTagsClient): Promise<SwitchAccountReturnType> {
  const config = getWagmiConfig(client)
  const connection = config.state.current ? config.state.connections.get(config.state.current) : undefined
  if (!connection) throw new WalletNotConnectedError()
  const connector = connection.connector
  const provider = (await connector.getProvider()) as
    | { request(args: { method: string; params?: unknown }): Promise<unknown> }
    | undefined
  if (!provider) throw new WalletNotConnectedError()
  try {
    await provider.request({ method: 'wallet_requestPermissions', params: [{ eth_accounts: {} }] })
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code
    if (typeof code === 'number' && UNSUPPORTED.has(code)) {
      await disconnect(client)
      return 'disconnected'
    }
    if (isUserRejection(error)) throw new UserRejectedError({ cause: error })
    throw new UnknownError({ details: 'The wallet did not switch accounts.', cause: error })
  }
  // Some wallets answer without emitting `accountsChanged`: read the accounts and hand them to wagmi.
  const accounts = (await provider.request({ method: 'eth_accounts' })) as readonly `0x${string}`[]
  const first = accounts[0]
  if (first && first.toLowerCase() !== connection.accounts[0]?.toLowerCase())
    connector.onAccountsChanged([...accounts] as `0x${string}`[])
  return 'switched'
}

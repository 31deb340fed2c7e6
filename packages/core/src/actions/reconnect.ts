import { reconnect as wagmiReconnect } from '@wagmi/core'
import type { Account, TokenTagsClient } from '../client.js'
import { findConnector, getWagmiConfig } from '../internal/wagmi.js'

export interface ReconnectParameters {
  /**
   * Restore this wallet (a `WalletInfo.id`) if it still authorizes the page: it is asked `eth_accounts`, which never
   * prompts. Without it, the connection saved in the client's `storage` is restored.
   */
  walletId?: string | undefined
}

/**
 * Restores a connection without prompting, if the wallet still authorizes it: the connection saved in the client's
 * `storage`, or the wallet `walletId` (a page that remembers which wallet the visitor used). Never called implicitly.
 * Resolves to the account (disconnected when the wallet no longer lists an account for the page).
 */
export async function reconnect(client: TokenTagsClient, parameters: ReconnectParameters = {}): Promise<Account> {
  const config = getWagmiConfig(client)
  if (parameters.walletId === undefined) {
    await wagmiReconnect(config)
    return client.getState().account
  }
  const connector = findConnector(config, parameters.walletId)
  if (!connector) return client.getState().account
  // wagmi's reconnect asks `isAuthorized` (eth_accounts) then connects with `isReconnecting` (eth_accounts again):
  // no `eth_requestAccounts`, no `wallet_requestPermissions`.
  await wagmiReconnect(config, { connectors: [connector] })
  return client.getState().account
}

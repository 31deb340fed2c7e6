import { reconnect as wagmiReconnect } from '@wagmi/core'
import type { Account, TokenTagsClient } from '../client.js'
import { getWagmiConfig } from '../internal/wagmi.js'

/**
 * Restores a connection saved in the client's `storage` without prompting, if the wallet still authorizes it.
 * Never called implicitly: with the default storage there is nothing to restore.
 */
export async function reconnect(client: TokenTagsClient): Promise<Account> {
  const config = getWagmiConfig(client)
  await wagmiReconnect(config)
  return client.getState().account
}

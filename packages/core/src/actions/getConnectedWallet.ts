import type { TokenTagsClient, WalletInfo } from '../client.js'
import { getWagmiConfig } from '../internal/wagmi.js'

export type GetConnectedWalletReturnType = WalletInfo | undefined

/** The wallet of the current connection (what `connect` took as `walletId`), if connected. */
export function getConnectedWallet(client: TokenTagsClient): GetConnectedWalletReturnType {
  const config = getWagmiConfig(client)
  const connection = config.state.current ? config.state.connections.get(config.state.current) : undefined
  if (!connection) return undefined
  const connector = connection.connector
  const listed = client.getState().wallets.find((wallet) => wallet.id === connector.id)
  if (listed) return listed
  const rdns = typeof connector.rdns === 'string' ? connector.rdns : connector.rdns?.[0]
  return { id: connector.id, name: connector.name, icon: connector.icon, rdns }
}

import { disconnect as wagmiDisconnect } from '@wagmi/core'
import type { TokenTagsClient } from '../client.js'
import { getWagmiConfig } from '../internal/wagmi.js'

/** Forgets the current connection (and tells the wallet, when it supports `wallet_revokePermissions`). */
export async function disconnect(client: TokenTagsClient): Promise<void> {
  const config = client._internal.wagmi ?? getWagmiConfig(client)
  if (!config.state.current) return
  await wagmiDisconnect(config)
}

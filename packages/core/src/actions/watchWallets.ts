import type { TokenTagsClient, WalletInfo } from '../client.js'
import { getWagmiConfig } from '../internal/wagmi.js'

export type WatchWalletsCallback = (wallets: readonly WalletInfo[]) => void

/** Calls back whenever the wallet list changes (not immediately; read `getWallets` first). Returns an unsubscribe. */
export function watchWallets(client: TokenTagsClient, callback: WatchWalletsCallback): () => void {
  getWagmiConfig(client)
  return client.subscribe((state, previous) => {
    if (state.wallets !== previous.wallets) callback(state.wallets)
  })
}

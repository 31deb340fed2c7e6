import type { TokenTagsClient, WalletInfo } from '../client.js'
import { getWagmiConfig } from '../internal/wagmi.js'

export type GetWalletsReturnType = readonly WalletInfo[]

/** Wallets found so far: given `providers` and, in a browser, EIP-6963 announcements (discovery starts here). */
export function getWallets(client: TokenTagsClient): GetWalletsReturnType {
  getWagmiConfig(client)
  return client.getState().wallets
}

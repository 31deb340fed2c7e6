// Everything the widgets use from @tokentags/core/walletconnect, in one lazily loaded module (its own chunk):
// fetched only when a visitor picks WalletConnect on a page whose <tokentags-config> has a project id. It imports
// nothing else of the widgets, so the classic script can load its stand-alone build
// (`dist/cdn/tokentags-walletconnect.js`).
import type { TokenTagsClient } from '@tokentags/core'
import { addWalletConnect, createWalletConnect, type WalletConnect } from '@tokentags/core/walletconnect'

export { isPairingUri, WALLETCONNECT_ID, type WalletConnect, walletConnectLinks } from '@tokentags/core/walletconnect'

/** The page's WalletConnect settings (`<tokentags-config walletconnect-*>`). */
export interface WalletConnectSettings {
  projectId: string
  relayUrl?: string | undefined
}

/**
 * WalletConnect for the page's core client, in core's wallet list as `walletConnect` (core's `connect` with that
 * id pairs); without a client (Solana widgets only) its `solanaWallet` alone. `solanaChains` asks for a Solana
 * account in the same pairing (Solana tips).
 */
export function walletConnectFor(
  client: TokenTagsClient | undefined,
  settings: WalletConnectSettings,
  solanaChains: readonly string[] = [],
): WalletConnect {
  const wc = createWalletConnect(client, { projectId: settings.projectId, relayUrl: settings.relayUrl, solanaChains })
  if (client) addWalletConnect(client, wc)
  return wc
}

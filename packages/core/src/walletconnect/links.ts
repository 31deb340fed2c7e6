// Links that hand a WalletConnect pairing URI to a wallet app on a phone. Each wallet registers its own
// scheme and universal link for `wc?uri=`; the bare `wc:` URI opens Android's chooser of every WalletConnect
// wallet installed. Solflare's `solflare://wc?uri=` is not handled by its app and Phantom has no documented
// WalletConnect link (AppKit opens both through their in-app browsers instead), so they are left out here: their
// browse links (open the page inside the wallet) serve Solana visitors on phones.

/** A link that opens a wallet app with the pairing URI. */
export interface WalletConnectLink {
  /** Stable id: `metamask`, `trust`, `rainbow`, or `wc` for the bare URI. */
  id: string
  name: string
  /** `https://…` universal link (iOS and Android); falls back to the app store page when the app is missing. */
  universal: string | undefined
  /** Custom-scheme link (`metamask://…`); opens only when the app is installed. */
  native: string | undefined
}

const WALLETS: readonly { id: string; name: string; universal?: string; native?: string }[] = [
  { id: 'metamask', name: 'MetaMask', universal: 'https://metamask.app.link/wc', native: 'metamask://wc' },
  { id: 'trust', name: 'Trust Wallet', universal: 'https://link.trustwallet.com/wc', native: 'trust://wc' },
  { id: 'rainbow', name: 'Rainbow', universal: 'https://rnbwapp.com/wc', native: 'rainbow://wc' },
]

/** A WalletConnect v2 pairing URI: `wc:<64 hex topic>@2?…symKey=<64 hex>…`. */
export function isPairingUri(uri: string): boolean {
  return /^wc:[0-9a-f]{64}@2\?/.test(uri) && /[?&]symKey=[0-9a-f]{64}(&|$)/.test(uri)
}

/**
 * The links that open wallet apps with `uri` (a pairing URI from `onDisplayUri`), the bare `wc:` URI last.
 * Returns none for anything that is not a pairing URI, so a page never builds links from other text.
 */
export function walletConnectLinks(uri: string): WalletConnectLink[] {
  if (!isPairingUri(uri)) return []
  const query = `?uri=${encodeURIComponent(uri)}`
  return [
    ...WALLETS.map((w) => ({
      id: w.id,
      name: w.name,
      universal: w.universal && w.universal + query,
      native: w.native && w.native + query,
    })),
    { id: 'wc', name: 'WalletConnect', universal: undefined, native: uri },
  ]
}

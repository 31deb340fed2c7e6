// Phones without a wallet browser: links that reopen the current page inside a wallet app's own browser, where the
// wallet injects its provider and the widget connects directly. They are plain `<a href>`s: iOS opens a universal
// link only from a navigation the tap itself starts, never one fired after an await.

/** Which wallets fit a widget: EVM wallets (claim, buy, EVM tips) or Solana wallets (Solana tips). */
export type WalletNetwork = 'evm' | 'solana'

/** A wallet app's link that opens `pageUrl` in its browser. */
export interface WalletLink {
  name: string
  href: string
}

const enc = encodeURIComponent

// Checked against the wallets' docs where they publish one: Coinbase Wallet (docs.cdp.coinbase.com, "Dapp browser"),
// Trust Wallet (developer.trustwallet.com, "Deep Linking"), Phantom (docs.phantom.com, "Browse"). MetaMask's takes
// the address without its scheme; Rainbow's, Solflare's and Backpack's follow the forms their apps answer.
const EVM: readonly [string, (url: URL) => string][] = [
  ['MetaMask', (url) => `https://metamask.app.link/dapp/${url.host}${url.pathname}${url.search}${url.hash}`],
  ['Coinbase Wallet', (url) => `https://go.cb-w.com/dapp?cb_url=${enc(url.href)}`],
  ['Trust Wallet', (url) => `https://link.trustwallet.com/open_url?coin_id=60&url=${enc(url.href)}`],
  ['Rainbow', (url) => `https://rnbwapp.com/dapp?url=${enc(url.href)}`],
]
const SOLANA: readonly [string, (url: URL) => string][] = [
  ['Phantom', (url) => `https://phantom.app/ul/browse/${enc(url.href)}?ref=${enc(url.origin)}`],
  ['Solflare', (url) => `https://solflare.com/ul/v1/browse/${enc(url.href)}?ref=${enc(url.origin)}`],
  ['Backpack', (url) => `https://backpack.app/ul/v1/browse/${enc(url.href)}?ref=${enc(url.origin)}`],
]

/** The wallet apps that can open `pageUrl` for `network`; none for a page a wallet browser cannot load. */
export function walletLinks(network: WalletNetwork, pageUrl: string): WalletLink[] {
  let url: URL
  try {
    url = new URL(pageUrl)
  } catch {
    return []
  }
  // A wallet's browser opens web pages only (not file: or blob: ones).
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return []
  return (network === 'solana' ? SOLANA : EVM).map(([name, link]) => ({ name, href: link(url) }))
}

/** The parts of `navigator` that tell a phone apart. */
export interface PhoneSignals {
  userAgent?: string
  maxTouchPoints?: number
  userAgentData?: { mobile?: boolean }
}

/**
 * Whether this is a phone (or tablet) browser: User-Agent Client Hints say so, or the user agent names a mobile
 * system and the screen takes touch. A desktop with a touch screen, or a narrow desktop window, is not one.
 */
export function isPhone(
  nav: PhoneSignals | undefined = typeof navigator === 'undefined' ? undefined : navigator,
): boolean {
  if (!nav) return false
  if (nav.userAgentData?.mobile === true) return true
  const agent = nav.userAgent ?? ''
  const touch = nav.maxTouchPoints ?? 0
  // iPadOS asks for desktop pages with a Mac user agent; a Mac has no touch screen.
  return (/Android|iPhone|iPad|iPod|Mobile/i.test(agent) && touch > 0) || (/Macintosh/.test(agent) && touch > 1)
}

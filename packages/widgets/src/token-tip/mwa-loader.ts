// Android's Solana wallet apps through the Mobile Wallet Adapter (`@solana-mobile/wallet-standard-mobile`): registered
// as one Wallet Standard wallet, "Mobile Wallet Adapter", on Android only and only on pages with a Solana tip. Its
// code (./mwa.ts, with the MWA protocol) is an on-demand chunk: no other visitor downloads it.
import { isPhone, type PhoneSignals, type WalletLink, walletLinks } from '../internal/deep-links.js'

/** The name MWA registers under in Wallet Standard lists. */
export const MWA_NAME = 'Mobile Wallet Adapter'

export type MwaApi = typeof import('./mwa.js')

// The classic script (tokentags.iife.js) cannot have chunks: its build rewrites the import below to fetch the
// stand-alone ES module `tokentags-mwa.js` from beside the script, found through the script's own URL.
const SCRIPT_URL =
  typeof document !== 'undefined' && document.currentScript instanceof HTMLScriptElement
    ? document.currentScript.src
    : undefined

let loading: Promise<MwaApi> | undefined

/** Whether this browser runs on Android: User-Agent Client Hints' platform, else the user agent. */
export function isAndroid(
  nav: (PhoneSignals & { userAgentData?: { platform?: string } }) | undefined = typeof navigator === 'undefined'
    ? undefined
    : navigator,
): boolean {
  if (!nav) return false
  const platform = nav.userAgentData?.platform
  if (platform) return platform === 'Android'
  return /Android/i.test(nav.userAgent ?? '')
}

/**
 * On Android, loads and registers the Mobile Wallet Adapter once per page copy of the widgets (Solana tips call it
 * when they start); elsewhere does nothing. Resolves when registered; a failed download may be retried.
 */
export function registerMobileWalletAdapter(): Promise<boolean> {
  if (!isAndroid()) return Promise.resolve(false)
  loading ??= import('./mwa.js').catch((error: unknown) => {
    loading = undefined
    throw error
  })
  return loading.then((api) => api.registerMobileWallet())
}

/**
 * The Solana wallet apps' links to show beside a wallet list that holds only the Mobile Wallet Adapter (an Android
 * browser with no wallet of its own), as an iPhone gets them: MWA reaches only a wallet app that is installed and
 * answers its intent, in Android's own browser; a link also opens the page inside the wallet app. None otherwise.
 */
export function linksBesideMwa(wallets: readonly { name: string }[]): { links?: WalletLink[] } {
  if (wallets.length === 0 || wallets.some((wallet) => wallet.name !== MWA_NAME)) return {}
  const links = isPhone() && typeof location !== 'undefined' ? walletLinks('solana', location.href) : []
  return links.length ? { links } : {}
}

/** Where the classic script's build finds `tokentags-mwa.js` (beside the script). @internal */
export function classicMwaUrl(): string {
  return new URL('tokentags-mwa.js', SCRIPT_URL ?? document.baseURI).href
}

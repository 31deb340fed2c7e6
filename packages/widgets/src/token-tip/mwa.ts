// The Mobile Wallet Adapter for Android (an on-demand chunk, loaded by ./mwa-loader.ts on Android only). It imports
// nothing else of the widgets, so the classic script can load its stand-alone build (`dist/cdn/tokentags-mwa.js`).
import {
  createDefaultAuthorizationCache,
  createDefaultChainSelector,
  registerMwa,
} from '@solana-mobile/wallet-standard-mobile'

let registered = false

/**
 * Registers the "Mobile Wallet Adapter" Wallet Standard wallet once: a connect opens the phone's Solana wallet app
 * (Phantom, Solflare, Seed Vault…) through an Android intent, and it signs there. Answers whether it is registered
 * (MWA needs a secure context and Android's own browser, not an in-app web view).
 */
export function registerMobileWallet(): boolean {
  if (registered) return true
  if (typeof window === 'undefined' || !window.isSecureContext) return false
  registerMwa({
    appIdentity: {
      name: document.title || location.host,
      uri: location.origin,
    },
    authorizationCache: createDefaultAuthorizationCache(),
    chains: ['solana:mainnet', 'solana:devnet', 'solana:testnet'],
    chainSelector: createDefaultChainSelector(),
    // No wallet app answered: the connect fails and the widget shows the error (no modal of MWA's own).
    onWalletNotFound: async () => {},
  })
  registered = true
  return true
}

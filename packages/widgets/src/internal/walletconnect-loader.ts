// Loads the widgets' WalletConnect chunk (./walletconnect-api.ts: @tokentags/core/walletconnect and the sign
// client, about 140 KB gzip) once per page copy of the widgets, only when a visitor picks WalletConnect.
export type WalletConnectApi = typeof import('./walletconnect-api.js')

// The classic script (tokentags.iife.js) cannot have chunks: its build rewrites the import below to fetch the
// stand-alone ES module `tokentags-walletconnect.js` from beside the script, found through the script's own URL.
const SCRIPT_URL =
  typeof document !== 'undefined' && document.currentScript instanceof HTMLScriptElement
    ? document.currentScript.src
    : undefined

let loading: Promise<WalletConnectApi> | undefined

/** Starts (or joins) the download of the WalletConnect code; rejects when it cannot be fetched (retry allowed). */
export function loadWalletConnect(): Promise<WalletConnectApi> {
  loading ??= import('./walletconnect-api.js').catch((error: unknown) => {
    loading = undefined
    throw error
  })
  return loading
}

/** Where the classic script's build finds `tokentags-walletconnect.js` (beside the script). @internal */
export function classicWalletConnectUrl(): string {
  return new URL('tokentags-walletconnect.js', SCRIPT_URL ?? document.baseURI).href
}

// Loads the Solana half of <token-tip> (src/token-tip/solana-api.ts) once per page copy of the widgets.
export type SolanaApi = typeof import('./solana-api.js')

// The classic script (tokentags.iife.js) cannot have chunks: its build rewrites the import below to fetch the
// stand-alone ES module `tokentags-solana.js` from beside the script, found through the script's own URL.
const SCRIPT_URL =
  typeof document !== 'undefined' && document.currentScript instanceof HTMLScriptElement
    ? document.currentScript.src
    : undefined

let loading: Promise<SolanaApi> | undefined
let loaded: SolanaApi | undefined

/** Starts (or joins) the download of the Solana code; rejects when it cannot be fetched (retry allowed). */
export function loadSolana(): Promise<SolanaApi> {
  loading ??= import('./solana-api.js').then(
    (api) => {
      loaded = api
      return api
    },
    (error: unknown) => {
      loading = undefined
      throw error
    },
  )
  return loading
}

/** The Solana code, if it has been loaded on this page. */
export function loadedSolana(): SolanaApi | undefined {
  return loaded
}

/** Where the classic script's build finds `tokentags-solana.js` (beside the script). @internal */
export function classicSolanaUrl(): string {
  return new URL('tokentags-solana.js', SCRIPT_URL ?? document.baseURI).href
}

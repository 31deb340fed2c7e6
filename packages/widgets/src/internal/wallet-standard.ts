// Light Wallet Standard discovery for Solana widgets: lists the page's Solana wallets (name and icon) with a few
// hundred bytes in the entry bundle, so `@tokentags/core/solana` loads only when the visitor picks one. The wallet
// objects are handed to core's client afterwards, which runs its own discovery too.

/** The parts of a Wallet Standard `Wallet` read before core is loaded. */
export interface StandardWallet {
  readonly name: string
  readonly icon: string
  readonly chains: readonly string[]
  readonly features: Readonly<Record<string, unknown>>
  readonly accounts: readonly unknown[]
  readonly version: string
}

const wallets = new Set<StandardWallet>()
const listeners = new Set<() => void>()
let started = false

function notify(): void {
  for (const listener of [...listeners]) listener()
}

// `@wallet-standard/app`'s register API: wallets call it from `register-wallet` and `app-ready`.
const api = {
  register(...registered: StandardWallet[]): () => void {
    const added = registered.filter(
      (w) =>
        w &&
        typeof w.name === 'string' &&
        !!w.features &&
        'standard:connect' in w.features &&
        'solana:signTransaction' in w.features,
    )
    for (const wallet of added) wallets.add(wallet)
    if (added.length) notify()
    return () => {
      for (const wallet of added) wallets.delete(wallet)
      if (added.length) notify()
    }
  },
}

function start(): void {
  if (started || typeof window === 'undefined') return
  started = true
  window.addEventListener('wallet-standard:register-wallet', (event) => {
    const callback = (event as CustomEvent).detail
    if (typeof callback === 'function') callback(api)
  })
  try {
    window.dispatchEvent(new CustomEvent('wallet-standard:app-ready', { detail: api }))
  } catch {
    // A wallet's listener threw: the others have been called already.
  }
}

/** Solana wallets that registered so far (one per name, first wins). */
export function standardWallets(): StandardWallet[] {
  start()
  const seen = new Set<string>()
  return [...wallets].filter((w) => !seen.has(w.name) && seen.add(w.name))
}

/** Calls `listener` when a Solana wallet registers or leaves. */
export function watchStandardWallets(listener: () => void): () => void {
  start()
  listeners.add(listener)
  return () => listeners.delete(listener)
}

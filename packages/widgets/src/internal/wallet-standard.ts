// Light Wallet Standard discovery for Solana widgets: lists the page's Solana wallets (name and icon) with a few
// hundred bytes in the entry bundle, so `@tokentags/core/solana` loads only when the visitor picks one. The wallet
// objects are handed to core's client afterwards, which runs its own discovery too. Legacy injected providers
// (`window.phantom.solana`, `solflare`, `backpack`, `solana`) are found here too, and adapted by core
// (`fromLegacySolanaProvider`) only once the Solana code loads.

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

/** A legacy injected Solana provider: no Wallet Standard registration, Phantom's provider API. */
export interface InjectedSolanaWallet {
  name: string
  provider: object
}

function isInjectedSolana(value: unknown): value is object {
  const p = value as { connect?: unknown; signTransaction?: unknown } | null
  return (
    typeof p === 'object' && p !== null && typeof p.connect === 'function' && typeof p.signTransaction === 'function'
  )
}

/**
 * The legacy Solana providers on `window` whose name no registered wallet has (current Phantom, Solflare and
 * Backpack register through Wallet Standard as well), one per provider and name. Mirrors core's
 * `getLegacySolanaWallets`, which the entry bundle must not import: no Solana code loads before a wallet is picked.
 */
export function injectedSolanaWallets(): InjectedSolanaWallet[] {
  if (typeof window === 'undefined') return []
  const taken = new Set(standardWallets().map((w) => w.name))
  const found: InjectedSolanaWallet[] = []
  const w = window as unknown as Record<string, { solana?: unknown } | undefined>
  const add = (get: () => unknown, name?: string) => {
    let provider: unknown
    try {
      provider = get()
    } catch {
      return
    }
    if (!isInjectedSolana(provider) || found.some((f) => f.provider === provider)) return
    const flags = provider as Record<string, unknown>
    const label =
      name ??
      (flags.isPhantom === true
        ? 'Phantom'
        : flags.isSolflare === true
          ? 'Solflare'
          : flags.isBackpack === true
            ? 'Backpack'
            : flags.isGlow === true
              ? 'Glow'
              : 'Solana wallet')
    if (!taken.has(label) && !found.some((f) => f.name === label)) found.push({ name: label, provider })
  }
  add(() => w.phantom?.solana, 'Phantom')
  add(() => w.solflare, 'Solflare')
  add(() => w.backpack?.solana ?? w.backpack, 'Backpack')
  add(() => w.solana)
  return found
}

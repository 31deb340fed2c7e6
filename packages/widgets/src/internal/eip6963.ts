// A tiny EIP-6963 listener: lists the page's wallets before @tokentags/core (wagmi, viem) is
// loaded, so a widget can draw its wallet buttons without downloading the chain code first.
// Core runs its own discovery once loaded; wallets answer its request again (EIP-6963).
// A legacy `window.ethereum` no announcement covers is listed too, under the id core gives it.
import { getInjectedWallets, isInjectedWalletAnnounced } from '@tokentags/core'

/** A wallet as announced by EIP-6963 (or found at `window.ethereum`); `rdns` is the id core's `connect` takes. */
export interface AnnouncedWallet {
  rdns: string
  name: string
  icon?: string
}

interface Discovery {
  wallets: AnnouncedWallet[]
  announced: { info: { rdns: string }; provider: unknown }[]
  listeners: Set<() => void>
  listening: boolean
}

const discovery: Discovery = { wallets: [], announced: [], listeners: new Set(), listening: false }

function notify(): void {
  for (const listener of [...discovery.listeners]) listener()
}

function onAnnounce(event: Event): void {
  const detail = (event as CustomEvent<{ info?: Partial<AnnouncedWallet> & { uuid?: string }; provider?: unknown }>)
    .detail
  const info = detail?.info
  if (!info || typeof info.rdns !== 'string' || typeof info.name !== 'string') return
  if (discovery.wallets.some((w) => w.rdns === info.rdns)) return
  discovery.announced = [...discovery.announced, { info: { rdns: info.rdns }, provider: detail.provider }]
  discovery.wallets = [
    ...discovery.wallets,
    { rdns: info.rdns, name: info.name, ...(typeof info.icon === 'string' && { icon: info.icon }) },
  ]
  notify()
}

/** Asks the page's wallets to announce themselves (again). */
export function requestWallets(): void {
  if (typeof window === 'undefined') return
  if (!discovery.listening) {
    discovery.listening = true
    window.addEventListener('eip6963:announceProvider', onAnnounce)
    // A `window.ethereum` set after the widgets loaded (@metamask/detect-provider's signal).
    window.addEventListener('ethereum#initialized', notify)
  }
  window.dispatchEvent(new Event('eip6963:requestProvider'))
}

/** The wallets announced so far, then the legacy injected ones no announcement covers. */
export function announcedWallets(): readonly AnnouncedWallet[] {
  if (typeof window === 'undefined') return discovery.wallets
  const legacy = getInjectedWallets(window).filter((w) => !isInjectedWalletAnnounced(w, discovery.announced))
  if (!legacy.length) return discovery.wallets
  return [...discovery.wallets, ...legacy.map((w) => ({ rdns: w.id, name: w.name }))]
}

/** Starts discovery and calls `listener` whenever a new wallet announces itself. */
export function watchAnnouncedWallets(listener: () => void): () => void {
  discovery.listeners.add(listener)
  requestWallets()
  return () => discovery.listeners.delete(listener)
}

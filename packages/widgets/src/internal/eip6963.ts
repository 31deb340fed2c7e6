// A tiny EIP-6963 listener: lists the page's wallets before @tokentags/core (wagmi, viem) is
// loaded, so a widget can draw its wallet buttons without downloading the chain code first.
// Core runs its own discovery once loaded; wallets answer its request again (EIP-6963).

/** A wallet as announced by EIP-6963; `rdns` is the id core's `connect` takes. */
export interface AnnouncedWallet {
  rdns: string
  name: string
  icon?: string
}

interface Discovery {
  wallets: AnnouncedWallet[]
  listeners: Set<() => void>
  listening: boolean
}

const discovery: Discovery = { wallets: [], listeners: new Set(), listening: false }

function onAnnounce(event: Event): void {
  const info = (event as CustomEvent<{ info?: Partial<AnnouncedWallet> & { uuid?: string } }>).detail?.info
  if (!info || typeof info.rdns !== 'string' || typeof info.name !== 'string') return
  if (discovery.wallets.some((w) => w.rdns === info.rdns)) return
  discovery.wallets = [
    ...discovery.wallets,
    { rdns: info.rdns, name: info.name, ...(typeof info.icon === 'string' && { icon: info.icon }) },
  ]
  for (const listener of [...discovery.listeners]) listener()
}

/** Asks the page's wallets to announce themselves (again). */
export function requestWallets(): void {
  if (typeof window === 'undefined') return
  if (!discovery.listening) {
    discovery.listening = true
    window.addEventListener('eip6963:announceProvider', onAnnounce)
  }
  window.dispatchEvent(new Event('eip6963:requestProvider'))
}

/** The wallets announced so far. */
export function announcedWallets(): readonly AnnouncedWallet[] {
  return discovery.wallets
}

/** Starts discovery and calls `listener` whenever a new wallet announces itself. */
export function watchAnnouncedWallets(listener: () => void): () => void {
  discovery.listeners.add(listener)
  requestWallets()
  return () => discovery.listeners.delete(listener)
}

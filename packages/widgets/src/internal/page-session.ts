// One wallet session per network per page: the account every widget of a network shows in its account chip, the
// controls of its menu (switch account, disconnect), and the page's optional memory of the wallet (`remember` on
// <tokentags-config>). Kept on globalThis, as the configuration is, so two copies of the widgets share it.

export type SessionNetwork = 'evm' | 'solana'

/** The connected account of a network, as every widget of that network shows it. */
export interface PageAccount {
  network: SessionNetwork
  /** `0x…` or a base58 Solana address. */
  address: string
  /** What the wallet is picked by: an EIP-6963 rdns (or core's id), or a Wallet Standard name. */
  walletId: string
  walletName: string
  walletIcon?: string
  /** Lets the visitor pick another account (the wallet's own account picker). */
  switchAccount(): Promise<void>
  /** Disconnects the network's wallet: every widget of the network goes back to the wallet list. */
  disconnect(): Promise<void>
}

interface Channel {
  accounts: Map<SessionNetwork, PageAccount>
  listeners: Set<() => void>
  /** The networks whose silent reconnect was tried on this page load (once each). */
  restored: Set<SessionNetwork>
}

const KEY = Symbol.for('tokentags.sessions.v1')

function channel(): Channel {
  const g = globalThis as unknown as Record<symbol, Channel | undefined>
  let c = g[KEY]
  if (!c) {
    c = { accounts: new Map(), listeners: new Set(), restored: new Set() }
    g[KEY] = c
  }
  return c
}

/** The connected account of `network` on this page, if any. */
export function pageAccount(network: SessionNetwork): PageAccount | undefined {
  return channel().accounts.get(network)
}

/** Sets (or clears) the account of `network` and tells every widget. */
export function setPageAccount(network: SessionNetwork, account: PageAccount | undefined): void {
  const c = channel()
  const previous = c.accounts.get(network)
  if (previous === account) return
  if (account) c.accounts.set(network, account)
  else c.accounts.delete(network)
  for (const listener of [...c.listeners]) listener()
}

/** Calls `listener` whenever a network's account changes. */
export function watchPageAccounts(listener: () => void): () => void {
  const c = channel()
  c.listeners.add(listener)
  return () => c.listeners.delete(listener)
}

/**
 * Claims the one silent reconnect of `network` for this page load: true for the first widget that asks, so
 * several widgets never ask the wallet at once.
 */
export function claimRestore(network: SessionNetwork): boolean {
  const c = channel()
  if (c.restored.has(network)) return false
  c.restored.add(network)
  return true
}

/**
 * localStorage key of the remembered wallets. localStorage is per origin: another site never reads it. The value
 * holds only `{ evm?: walletId, solana?: walletName }`: never an address or a key.
 */
export const REMEMBER_KEY = 'tokentags:wallets'

/** This origin's localStorage, if the page may use it. @internal */
export function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage
  } catch {
    // Sandboxed frames and some privacy modes throw on access.
    return undefined
  }
}

/** @internal */
export function readRemembered(): Partial<Record<SessionNetwork, string>> {
  try {
    const value = JSON.parse(storage()?.getItem(REMEMBER_KEY) ?? '{}') as unknown
    if (!value || typeof value !== 'object') return {}
    const out: Partial<Record<SessionNetwork, string>> = {}
    for (const network of ['evm', 'solana'] as const) {
      const id = (value as Record<string, unknown>)[network]
      if (typeof id === 'string' && id.length > 0 && id.length <= 200) out[network] = id
    }
    return out
  } catch {
    return {}
  }
}

/** The wallet remembered for `network`, if the page remembers wallets. */
export function rememberedWallet(network: SessionNetwork): string | undefined {
  return readRemembered()[network]
}

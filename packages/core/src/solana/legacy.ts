// Legacy injected Solana wallets: the providers older wallets and in-app browsers put on `window` (Phantom's
// `phantom.solana`, `solflare`, `backpack`, `solana`) without registering through Wallet Standard, presented as
// Wallet Standard wallets through `fromWalletAdapter`. No @solana/kit here: the widgets list these before any
// Solana code loads.
import type { Wallet } from '@wallet-standard/base'
import { fromWalletAdapter, type SolanaWalletAdapter, type VersionedTransactionClass } from './walletAdapter.js'

/** The methods of an injected Solana provider (Phantom's API, which Solflare and Backpack share). */
export interface LegacySolanaProvider {
  readonly publicKey?: { toBase58(): string; toBytes(): Uint8Array } | null
  readonly isConnected?: boolean
  connect(options?: { onlyIfTrusted?: boolean }): Promise<unknown>
  disconnect?(): Promise<void>
  // biome-ignore lint/suspicious/noExplicitAny: providers take web3.js transactions; core hands them a wire-format stand-in
  signTransaction(transaction: any): Promise<{ serialize(): Uint8Array }>
  on?(event: string, listener: (...args: never[]) => void): unknown
  off?(event: string, listener: (...args: never[]) => void): unknown
  removeListener?(event: string, listener: (...args: never[]) => void): unknown
}

const ICON =
  'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"%3E%3Crect width="32" height="32" rx="6" fill="%236b7280"/%3E%3Cpath d="M8 11h16v12H8z" fill="none" stroke="%23fff" stroke-width="2"/%3E%3Cpath d="M8 11l12-4v4" fill="none" stroke="%23fff" stroke-width="2"/%3E%3C/svg%3E'

function isProvider(value: unknown): value is LegacySolanaProvider {
  const p = value as Partial<LegacySolanaProvider> | null
  return (
    typeof p === 'object' && p !== null && typeof p.connect === 'function' && typeof p.signTransaction === 'function'
  )
}

/** The name of an injected Solana provider whose flags name no wallet (apps may show their own words). */
export const SOLANA_BROWSER_WALLET_NAME = 'Solana wallet'

function nameOf(provider: LegacySolanaProvider): string {
  const flags = provider as unknown as Record<string, unknown>
  if (flags.isPhantom === true) return 'Phantom'
  if (flags.isSolflare === true) return 'Solflare'
  if (flags.isBackpack === true) return 'Backpack'
  if (flags.isGlow === true) return 'Glow'
  return SOLANA_BROWSER_WALLET_NAME
}

// One Wallet per provider: apps compare wallets by identity between lookups.
const adapted = new WeakMap<LegacySolanaProvider, Wallet>()

/**
 * A transaction in wire format as injected providers expect a web3.js one: `serialize()` gives the bytes back and
 * `version` (read by providers to tell versioned transactions apart) comes from the message's first byte.
 */
export const wireTransaction: VersionedTransactionClass = {
  deserialize(bytes: Uint8Array) {
    // compact-u16 count of signatures, 64 bytes each, then the message: its top bit marks a versioned message.
    let count = 0
    let offset = 0
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[offset++] ?? 0
      count |= (byte & 0x7f) << shift
      if (!(byte & 0x80)) break
    }
    const prefix = bytes[offset + count * 64] ?? 0
    return { version: prefix & 0x80 ? prefix & 0x7f : 'legacy', serialize: () => bytes }
  },
}

/**
 * The legacy Solana wallets of `target` (default `globalThis`), one per provider object and name, skipping names in
 * `exclude` (the Wallet Standard wallets already listed: current Phantom, Solflare and Backpack register there too).
 */
export function getLegacySolanaWallets(target: unknown = globalThis, exclude: readonly string[] = []): Wallet[] {
  const found: [string, LegacySolanaProvider][] = []
  const read = (get: () => unknown, name?: string) => {
    let value: unknown
    try {
      value = get()
    } catch {
      return
    }
    if (!isProvider(value) || found.some(([, p]) => p === value)) return
    const label = name ?? nameOf(value)
    if (!found.some(([n]) => n === label) && !exclude.includes(label)) found.push([label, value])
  }
  const w = target as Record<string, { solana?: unknown } | undefined> | null | undefined
  read(() => w?.phantom?.solana, 'Phantom')
  read(() => w?.solflare, 'Solflare')
  read(() => w?.backpack?.solana ?? w?.backpack, 'Backpack')
  read(() => w?.solana)
  return found.map(([name, provider]) => {
    let wallet = adapted.get(provider)
    if (!wallet || wallet.name !== name) {
      wallet = fromLegacySolanaProvider(provider, name)
      adapted.set(provider, wallet)
    }
    return wallet
  })
}

/** Presents an injected Solana provider as a Wallet Standard wallet named `name`. */
export function fromLegacySolanaProvider(provider: LegacySolanaProvider, name: string): Wallet {
  const off = provider.off ?? provider.removeListener
  const adapter: SolanaWalletAdapter = {
    name,
    icon: ICON,
    get publicKey() {
      return provider.publicKey ?? null
    },
    get connected() {
      return provider.isConnected !== false && !!provider.publicKey
    },
    supportedTransactionVersions: new Set(['legacy', 0] as const),
    async connect() {
      await provider.connect()
    },
    async disconnect() {
      await provider.disconnect?.()
    },
    signTransaction: (transaction) => provider.signTransaction(transaction),
    on: (event, listener) => provider.on?.(event, listener),
    off: (event, listener) => off?.call(provider, event, listener),
  }
  return fromWalletAdapter(adapter, { VersionedTransaction: wireTransaction })
}

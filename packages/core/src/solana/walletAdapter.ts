import type { Wallet, WalletAccount } from '@wallet-standard/base'

/** The parts of a `@solana/wallet-adapter-base` adapter the conversion uses (structural: no dependency). */
export interface SolanaWalletAdapter {
  readonly name: string
  readonly icon: string
  readonly publicKey: { toBase58(): string; toBytes(): Uint8Array } | null
  readonly connected: boolean
  readonly supportedTransactionVersions?: ReadonlySet<'legacy' | number> | null | undefined
  connect(): Promise<void>
  disconnect(): Promise<void>
  // biome-ignore lint/suspicious/noExplicitAny: web3.js transaction classes, kept structural so core never imports web3.js
  signTransaction?(transaction: any): Promise<{ serialize(): Uint8Array }>
  on?(event: 'connect' | 'disconnect', listener: (...args: never[]) => void): unknown
  off?(event: 'connect' | 'disconnect', listener: (...args: never[]) => void): unknown
  /** Set on adapters that wrap a Wallet Standard wallet (`StandardWalletAdapter`). */
  readonly wallet?: Wallet
}

/** `@solana/web3.js`'s `VersionedTransaction` (passed in, so core never bundles web3.js). */
export interface VersionedTransactionClass {
  deserialize(bytes: Uint8Array): { serialize(): Uint8Array }
}

export interface FromWalletAdapterOptions {
  /** `VersionedTransaction` from `@solana/web3.js` (adapters sign web3.js objects). */
  VersionedTransaction: VersionedTransactionClass
  /** Chains to announce (default `solana:mainnet`, `solana:devnet`, `solana:testnet`, `solana:localnet`). */
  chains?: readonly `solana:${string}`[]
}

const CHAINS = ['solana:mainnet', 'solana:devnet', 'solana:testnet', 'solana:localnet'] as const

/**
 * Presents a `@solana/wallet-adapter-base` adapter as a Wallet Standard wallet that core can use
 * (`createSolanaClient({ wallets: [fromWalletAdapter(adapter, { VersionedTransaction })] })`).
 * An adapter that already wraps a Standard wallet gives that wallet back.
 */
export function fromWalletAdapter(adapter: SolanaWalletAdapter, options: FromWalletAdapterOptions): Wallet {
  const inner = adapter.wallet
  if (inner && 'solana:signTransaction' in inner.features && 'standard:connect' in inner.features) return inner
  const chains = options.chains ?? CHAINS
  const accountOf = (): WalletAccount[] => {
    const key = adapter.publicKey
    if (!adapter.connected || !key) return []
    return [
      Object.freeze({
        address: key.toBase58(),
        publicKey: key.toBytes(),
        chains,
        features: ['solana:signTransaction'] as const,
      }),
    ]
  }
  const listeners = new Set<(properties: { accounts: readonly WalletAccount[] }) => void>()
  const emit = () => {
    for (const listener of listeners) listener({ accounts: accountOf() })
  }
  const versions = adapter.supportedTransactionVersions
    ? [...adapter.supportedTransactionVersions]
    : ['legacy' as const]
  return {
    version: '1.0.0',
    name: adapter.name,
    icon: adapter.icon as Wallet['icon'],
    chains,
    get accounts() {
      return accountOf()
    },
    features: {
      'standard:connect': {
        version: '1.0.0',
        async connect() {
          if (!adapter.connected) await adapter.connect()
          return { accounts: accountOf() }
        },
      },
      'standard:disconnect': { version: '1.0.0', disconnect: () => adapter.disconnect() },
      'standard:events': {
        version: '1.0.0',
        on(_event: 'change', listener: (properties: { accounts: readonly WalletAccount[] }) => void) {
          if (listeners.size === 0) {
            adapter.on?.('connect', emit)
            adapter.on?.('disconnect', emit)
          }
          listeners.add(listener)
          return () => {
            listeners.delete(listener)
            if (listeners.size === 0) {
              adapter.off?.('connect', emit)
              adapter.off?.('disconnect', emit)
            }
          }
        },
      },
      'solana:signTransaction': {
        version: '1.0.0',
        supportedTransactionVersions: versions,
        async signTransaction(...inputs: readonly { transaction: Uint8Array }[]) {
          if (!adapter.signTransaction) throw new Error(`${adapter.name} cannot sign transactions`)
          const outputs: { signedTransaction: Uint8Array }[] = []
          for (const { transaction } of inputs) {
            const signed = await adapter.signTransaction(options.VersionedTransaction.deserialize(transaction))
            outputs.push({ signedTransaction: new Uint8Array(signed.serialize()) })
          }
          return outputs
        },
      },
    },
  }
}

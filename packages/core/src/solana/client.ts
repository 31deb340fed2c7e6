import type { Wallet, WalletAccount } from '@wallet-standard/base'
import { InvalidParameterError } from '../errors.js'
import { createStore, type Store } from '../internal/store.js'

export type SolanaAccountStatus = 'disconnected' | 'connecting' | 'connected'

export interface SolanaAccount {
  status: SolanaAccountStatus
  /** Base58 address of the connected account. */
  address: string | undefined
  /** `name` of the connected wallet (what `connectSolana` takes). */
  walletId: string | undefined
}

/** A Wallet Standard wallet the user can pick. */
export interface SolanaWalletInfo {
  /** The wallet's name; `connectSolana` takes it. */
  id: string
  name: string
  icon: string
}

export interface SolanaState {
  account: SolanaAccount
  wallets: readonly SolanaWalletInfo[]
}

export interface SolanaClientConfig {
  /** JSON-RPC endpoint reads and the recent blockhash come from (CORS-enabled for browsers). */
  rpcUrl: string
  /** Base URL of the TokenTags relay (the one the EVM client uses). */
  relayUrl?: string | undefined
  /** Sent as `x-tokentags-site`. */
  siteKey?: string | undefined
  /** Wallet Standard chain the wallet signs for; default: the relay's `solana.chain`, else `solana:mainnet`. */
  chain?: `solana:${string}` | undefined
  /** Wallets besides Wallet Standard discovery (tests, the dev wallet, converted wallet-adapter adapters). */
  wallets?: readonly Wallet[] | undefined
  /** Listen for Wallet Standard wallets in the browser (default true); starts on the first wallet call. */
  discover?: boolean | undefined
  /** Polling interval when the relay's event stream is unavailable, in ms (default 500). */
  pollingInterval?: number | undefined
}

export interface SolanaClient {
  readonly rpcUrl: string
  readonly relayUrl: string | undefined
  readonly siteKey: string | undefined
  readonly chain: `solana:${string}` | undefined
  readonly wallets: readonly Wallet[]
  readonly discover: boolean
  readonly pollingInterval: number
  getState(): SolanaState
  subscribe(listener: (state: SolanaState, previous: SolanaState) => void): () => void
  /** @internal */
  readonly _internal: SolanaClientInternals
}

/** @internal */
export interface SolanaClientInternals {
  store: Store<SolanaState>
  connected: { wallet: Wallet; account: WalletAccount; off: () => void } | undefined
  relayConfig: Promise<unknown> | undefined
  discovery: { wallets: () => readonly Wallet[]; off: () => void } | undefined
}

export const initialSolanaAccount: SolanaAccount = Object.freeze({
  status: 'disconnected',
  address: undefined,
  walletId: undefined,
})

/**
 * Creates the page's Solana client. Nothing happens at creation: wallet discovery starts on the
 * first wallet call, and importing never touches `window`.
 *
 * @example
 * const solana = createSolanaClient({ rpcUrl: 'https://api.mainnet-beta.solana.com',
 *   relayUrl: 'https://relay.example.com', siteKey: 'pk_live_123' })
 */
export function createSolanaClient(config: SolanaClientConfig): SolanaClient {
  if (!config || typeof config.rpcUrl !== 'string' || !/^https?:\/\//.test(config.rpcUrl))
    throw new InvalidParameterError('`rpcUrl` needs an http(s) Solana RPC URL.')
  if (config.chain !== undefined && !/^solana:[a-z]+$/.test(config.chain))
    throw new InvalidParameterError(`chain "${String(config.chain)}" is not a Solana chain id such as solana:devnet.`)
  const store = createStore<SolanaState>({ account: initialSolanaAccount, wallets: [] })
  return {
    rpcUrl: config.rpcUrl,
    relayUrl: config.relayUrl ? config.relayUrl.replace(/\/+$/, '') : undefined,
    siteKey: config.siteKey,
    chain: config.chain,
    wallets: Object.freeze([...(config.wallets ?? [])]),
    discover: config.discover ?? true,
    pollingInterval: config.pollingInterval ?? 500,
    getState: () => store.getState(),
    subscribe: (listener) => store.subscribe(listener),
    _internal: { store, connected: undefined, relayConfig: undefined, discovery: undefined },
  }
}

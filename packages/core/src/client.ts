import type { Config as WagmiConfig } from '@wagmi/core'
import { type Address, type Chain, type Client, createClient, type EIP1193Provider, http, type Transport } from 'viem'
import { InvalidParameterError } from './errors.js'
import { createStore, type Store } from './internal/store.js'

/** One EVM chain the page uses. */
export interface ChainConfig {
  id: number
  rpcUrl: string
  name?: string
  explorerUrl?: string
  nativeCurrency?: { name: string; symbol: string; decimals: number }
}

/** EIP-6963 provider info. */
export interface WalletProviderInfo {
  uuid: string
  name: string
  /** A data URI (EIP-6963). */
  icon: string
  rdns: string
}

/** An EIP-1193 provider with its EIP-6963 info, as announced by wallets. */
export interface EIP1193ProviderDetail {
  info: WalletProviderInfo
  provider: EIP1193Provider
}

/** Storage-like (`localStorage` fits); core persists nothing unless one is given. */
export interface TokenTagsStorage {
  getItem(key: string): string | null | Promise<string | null>
  setItem(key: string, value: string): void | Promise<void>
  removeItem(key: string): void | Promise<void>
}

export type GaslessMode = 'auto' | 'always' | 'never'

export interface TokenTagsClientConfig {
  chains: readonly ChainConfig[]
  /** Base URL of the TokenTags relay, e.g. `https://relay.example.com`. */
  relayUrl?: string | undefined
  /** Sent as `x-tokentags-site` with every relay request. */
  siteKey?: string | undefined
  /** Default for actions; `auto` uses the relay and falls back to the wallet only when the relay is unreachable. */
  gasless?: GaslessMode | undefined
  /** Wallets besides EIP-6963 discovery (tests, the dev wallet, embedded providers). */
  providers?: readonly EIP1193ProviderDetail[] | undefined
  /** Persists the wallet connection when given; the default persists nothing (no auto-reconnect). */
  storage?: TokenTagsStorage | undefined
  /** Listen for EIP-6963 wallets in the browser (default true); starts on the first wallet call. */
  multiInjectedProviderDiscovery?: boolean | undefined
  /**
   * Offer a legacy `window.ethereum` (and its `providers`) that no EIP-6963 announcement covers, named after its
   * flags (default true; browser only).
   */
  injectedProviderDiscovery?: boolean | undefined
  /** How often to poll the chain while waiting for a receipt, in ms (default 1000). */
  pollingInterval?: number | undefined
}

export type AccountStatus = 'disconnected' | 'connecting' | 'reconnecting' | 'connected'

/** A wallet the user can pick. `id` is what `connect` takes (the EIP-6963 rdns for announced wallets). */
export interface WalletInfo {
  id: string
  name: string
  icon: string | undefined
  rdns: string | undefined
}

export interface Account {
  status: AccountStatus
  address: Address | undefined
  chainId: number | undefined
}

/** Client state, observable through `client.subscribe`. */
export interface TokenTagsState {
  account: Account
  wallets: readonly WalletInfo[]
}

/** A viem client (no actions attached) for one chain: pass it to `viem/actions` functions. */
export type ChainClient = Client<Transport, Chain>

export interface TokenTagsClient {
  readonly chains: readonly ChainConfig[]
  readonly relayUrl: string | undefined
  readonly siteKey: string | undefined
  readonly gasless: GaslessMode
  readonly providers: readonly EIP1193ProviderDetail[]
  readonly storage: TokenTagsStorage | undefined
  readonly multiInjectedProviderDiscovery: boolean
  readonly injectedProviderDiscovery: boolean
  readonly pollingInterval: number
  /** The batched JSON-RPC client of a configured chain; throws INVALID_PARAMETER for others. */
  getChainClient(chainId: number): ChainClient
  getState(): TokenTagsState
  subscribe(listener: (state: TokenTagsState, previous: TokenTagsState) => void): () => void
  /** @internal */
  readonly _internal: ClientInternals
}

/** @internal */
export interface ClientInternals {
  store: Store<TokenTagsState>
  viemChains: readonly Chain[]
  wagmi: WagmiConfig | undefined
  relayConfig: Map<string, Promise<unknown>>
}

export const initialAccount: Account = Object.freeze({ status: 'disconnected', address: undefined, chainId: undefined })

/**
 * Creates the page's client. Nothing happens at creation beyond building HTTP transports:
 * wallet discovery starts on the first wallet call.
 *
 * @example
 * const client = createTokenTagsClient({ relayUrl: 'https://relay.example.com', siteKey: 'pk_live_123',
 *   chains: [{ id: 8453, rpcUrl: 'https://mainnet.base.org' }] })
 */
export function createTokenTagsClient(config: TokenTagsClientConfig): TokenTagsClient {
  if (!config || !Array.isArray(config.chains) || config.chains.length === 0)
    throw new InvalidParameterError('`chains` needs at least one chain.')
  const seen = new Set<number>()
  for (const chain of config.chains) {
    if (!Number.isSafeInteger(chain.id) || chain.id <= 0)
      throw new InvalidParameterError(`Chain id ${String(chain.id)} is not a positive integer.`)
    if (seen.has(chain.id)) throw new InvalidParameterError(`Chain ${chain.id} is configured twice.`)
    if (typeof chain.rpcUrl !== 'string' || !/^(https?|wss?):\/\//.test(chain.rpcUrl))
      throw new InvalidParameterError(`Chain ${chain.id} needs an http(s) rpcUrl.`, { details: String(chain.rpcUrl) })
    seen.add(chain.id)
  }
  const gasless = config.gasless ?? 'auto'
  if (!['auto', 'always', 'never'].includes(gasless))
    throw new InvalidParameterError(`gasless must be "auto", "always" or "never", not "${String(gasless)}".`)
  const relayUrl = config.relayUrl ? config.relayUrl.replace(/\/+$/, '') : undefined
  const pollingInterval = config.pollingInterval ?? 1_000
  const chains = Object.freeze(config.chains.map((chain) => Object.freeze({ ...chain })))
  const viemChains = chains.map(toViemChain)
  const chainClients = new Map<number, ChainClient>()
  const store = createStore<TokenTagsState>({ account: initialAccount, wallets: [] })

  return {
    chains,
    relayUrl,
    siteKey: config.siteKey,
    gasless,
    providers: Object.freeze([...(config.providers ?? [])]),
    storage: config.storage,
    multiInjectedProviderDiscovery: config.multiInjectedProviderDiscovery ?? true,
    injectedProviderDiscovery: config.injectedProviderDiscovery ?? true,
    pollingInterval,
    getChainClient(chainId) {
      let client = chainClients.get(chainId)
      if (client) return client
      const chain = viemChains.find((x) => x.id === chainId)
      const rpcUrl = chains.find((x) => x.id === chainId)?.rpcUrl
      if (!chain || !rpcUrl) throw new InvalidParameterError(`Chain ${chainId} is not configured on this client.`)
      client = createClient({
        chain,
        // JSON-RPC batching: every read issued in the same tick, from any widget, shares one HTTP request.
        transport: http(rpcUrl, { batch: true }),
        pollingInterval,
      }) as ChainClient
      chainClients.set(chainId, client)
      return client
    },
    getState: store.getState,
    subscribe: store.subscribe,
    _internal: { store, viemChains, wagmi: undefined, relayConfig: new Map() },
  }
}

function toViemChain(config: ChainConfig): Chain {
  return {
    id: config.id,
    name: config.name ?? `Chain ${config.id}`,
    nativeCurrency: config.nativeCurrency ?? { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
    ...(config.explorerUrl
      ? { blockExplorers: { default: { name: 'Explorer', url: config.explorerUrl.replace(/\/+$/, '') } } }
      : {}),
  }
}

// Kept on globalThis under a registered symbol so two copies of core on one page (two widget bundles) share it.
const DEFAULT_CLIENT = Symbol.for('@tokentags/core/defaultClient')
type DefaultClientHolder = { [DEFAULT_CLIENT]?: TokenTagsClient | undefined }

/** The page's shared client, if one was set. */
export function getDefaultClient(): TokenTagsClient | undefined {
  return (globalThis as DefaultClientHolder)[DEFAULT_CLIENT]
}

/** Sets (or clears, with `undefined`) the page's shared client. */
export function setDefaultClient(client: TokenTagsClient | undefined): void {
  ;(globalThis as DefaultClientHolder)[DEFAULT_CLIENT] = client
}

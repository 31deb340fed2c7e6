import { type CreateConnectorFn, injected } from '@wagmi/core'
import type { Wallet } from '@wallet-standard/base'
import type { EIP1193ProviderDetail, TokenTagsClient } from '../client.js'
import { getWagmiConfig } from '../internal/wagmi.js'
import { createWalletConnectProvider, type WalletConnectProvider } from './provider.js'
import { createSessionController, type SessionController } from './session.js'
import type { SignClientOptions, WalletConnectMetadata } from './signClient.js'
import { createWalletConnectSolanaWallet, toCaip2 } from './solana.js'

/** The wallet id WalletConnect has in core's wallet list (`connect(client, { walletId })`). */
export const WALLETCONNECT_ID = 'walletConnect'

const ICON = `data:image/svg+xml;base64,${btoa(
  "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='8' fill='#3b99fc'/>" +
    "<path d='M9.6 12.2c3.5-3.4 9.3-3.4 12.8 0l.4.4a.4.4 0 0 1 0 .6l-1.5 1.4a.2.2 0 0 1-.3 0l-.6-.6a6.3 6.3 0 0 0-8.8 " +
    '0l-.6.6a.2.2 0 0 1-.3 0l-1.5-1.4a.4.4 0 0 1 0-.6zm15.9 2.9 1.3 1.3a.4.4 0 0 1 0 .6l-6 5.8a.5.5 0 0 1-.6 0l-4.2-4.1' +
    'a.1.1 0 0 0-.2 0l-4.2 4.1a.5.5 0 0 1-.6 0l-6-5.8a.4.4 0 0 1 0-.6l1.3-1.3a.5.5 0 0 1 .6 0l4.2 4.1a.1.1 0 0 0 .2 0' +
    "l4.2-4.1a.5.5 0 0 1 .6 0l4.2 4.1a.1.1 0 0 0 .2 0l4.2-4.1a.5.5 0 0 1 .6 0z' fill='#fff'/></svg>",
)}` as const

export interface WalletConnectOptions {
  /** WalletConnect Cloud project id (`<tokentags-config walletconnect-project-id>`). */
  projectId: string
  /** Relay URL (`walletconnect-relay`); default `wss://relay.walletconnect.org`. */
  relayUrl?: string | undefined
  /** What the wallet shows about the page; default: the page's title and origin. */
  metadata?: WalletConnectMetadata | undefined
  /** Solana clusters to ask for besides the client's EVM chains (`solana:mainnet`, `solana:devnet` or CAIP-2 ids). */
  solanaChains?: readonly string[] | undefined
  /** Storage key prefix of the sign client's state (default `tokentags`; tests running two clients set it). */
  storagePrefix?: string | undefined
}

/** WalletConnect for one TokenTags client: the session, its EIP-1193 provider and its Solana wallet. */
export interface WalletConnect {
  /** Pass to core's `connect` as `walletId` once `addWalletConnect` registered it. */
  readonly id: typeof WALLETCONNECT_ID
  /** EIP-1193 provider of the `eip155` namespace (wagmi and viem use it as they use an injected wallet). */
  readonly provider: WalletConnectProvider
  /** The provider with EIP-6963-style info, for `createTokenTagsClient({ providers })`. */
  readonly detail: EIP1193ProviderDetail
  /** Wallet Standard wallet of the `solana` namespace, for `createSolanaClient({ wallets })`. */
  readonly solanaWallet: Wallet
  /** The open pairing's URI, if a pairing is open. */
  readonly uri: string | undefined
  /** Called with every pairing URI: draw it as a QR code on a desktop, hand it to a wallet app on a phone. */
  onDisplayUri(listener: (uri: string) => void): () => void
  /** Pairs (or reuses the live session) without going through core's `connect`. */
  connect(): Promise<void>
  /**
   * Gives up the open pairing (the visitor closed its QR code or the wait for the phone): the proposal is withdrawn
   * and the pairing deleted at once; connects waiting on it fail with 4001. No-op without an open pairing.
   */
  cancelPairing(): Promise<void>
  /** Ends the session in the wallet too. */
  disconnect(): Promise<void>
  /** @internal */
  readonly _controller: SessionController
}

const perClient = new WeakMap<TokenTagsClient, WalletConnect>()
// A page with Solana widgets only has no EVM client: its WalletConnect asks for the solana namespace alone.
let withoutClient: WalletConnect | undefined

/**
 * WalletConnect for `client` (`undefined` on a page with Solana widgets only: then only the `solana` namespace is
 * asked for), created on first call (later calls return the same object). Nothing connects yet:
 * the sign client starts on the first `connect` (core's `connect` with `walletId: 'walletConnect'` after
 * `addWalletConnect`, or `wc.connect()`), and the page's one sign client is shared by every caller.
 */
export function createWalletConnect(client: TokenTagsClient | undefined, options: WalletConnectOptions): WalletConnect {
  const existing = client ? perClient.get(client) : withoutClient
  if (existing) return existing
  const signClientOptions: SignClientOptions = {
    projectId: options.projectId,
    relayUrl: options.relayUrl,
    metadata: options.metadata ?? pageMetadata(),
    storagePrefix: options.storagePrefix,
  }
  const solanaChains = (options.solanaChains ?? []).map(toCaip2)
  const controller = createSessionController(signClientOptions, {
    evmChains: client?.chains.map((chain) => chain.id) ?? [],
    solanaChains,
  })
  const provider = createWalletConnectProvider(client, controller)
  const wc: WalletConnect = {
    id: WALLETCONNECT_ID,
    provider,
    detail: {
      info: { uuid: 'tokentags-walletconnect', name: 'WalletConnect', icon: ICON, rdns: 'com.walletconnect' },
      provider,
    },
    solanaWallet: createWalletConnectSolanaWallet(controller, ICON, solanaChains),
    get uri() {
      return controller.uri
    },
    onDisplayUri: controller.onDisplayUri,
    connect: async () => {
      await controller.connect()
    },
    cancelPairing: controller.cancel,
    disconnect: controller.disconnect,
    _controller: controller,
  }
  if (client) perClient.set(client, wc)
  else withoutClient = wc
  return wc
}

/**
 * Adds WalletConnect to `client`'s wallet list (id `walletConnect`), so core's `connect`, `claim`, `tip` and `buy`
 * use it like any wallet. Adding twice is a no-op.
 */
export function addWalletConnect(client: TokenTagsClient, wc: WalletConnect): void {
  const config = getWagmiConfig(client)
  if (config.connectors.some((connector) => connector.id === WALLETCONNECT_ID)) return
  const connector = config._internal.connectors.setup(walletConnectConnector(wc))
  config._internal.connectors.setState((connectors) => [...connectors, connector])
}

/**
 * wagmi's `injected` connector over the session's provider. `setup` is a no-op: it would ask the provider for
 * accounts on page load, and only a connect the visitor asked for may open a pairing.
 */
function walletConnectConnector(wc: WalletConnect): CreateConnectorFn {
  const base = injected({
    target: { id: WALLETCONNECT_ID, name: 'WalletConnect', icon: ICON, provider: wc.provider as never },
  })
  return ((config: Parameters<CreateConnectorFn>[0]) => ({
    ...base(config),
    async setup() {},
    async getProvider() {
      return wc.provider
    },
  })) as CreateConnectorFn
}

function pageMetadata(): WalletConnectMetadata {
  const location = (globalThis as { location?: { origin?: string } }).location
  const title = (globalThis as { document?: { title?: string } }).document?.title
  const url = location?.origin && /^https?:/.test(location.origin) ? location.origin : 'https://tokentags.dev'
  return { name: title || new URL(url).host, description: 'Token actions by TokenTags', url, icons: [] }
}

import {
  type Config,
  type Connector,
  type CreateConnectorFn,
  createConfig,
  createStorage,
  getConnection,
  injected,
  noopStorage,
} from '@wagmi/core'
import type { Chain } from 'viem'
import type { Account, EIP1193ProviderDetail, TokenTagsClient, TokenTagsState, WalletInfo } from '../client.js'
import { getInjectedWallets, type InjectedWallet, isInjectedWalletAnnounced } from '../injected.js'

/** The client's wagmi config, created on first use so importing and creating never touch `window`. */
export function getWagmiConfig(client: TokenTagsClient): Config {
  const internal = client._internal
  if (internal.wagmi) return internal.wagmi
  const chains = internal.viemChains as unknown as readonly [Chain, ...Chain[]]
  // Legacy wallets stay registered; the wallet list hides those an EIP-6963 announcement covers (it may come later).
  const legacy = new Map<string, InjectedWallet>()
  const findLegacy = () =>
    client.injectedProviderDiscovery && typeof window !== 'undefined'
      ? getInjectedWallets(window).filter(
          (wallet) => ![...legacy.values()].some((known) => known.provider === wallet.provider),
        )
      : []
  for (const wallet of findLegacy()) legacy.set(wallet.id, wallet)
  const config = createConfig({
    chains,
    connectors: [...client.providers.map(providerConnector), ...[...legacy.values()].map(injectedConnector)],
    multiInjectedProviderDiscovery: client.multiInjectedProviderDiscovery,
    storage: createStorage({ storage: client.storage ?? noopStorage, key: 'tokentags' }),
    client: ({ chain }) => client.getChainClient(chain.id),
  })
  internal.wagmi = config
  const sync = () => {
    internal.store.setState((previous) => {
      const account = readAccount(config)
      const wallets = readWallets(config, client, legacy)
      const next: TokenTagsState = {
        account: sameAccount(account, previous.account) ? previous.account : account,
        wallets: sameWallets(wallets, previous.wallets) ? previous.wallets : wallets,
      }
      return next.account === previous.account && next.wallets === previous.wallets ? previous : next
    })
  }
  config.subscribe((state) => state, sync)
  config._internal.connectors.subscribe(sync)
  if (client.injectedProviderDiscovery && typeof window !== 'undefined') {
    // MetaMask's (and others') signal that a late `window.ethereum` is ready (@metamask/detect-provider).
    window.addEventListener('ethereum#initialized', () => {
      const found = findLegacy().filter((wallet) => !legacy.has(wallet.id))
      if (!found.length) return
      for (const wallet of found) legacy.set(wallet.id, wallet)
      const added = found.map((wallet) => config._internal.connectors.setup(injectedConnector(wallet)))
      config._internal.connectors.setState((connectors) => [...connectors, ...added])
    })
  }
  sync()
  return config
}

/**
 * A legacy provider as wagmi's `injected({ target })`, without an rdns so EIP-6963 connectors are still added.
 * It listens to the provider only once connected through it: the provider is often also announced, and two
 * connectors reacting to its `connect` would both claim the connection.
 */
function injectedConnector(wallet: InjectedWallet): CreateConnectorFn {
  const base = injected({ target: { id: wallet.id, name: wallet.name, provider: wallet.provider as never } })
  return ((config: Parameters<CreateConnectorFn>[0]) => ({
    ...base(config),
    async setup() {},
    async getProvider() {
      return wallet.provider
    },
  })) as CreateConnectorFn
}

/**
 * Wraps a given provider as wagmi's `injected({ target })` connector. `getProvider` is overridden because
 * `injected` looks the provider up only when `window` exists, and given providers also serve Node (tests, SSR).
 */
function providerConnector(detail: EIP1193ProviderDetail): CreateConnectorFn {
  const base = injected({
    target: {
      id: detail.info.rdns,
      name: detail.info.name,
      icon: detail.info.icon,
      provider: detail.provider as never,
    },
  })
  return ((config: Parameters<CreateConnectorFn>[0]) => ({
    ...base(config),
    rdns: detail.info.rdns,
    async getProvider() {
      return detail.provider
    },
  })) as CreateConnectorFn
}

export function readAccount(config: Config): Account {
  const connection = getConnection(config)
  return {
    status: connection.status,
    address: connection.address,
    chainId: connection.status === 'disconnected' ? undefined : connection.chainId,
  }
}

function readWallets(
  config: Config,
  client: TokenTagsClient,
  legacy: ReadonlyMap<string, InjectedWallet>,
): WalletInfo[] {
  const announced = [...client.providers, ...(config._internal.mipd?.getProviders() ?? [])]
  const seen = new Set<string>()
  const wallets: WalletInfo[] = []
  const injectedWallets: WalletInfo[] = []
  for (const connector of config.connectors) {
    if (seen.has(connector.id)) continue
    seen.add(connector.id)
    const wallet = legacy.get(connector.id)
    if (!wallet) wallets.push(toWalletInfo(connector))
    else if (!isInjectedWalletAnnounced(wallet, announced)) injectedWallets.push(toWalletInfo(connector))
  }
  return [...wallets, ...injectedWallets]
}

function toWalletInfo(connector: Connector): WalletInfo {
  const rdns = typeof connector.rdns === 'string' ? connector.rdns : connector.rdns?.[0]
  return { id: connector.id, name: connector.name, icon: connector.icon, rdns }
}

export function findConnector(config: Config, walletId: string): Connector | undefined {
  return config.connectors.find((connector) => connector.id === walletId || connector.uid === walletId)
}

function sameAccount(a: Account, b: Account): boolean {
  return a.status === b.status && a.address === b.address && a.chainId === b.chainId
}

function sameWallets(a: readonly WalletInfo[], b: readonly WalletInfo[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i]
      return y !== undefined && x.id === y.id && x.name === y.name && x.icon === y.icon && x.rdns === y.rdns
    })
  )
}

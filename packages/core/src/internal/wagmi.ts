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

/** The client's wagmi config, created on first use so importing and creating never touch `window`. */
export function getWagmiConfig(client: TokenTagsClient): Config {
  const internal = client._internal
  if (internal.wagmi) return internal.wagmi
  const chains = internal.viemChains as unknown as readonly [Chain, ...Chain[]]
  const config = createConfig({
    chains,
    connectors: client.providers.map(providerConnector),
    multiInjectedProviderDiscovery: client.multiInjectedProviderDiscovery,
    storage: createStorage({ storage: client.storage ?? noopStorage, key: 'tokentags' }),
    client: ({ chain }) => client.getChainClient(chain.id),
  })
  internal.wagmi = config
  const sync = () => {
    internal.store.setState((previous) => {
      const account = readAccount(config)
      const wallets = readWallets(config)
      const next: TokenTagsState = {
        account: sameAccount(account, previous.account) ? previous.account : account,
        wallets: sameWallets(wallets, previous.wallets) ? previous.wallets : wallets,
      }
      return next.account === previous.account && next.wallets === previous.wallets ? previous : next
    })
  }
  config.subscribe((state) => state, sync)
  config._internal.connectors.subscribe(sync)
  sync()
  return config
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

function readWallets(config: Config): WalletInfo[] {
  const seen = new Set<string>()
  const wallets: WalletInfo[] = []
  for (const connector of config.connectors) {
    if (seen.has(connector.id)) continue
    seen.add(connector.id)
    wallets.push(toWalletInfo(connector))
  }
  return wallets
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

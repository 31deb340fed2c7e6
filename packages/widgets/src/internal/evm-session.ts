// The page's EVM session (a small chunk, loaded with core): publishes core's account to every EVM widget
// (`page-session.ts`) with its menu's controls, and remembers the wallet when the page asks (`remember`).

import { getPageConfig } from './config.js'
import type { CoreApi, CoreClient } from './core-loader.js'
import { pageAccount, setPageAccount } from './page-session.js'
import { rememberWallet } from './remember.js'
import { WALLETCONNECT_ID } from './walletconnect-pairing.js'

const trackedClients = new WeakSet<object>()

/**
 * Publishes `client`'s account as the page's EVM session (once per client): the account chip of every EVM widget,
 * its menu's controls, and the remembered wallet (`remember`; never WalletConnect, whose session cannot be
 * restored without a prompt).
 */
export function trackEvmSession(core: CoreApi, client: CoreClient): void {
  if (trackedClients.has(client)) return
  trackedClients.add(client)
  const publish = () => {
    const account = core.getAccount(client)
    if (account.status === 'connected' && account.address) {
      const wallet = core.getConnectedWallet(client)
      if (!wallet) return
      const current = pageAccount('evm')
      if (current?.address === account.address && current.walletId === wallet.id) return
      setPageAccount('evm', {
        network: 'evm',
        address: account.address,
        walletId: wallet.id,
        walletName: wallet.name,
        ...(wallet.icon && { walletIcon: wallet.icon }),
        switchAccount: () => core.switchAccount(client).then(() => undefined),
        disconnect: () => {
          rememberWallet('evm', undefined)
          return core.disconnect(client)
        },
      })
      if (getPageConfig()?.remember && wallet.id !== WALLETCONNECT_ID) rememberWallet('evm', wallet.id)
    } else if (account.status === 'disconnected' && pageAccount('evm')) {
      rememberWallet('evm', undefined)
      setPageAccount('evm', undefined)
    }
  }
  core.watchAccount(client, publish)
  publish()
}

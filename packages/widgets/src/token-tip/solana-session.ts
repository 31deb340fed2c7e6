// The page's Solana session (one per page, as for EVM; a small chunk loaded with the Solana code): publishes the
// Solana client's account to every widget (`page-session.ts`) with its menu's controls, remembers the wallet when the
// page asks, and restores it silently on the next visit. The Solana API is passed in: the classic script loads it
// from its own file.
import { getPageConfig } from '../internal/config.js'
import { pageAccount, setPageAccount } from '../internal/page-session.js'
import { rememberWallet } from '../internal/remember.js'
import { standardWallets } from '../internal/wallet-standard.js'
import type { SolanaApi } from './solana-loader.js'

type SolanaClient = ReturnType<SolanaApi['solanaClientFor']>

const tracked = new WeakSet<object>()

/** Starts publishing `client`'s account as the page's Solana session (once per client). */
export function trackSolanaSession(api: SolanaApi, client: SolanaClient): void {
  if (tracked.has(client)) return
  tracked.add(client)
  const publish = () => {
    const account = api.getSolanaAccount(client)
    if (account.status === 'connected' && account.address && account.walletId) {
      const walletId = account.walletId
      const current = pageAccount('solana')
      if (current?.address === account.address && current.walletId === walletId) return
      const icon = standardWallets().find((wallet) => wallet.name === walletId)?.icon
      setPageAccount('solana', {
        network: 'solana',
        address: account.address,
        walletId,
        walletName: walletId,
        ...(typeof icon === 'string' && { walletIcon: icon }),
        // Wallet Standard has no account picker: connecting again lets the wallet ask which account.
        switchAccount: async () => {
          await api.disconnectSolana(client)
          await api.connectSolana(client, { walletId })
        },
        disconnect: async () => {
          rememberWallet('solana', undefined)
          await api.disconnectSolana(client)
        },
      })
      if (getPageConfig()?.remember) rememberWallet('solana', walletId)
    } else if (account.status === 'disconnected' && pageAccount('solana')) {
      // Disconnected here or in the wallet: the next visit starts from the wallet list.
      rememberWallet('solana', undefined)
      setPageAccount('solana', undefined)
    }
  }
  api.watchSolanaAccount(client, publish)
  publish()
}

/** Reconnects the remembered wallet without a prompt; a wallet that no longer trusts the page stays disconnected. */
export async function restoreSolanaSession(api: SolanaApi, client: SolanaClient, walletId: string): Promise<void> {
  if (api.getSolanaAccount(client).status !== 'disconnected') return
  await api.connectSolana(client, { walletId, silent: true }).catch(() => undefined)
}

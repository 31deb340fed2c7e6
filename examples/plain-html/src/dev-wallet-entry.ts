// Development only. Announces a wallet over EIP-6963 that signs with anvil's well-known dev keys and
// registers a Wallet Standard Solana wallet with keys derived from public test seeds, and shows a
// banner that says so, with a picker for the active EVM dev account.
import { announceDevWallet, createDevWalletProvider } from '@tokentags/testkit/dev-wallet'
import { installSolanaDevWallet } from '@tokentags/testkit/solana-dev-wallet'
import type { Address, Hex } from 'viem'

interface DevWalletConfig {
  rpcUrl: string
  chainId: number
  accounts: { role: string; address: Address; privateKey: Hex }[]
}

const element = document.getElementById('dev-wallet-config')
const config = JSON.parse(element?.textContent ?? 'null') as DevWalletConfig | null
if (config) {
  const provider = createDevWalletProvider({
    rpcUrl: config.rpcUrl,
    chainId: config.chainId,
    privateKeys: config.accounts.map((a) => a.privateKey),
  })
  const requested = new URLSearchParams(location.search).get('account')
  const initial = config.accounts.find(
    (a) => a.address.toLowerCase() === requested?.toLowerCase() || a.role === requested,
  )
  if (initial) provider.selectAccount(initial.address)
  announceDevWallet(provider)
  void installSolanaDevWallet()

  const banner = document.createElement('div')
  banner.className = 'dev-wallet-banner'
  banner.setAttribute('role', 'note')
  const label = document.createElement('label')
  label.textContent = 'Dev wallet (anvil test keys, development only) — account: '
  const select = document.createElement('select')
  select.id = 'dev-wallet-account'
  for (const account of config.accounts) {
    const option = document.createElement('option')
    option.value = account.address
    option.textContent = `${account.role} ${account.address.slice(0, 6)}…${account.address.slice(-4)}`
    if (account === initial) option.selected = true
    select.append(option)
  }
  select.addEventListener('change', () => provider.selectAccount(select.value as Address))
  label.append(select)
  banner.append(label)
  document.body.prepend(banner)
}

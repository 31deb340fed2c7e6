// Development only. Loaded by the relay's embed pages when the relay runs with `embed.devWallet`
// (a dev stack): announces a wallet over EIP-6963 that signs with anvil's public test keys, and
// shows a banner that says so. The config comes from <meta name="tokentags-dev-wallet">: no inline script.
import { announceDevWallet, createDevWalletProvider } from '@tokentags/testkit/dev-wallet'
import type { Address, Hex } from 'viem'

interface DevWalletMeta {
  rpcUrl: string
  chainId: number
  accounts: { role: string; address: Address; privateKey: Hex }[]
  account: string | null
}

const content = document.querySelector('meta[name="tokentags-dev-wallet"]')?.getAttribute('content')
const config = content ? (JSON.parse(content) as DevWalletMeta) : null
if (config && config.accounts.length > 0) {
  const provider = createDevWalletProvider({
    rpcUrl: config.rpcUrl,
    chainId: config.chainId,
    privateKeys: config.accounts.map((a) => a.privateKey),
  })
  const wanted = config.account?.toLowerCase()
  const initial = config.accounts.find((a) => a.address.toLowerCase() === wanted || a.role === wanted)
  if (initial) provider.selectAccount(initial.address)
  announceDevWallet(provider)

  const banner = document.createElement('p')
  banner.className = 'dev-wallet-banner'
  banner.setAttribute('role', 'note')
  const label = document.createElement('label')
  label.textContent = 'Dev wallet (anvil test keys, development only): '
  const select = document.createElement('select')
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
  const attach = () => document.body.prepend(banner)
  if (document.body) attach()
  else document.addEventListener('DOMContentLoaded', attach, { once: true })
}

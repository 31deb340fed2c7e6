// Legacy `window.ethereum` discovery on plain objects standing in for `window` (the wagmi integration runs in a real
// browser: packages/widgets/test/legacy-wallet.test.ts). Providers are real dev wallets with wallets' flags added.
import { ANVIL_DEV_ACCOUNTS } from '@tokentags/testkit'
import { createDevWalletProvider } from '@tokentags/testkit/dev-wallet'
import { describe, expect, it } from 'vitest'
import { getInjectedWallets, isInjectedWalletAnnounced } from '../src/index.js'

const key = (ANVIL_DEV_ACCOUNTS[1] as (typeof ANVIL_DEV_ACCOUNTS)[number]).privateKey
const provider = (flags: Record<string, unknown> = {}) =>
  Object.assign(createDevWalletProvider({ rpcUrl: 'http://127.0.0.1:9', chainId: 31337, privateKeys: [key] }), flags)

describe('getInjectedWallets', () => {
  it('names window.ethereum after its most specific flag', () => {
    const cases: [Record<string, unknown>, string, string | undefined][] = [
      [{ isMetaMask: true }, 'MetaMask', 'io.metamask'],
      // Rabby, Brave, Phantom and Trust also set isMetaMask for old dapps: their own flag wins.
      [{ isMetaMask: true, isRabby: true }, 'Rabby Wallet', 'io.rabby'],
      [{ isMetaMask: true, isBraveWallet: true }, 'Brave Wallet', 'com.brave.wallet'],
      [{ isMetaMask: true, isPhantom: true }, 'Phantom', 'app.phantom'],
      [{ isCoinbaseWallet: true }, 'Coinbase Wallet', 'com.coinbase.wallet'],
      [{ isMetaMask: true, isTrust: true }, 'Trust Wallet', 'com.trustwallet.app'],
      [{ isTrustWallet: true }, 'Trust Wallet', 'com.trustwallet.app'],
      [{ isRainbow: true }, 'Rainbow', 'me.rainbow'],
      [{}, 'Browser wallet', undefined],
      [{ isMetaMask: 'yes' }, 'Browser wallet', undefined],
    ]
    for (const [flags, name, rdns] of cases) {
      const ethereum = provider(flags)
      expect(getInjectedWallets({ ethereum }), JSON.stringify(flags)).toEqual([
        { id: rdns ? `injected:${rdns}` : 'injected', name, rdns, provider: ethereum },
      ])
    }
  })

  it('lists each of ethereum.providers once, window.ethereum included', () => {
    const metaMask = provider({ isMetaMask: true })
    const coinbase = provider({ isCoinbaseWallet: true })
    const ethereum = Object.assign(metaMask, { providers: [coinbase, metaMask, 'not a provider'] })
    const wallets = getInjectedWallets({ ethereum })
    expect(wallets.map((w) => [w.id, w.name])).toEqual([
      ['injected:com.coinbase.wallet', 'Coinbase Wallet'],
      ['injected:io.metamask', 'MetaMask'],
    ])
    expect(wallets[0]?.provider).toBe(coinbase)
  })

  it('gives two unknown wallets distinct ids', () => {
    const ethereum = Object.assign(provider(), { providers: [provider(), provider()] })
    expect(getInjectedWallets({ ethereum }).map((w) => w.id)).toEqual(['injected', 'injected#2', 'injected#3'])
  })

  it('finds nothing without an EIP-1193 provider, or when window.ethereum throws', () => {
    expect(getInjectedWallets({})).toEqual([])
    expect(getInjectedWallets({ ethereum: { isMetaMask: true } })).toEqual([])
    expect(getInjectedWallets(undefined)).toEqual([])
    const fighting = Object.defineProperty({}, 'ethereum', {
      get() {
        throw new TypeError('two wallets own window.ethereum')
      },
    })
    expect(getInjectedWallets(fighting)).toEqual([])
  })
})

describe('isInjectedWalletAnnounced', () => {
  const metaMask = provider({ isMetaMask: true })
  const other = provider()
  const only = (ethereum: unknown) => {
    const [found] = getInjectedWallets({ ethereum })
    if (!found) throw new TypeError('no wallet found')
    return found
  }
  const wallet = only(metaMask)

  it('is covered by the same provider object under any rdns', () => {
    expect(isInjectedWalletAnnounced(wallet, [{ info: { rdns: 'com.example' }, provider: metaMask }])).toBe(true)
  })

  it('is covered by an announcement of the same family (another object)', () => {
    expect(isInjectedWalletAnnounced(wallet, [{ info: { rdns: 'io.metamask' }, provider: other }])).toBe(true)
  })

  it('is not covered by other wallets; an unknown family is covered only by its own object', () => {
    expect(isInjectedWalletAnnounced(wallet, [{ info: { rdns: 'io.rabby' }, provider: other }])).toBe(false)
    const unknown = only(other)
    expect(isInjectedWalletAnnounced(unknown, [{ info: { rdns: 'io.metamask' }, provider: metaMask }])).toBe(false)
    expect(isInjectedWalletAnnounced(unknown, [{ info: { rdns: 'x.y' }, provider: other }])).toBe(true)
  })
})

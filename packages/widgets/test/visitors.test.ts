// Every visitor can act (no chain needed): the first state right at the upgrade, legacy `window.ethereum` wallets
// offered only when no EIP-6963 announcement covers them, and, on an emulated phone without a wallet, links that
// reopen the page in wallet apps' browsers. The chain side (connect, claim, tip) is test/visitors.chain.test.ts.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { announceDevWallet, createDevWalletProvider, DEV_WALLET_INFO } from '@tokentags/testkit/dev-wallet'
import { executeServerCommand } from '@web/test-runner-commands'
import '../src/define.js'
import { configureTokenTags, type TokenBuy, type TokenClaim, type TokenTip } from '../src/index.js'
import { isPhone, walletLinks } from '../src/internal/deep-links.js'
import { SAMPLE_SALE, SAMPLE_VAULT } from '../src/testing/index.js'

// Nothing is ever sent to this RPC: the widgets stop before any read.
const RPC = 'http://127.0.0.1:9'
const CREATOR = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const SOL_CREATOR = 'sol:9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin'

type Widget = TokenClaim | TokenTip | TokenBuy
const until = (el: Widget, status: string) =>
  waitUntil(() => el.state.status === status, `expected ${status}, still ${JSON.stringify(el.state)}`, {
    timeout: 5000,
  })
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: Element) => el.shadowRoot as ShadowRoot
const walletButtons = (el: Element) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('[part~="wallet-list"] button')].map(text)
const deepLinks = (el: Element) => [...root(el).querySelectorAll<HTMLAnchorElement>('a[part~="deep-link"]')]

const devProvider = (flags: Record<string, unknown> = {}) =>
  Object.assign(
    createDevWalletProvider({
      rpcUrl: RPC,
      chainId: 31337,
      // anvil's public dev key #1: nothing is signed in this file.
      privateKeys: ['0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'],
    }),
    flags,
  )

function setEthereum(value: unknown): void {
  Object.defineProperty(window, 'ethereum', { value, configurable: true, writable: true })
}

function claim(): Promise<TokenClaim> {
  configureTokenTags({ chains: [{ id: 31337, rpcUrl: RPC }] })
  return fixture<TokenClaim>(html`<token-claim vault=${SAMPLE_VAULT} chain="31337"></token-claim>`)
}

afterEach(async () => {
  delete (window as { ethereum?: unknown }).ethereum
  await executeServerCommand('tokentags-phone', false)
})

describe('first paint', () => {
  it('draws no-wallet at the first render, with no grace period to wait out', async () => {
    const el = await claim()
    // `fixture` resolves after the first update: the visitor sees the options at once, not "Loading…".
    expect(el.state.status).to.equal('no-wallet')
    expect(text(root(el).querySelector('[role="status"]'))).to.equal('No wallet found.')
  })

  it('draws the Solana tip no-wallet at the first render too', async () => {
    configureTokenTags({
      chains: [{ id: 31337, rpcUrl: RPC }],
      relayUrl: 'http://127.0.0.1:9',
      solanaRpcUrl: RPC,
    })
    const el = await fixture<TokenTip>(html`<token-tip to=${SOL_CREATOR} amounts="1"></token-tip>`)
    expect(el.state.status).to.equal('no-wallet')
  })
})

describe('legacy window.ethereum', () => {
  it('offers a window.ethereum that announces nothing, named after its flags', async () => {
    setEthereum(devProvider({ isMetaMask: true, isTrust: true }))
    const el = await claim()
    expect(el.state.status).to.equal('choose-wallet')
    expect(walletButtons(el)).to.deep.equal(['Trust Wallet'])
    await expect(el).to.be.accessible()
  })

  it('picks up a window.ethereum injected after the widget, on ethereum#initialized', async () => {
    const el = await claim()
    expect(el.state.status).to.equal('no-wallet')
    setEthereum(devProvider({ isRainbow: true }))
    window.dispatchEvent(new Event('ethereum#initialized'))
    await until(el, 'choose-wallet')
    expect(walletButtons(el)).to.deep.equal(['Rainbow'])
  })

  it('offers each of window.ethereum.providers; an unknown one as "Browser wallet" in the page language', async () => {
    const coinbase = devProvider({ isCoinbaseWallet: true })
    setEthereum(Object.assign(devProvider(), { providers: [coinbase] }))
    configureTokenTags({ chains: [{ id: 31337, rpcUrl: RPC }] })
    const el = await fixture<TokenClaim>(
      html`<token-claim locale="es" vault=${SAMPLE_VAULT} chain="31337"></token-claim>`,
    )
    await until(el, 'choose-wallet')
    await el.updateComplete
    expect(walletButtons(el)).to.deep.equal(['Coinbase Wallet', 'Billetera del navegador'])
  })
})

describe('on a phone without a wallet', () => {
  it('offers links that reopen this page in EVM wallet apps, each a plain link the tap follows', async () => {
    await executeServerCommand('tokentags-phone', true)
    const el = await claim()
    expect(el.state.status).to.equal('no-wallet')
    const page = location.href
    const links = deepLinks(el)
    expect(links.map(text)).to.deep.equal([
      'Open in MetaMask',
      'Open in Coinbase Wallet',
      'Open in Trust Wallet',
      'Open in Rainbow',
    ])
    const hrefs = links.map((a) => a.getAttribute('href'))
    const url = new URL(page)
    expect(hrefs).to.deep.equal([
      `https://metamask.app.link/dapp/${url.host}${url.pathname}${url.search}`,
      `https://go.cb-w.com/dapp?cb_url=${encodeURIComponent(page)}`,
      `https://link.trustwallet.com/open_url?coin_id=60&url=${encodeURIComponent(page)}`,
      `https://rnbwapp.com/dapp?url=${encodeURIComponent(page)}`,
    ])
    // No "Check again": a phone browser without a wallet will not grow one. "Check an address" stays: it needs none.
    expect([...root(el).querySelectorAll('button')].map((b) => b.getAttribute('part'))).to.deep.equal(['lookup-open'])
    await expect(el).to.be.accessible()
    await expectNavigatesOnTap(links)
  })

  it('offers Solana wallet apps for a Solana tip', async () => {
    await executeServerCommand('tokentags-phone', true)
    configureTokenTags({
      chains: [{ id: 31337, rpcUrl: RPC }],
      relayUrl: 'http://127.0.0.1:9',
      solanaRpcUrl: RPC,
    })
    const el = await fixture<TokenTip>(html`<token-tip to=${SOL_CREATOR} amounts="1"></token-tip>`)
    expect(el.state.status).to.equal('no-wallet')
    await el.updateComplete
    const page = encodeURIComponent(location.href)
    const origin = encodeURIComponent(location.origin)
    expect(deepLinks(el).map((a) => [text(a), a.getAttribute('href')])).to.deep.equal([
      ['Open in Phantom', `https://phantom.app/ul/browse/${page}?ref=${origin}`],
      ['Open in Solflare', `https://solflare.com/ul/v1/browse/${page}?ref=${origin}`],
      ['Open in Backpack', `https://backpack.app/ul/v1/browse/${page}?ref=${origin}`],
    ])
    await expectNavigatesOnTap(deepLinks(el))
  })

  it('offers EVM wallet apps for an EVM tip, in the widget language', async () => {
    await executeServerCommand('tokentags-phone', true)
    configureTokenTags({ chains: [{ id: 31337, rpcUrl: RPC }] })
    const el = await fixture<TokenTip>(
      html`<token-tip locale="de" to=${CREATOR} amounts="1" chain="31337"></token-tip>`,
    )
    await waitUntil(() => deepLinks(el).length > 0, 'no deep links')
    expect(deepLinks(el).map(text)).to.deep.equal([
      'In MetaMask öffnen',
      'In Coinbase Wallet öffnen',
      'In Trust Wallet öffnen',
      'In Rainbow öffnen',
    ])
    expect(text(root(el).querySelector('[part~="note"]'))).to.equal('Öffne diese Seite in deiner Wallet-App:')
  })

  it('offers EVM wallet apps for a sale too', async () => {
    await executeServerCommand('tokentags-phone', true)
    configureTokenTags({ chains: [{ id: 31337, rpcUrl: RPC }] })
    const el = await fixture<TokenBuy>(html`<token-buy sale=${SAMPLE_SALE} chain="31337"></token-buy>`)
    expect(el.state.status).to.equal('no-wallet')
    expect(deepLinks(el).map(text)).to.deep.equal([
      'Open in MetaMask',
      'Open in Coinbase Wallet',
      'Open in Trust Wallet',
      'Open in Rainbow',
    ])
  })

  it('connects directly inside a wallet browser: the injected wallet, no links', async () => {
    await executeServerCommand('tokentags-phone', true)
    setEthereum(devProvider({ isCoinbaseWallet: true }))
    const el = await claim()
    expect(el.state.status).to.equal('choose-wallet')
    expect(walletButtons(el)).to.deep.equal(['Coinbase Wallet'])
    expect(deepLinks(el)).to.have.length(0)
  })

  it('shows no links on a desktop browser', async () => {
    const el = await claim()
    expect(el.state.status).to.equal('no-wallet')
    expect(deepLinks(el)).to.have.length(0)
    expect(text(root(el).querySelector('button'))).to.equal('Check again')
  })
})

describe('isPhone and walletLinks', () => {
  const IPHONE =
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1'
  const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36'
  const IPAD_DESKTOP =
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15'
  const WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36'

  it('tells phones and tablets from desktops, touch screens included', () => {
    expect(isPhone({ userAgent: IPHONE, maxTouchPoints: 5 })).to.equal(true)
    expect(isPhone({ userAgent: ANDROID, maxTouchPoints: 5 })).to.equal(true)
    expect(isPhone({ userAgent: WINDOWS, maxTouchPoints: 0, userAgentData: { mobile: true } })).to.equal(true)
    // iPadOS asks for desktop pages with a Mac user agent; only the touch screen gives it away.
    expect(isPhone({ userAgent: IPAD_DESKTOP, maxTouchPoints: 5 })).to.equal(true)
    expect(isPhone({ userAgent: IPAD_DESKTOP, maxTouchPoints: 0 })).to.equal(false)
    expect(isPhone({ userAgent: WINDOWS, maxTouchPoints: 10, userAgentData: { mobile: false } })).to.equal(false)
    // A desktop browser's device toolbar with a phone user agent but no touch: not a phone.
    expect(isPhone({ userAgent: IPHONE, maxTouchPoints: 0 })).to.equal(false)
    expect(isPhone(undefined)).to.equal(false)
  })

  it('carries the full page URL, query and fragment included, and only for web pages', () => {
    const page = 'https://shop.example/tips/alice?ref=x&y=1#tip'
    const [metaMask, coinbase] = walletLinks('evm', page)
    expect(metaMask?.href).to.equal('https://metamask.app.link/dapp/shop.example/tips/alice?ref=x&y=1#tip')
    expect(coinbase?.href).to.equal(`https://go.cb-w.com/dapp?cb_url=${encodeURIComponent(page)}`)
    expect(walletLinks('solana', page)[0]?.href).to.equal(
      `https://phantom.app/ul/browse/${encodeURIComponent(page)}?ref=${encodeURIComponent('https://shop.example')}`,
    )
    expect(walletLinks('evm', 'file:///home/me/page.html')).to.deep.equal([])
    expect(walletLinks('evm', 'not a url')).to.deep.equal([])
  })
})

describe('legacy Solana providers', () => {
  const solanaConfig = () =>
    configureTokenTags({ chains: [{ id: 31337, rpcUrl: RPC }], relayUrl: 'http://127.0.0.1:9', solanaRpcUrl: RPC })
  // Enough of an injected provider to be listed; nothing connects in this file.
  const injected = (flags: Record<string, unknown> = {}) => ({
    ...flags,
    publicKey: null,
    connect: async () => ({}),
    signTransaction: async () => ({ serialize: () => new Uint8Array() }),
  })
  afterEach(() => {
    for (const key of ['solana', 'solflare', 'phantom']) delete (window as unknown as Record<string, unknown>)[key]
  })

  it('lists window.solflare and an unnamed window.solana ("Browser wallet" in the page language)', async () => {
    Object.assign(window, { solflare: injected({ isSolflare: true }), solana: injected() })
    solanaConfig()
    const el = await fixture<TokenTip>(html`<token-tip locale="fr" to=${SOL_CREATOR} amounts="1"></token-tip>`)
    await until(el, 'choose-wallet')
    await el.updateComplete
    expect(walletButtons(el)).to.deep.equal(['Solflare', 'Portefeuille du navigateur'])
  })

  it('leaves out a legacy provider whose wallet registered through Wallet Standard under the same name', async () => {
    Object.assign(window, { phantom: { solana: injected({ isPhantom: true }) } })
    let unregister = () => {}
    const standard = {
      version: '1.0.0',
      name: 'Phantom',
      icon: 'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg"/%3E',
      chains: ['solana:mainnet'],
      accounts: [],
      features: { 'standard:connect': {}, 'solana:signTransaction': {} },
    }
    const event = new Event('wallet-standard:register-wallet')
    Object.defineProperty(event, 'detail', {
      value: ({ register }: { register(wallet: unknown): () => void }) => {
        unregister = register(standard)
      },
    })
    window.dispatchEvent(event)
    try {
      solanaConfig()
      const el = await fixture<TokenTip>(html`<token-tip to=${SOL_CREATOR} amounts="1"></token-tip>`)
      await until(el, 'choose-wallet')
      expect(walletButtons(el)).to.deep.equal(['Phantom'])
      expect(el.state.status === 'choose-wallet' && el.state.wallets.length).to.equal(1)
    } finally {
      unregister()
    }
  })
})

// Last: announcements cannot be taken back (EIP-6963 has no farewell), so later tests would see these wallets.
describe('legacy window.ethereum beside EIP-6963 announcements', () => {
  it('is not offered twice when its provider is also announced over EIP-6963', async () => {
    const provider = devProvider({ isMetaMask: true })
    const stop = announceDevWallet(provider)
    try {
      setEthereum(provider)
      const el = await claim()
      await until(el, 'choose-wallet')
      expect(walletButtons(el)).to.deep.equal([DEV_WALLET_INFO.name])
    } finally {
      stop()
    }
  })

  it('is not offered when an announcement of its family (same rdns) covers it', async () => {
    const stop = announceDevWallet(devProvider(), {
      ...DEV_WALLET_INFO,
      uuid: '0b8f3c1e-52a4-4e0e-8a55-6f7d1f3a9b10',
      name: 'MetaMask (announced)',
      rdns: 'io.metamask',
    })
    try {
      // Another object with MetaMask's flag: the announcement speaks for it.
      setEthereum(devProvider({ isMetaMask: true }))
      const el = await claim()
      await until(el, 'choose-wallet')
      expect(walletButtons(el)).to.include('MetaMask (announced)')
      expect(walletButtons(el)).to.not.include('MetaMask')
    } finally {
      stop()
    }
  })
})

/**
 * Taps each link and checks that the tap itself would navigate: the event reaches the window with nothing
 * cancelling it (no handler that awaits and navigates later, which iOS would block), its target an `<a href>`.
 * The window's listener then cancels it so the test page stays.
 */
async function expectNavigatesOnTap(links: HTMLAnchorElement[]): Promise<void> {
  expect(links.length).to.be.greaterThan(0)
  for (const link of links) {
    let seen: { prevented: boolean; href: string | null } | undefined
    const listener = (event: Event) => {
      const target = event.composedPath()[0] as HTMLElement
      seen = { prevented: event.defaultPrevented, href: target.closest('a')?.getAttribute('href') ?? null }
      event.preventDefault()
    }
    window.addEventListener('click', listener)
    try {
      link.click()
    } finally {
      window.removeEventListener('click', listener)
    }
    expect(seen, 'the tap reached the page').to.deep.equal({ prevented: false, href: link.getAttribute('href') })
    expect(link.target).to.equal('')
  }
}

// One Solana session per page (issue 15, items 5, 6, 10) against LiteSVM and the relay of solana-plugin.mjs: two
// Solana tips share one connection (one wallet prompt), the account chip's menu (keyboard, switch account,
// disconnect) acts on every widget, `remember` reconnects a reloaded page without a prompt (an iframe reloaded), and
// SPL symbols come from the page's `spl-symbols`.
import { expect, waitUntil } from '@open-wc/testing'
import {
  createSolanaDevWallet,
  registerSolanaDevWallet,
  type SolanaDevWallet,
} from '@tokentags/testkit/solana-dev-wallet'
import { executeServerCommand, sendKeys } from '@web/test-runner-commands'
import '../src/token-tip/define.js'
import type { TokenSuccessEvent } from '../src/events.js'
import { configureTokenTags, type TokenTagsPageConfig } from '../src/internal/config.js'
import { REMEMBER_KEY } from '../src/internal/page-session.js'
import type { TokenTip } from '../src/token-tip/token-tip.js'
import type { RememberPageOptions } from './fixtures/remember-page.js'

type RememberPage = { log: { count: number; silent: number }; address: string }

interface SolanaSetup {
  rpcUrl: string
  relayUrl: string
  siteKey: string
  creator: string
  mint: string
}

type ConnectInput = { silent?: boolean } | undefined
type Connect = (input?: ConnectInput) => Promise<{ accounts: readonly { address: string }[] }>

let ledger: SolanaSetup
let wallet: SolanaDevWallet
/** The wallet's prompts (`connect` without `silent`); the account the visitor picks in the next prompt, if set. */
const prompts = { count: 0, pick: undefined as string | undefined }

const big = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)
const until = (el: TokenTip, status: string, timeout = 20_000) =>
  waitUntil(() => el.state.status === status, `expected ${status}, still ${JSON.stringify(el.state, big)}`, {
    timeout,
    interval: 50,
  })
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: Element) => el.shadowRoot as ShadowRoot
const button = (el: Element, label: RegExp) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('button')].find((b) => label.test(text(b)))
const chip = (el: Element) => root(el).querySelector<HTMLButtonElement>('[part~="account-button"]')
const menuItem = (el: Element, label: RegExp) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('[role="menuitem"]')].find((b) => label.test(text(b)))
const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`
const balance = async (owner: string) =>
  BigInt((await executeServerCommand('tokentags-solana-balance', { owner })) as string)

function pageConfig(extra: Partial<TokenTagsPageConfig> = {}): TokenTagsPageConfig {
  return { chains: [], relayUrl: ledger.relayUrl, siteKey: ledger.siteKey, solanaRpcUrl: ledger.rpcUrl, ...extra }
}

/** Counts the wallet's prompts; a prompt may pick another held account, as the visitor would in the wallet. */
function countPrompts(target: SolanaDevWallet, log: { count: number; pick?: string | undefined }): void {
  const feature = target.features['standard:connect'] as { connect: Connect }
  const original = feature.connect
  feature.connect = async (input) => {
    if (input?.silent) return original(input)
    log.count++
    const answer = await original(input)
    if (!log.pick) return answer
    target.dev.selectAccount(log.pick)
    log.pick = undefined
    return { accounts: target.accounts }
  }
}

before(async function () {
  this.timeout(120_000)
  ledger = (await executeServerCommand('tokentags-solana')) as SolanaSetup
  wallet = await createSolanaDevWallet({ seeds: ['visitor', 'visitor2'] })
  countPrompts(wallet, prompts)
  registerSolanaDevWallet(wallet)
  configureTokenTags(pageConfig())
})

after(() => localStorage.removeItem(REMEMBER_KEY))

describe('one Solana session per page', function () {
  this.timeout(90_000)
  let sol: TokenTip
  let spl: TokenTip
  // The same two widgets through every test of this block (fixture() would remove them after each test).
  const box = document.createElement('div')
  after(() => box.remove())

  it('connects every Solana widget from one pick: one wallet prompt', async () => {
    sol = document.createElement('token-tip')
    sol.setAttribute('to', `sol:${ledger.creator}`)
    sol.setAttribute('amounts', '0.1')
    spl = document.createElement('token-tip')
    spl.setAttribute('to', `sol:${ledger.creator}`)
    spl.setAttribute('token', `sol:${ledger.mint}`)
    spl.setAttribute('amounts', '2.5')
    box.append(sol, spl)
    document.body.append(box)
    await until(sol, 'choose-wallet')
    await until(spl, 'choose-wallet')
    expect(chip(sol), 'no account chip before a connection').to.equal(null)
    button(sol, /TokenTags Dev Solana Wallet/)?.click()
    await until(sol, 'ready')
    await until(spl, 'ready')
    expect(prompts.count).to.equal(1)
    const [first] = wallet.dev.addresses as readonly string[] as [string]
    for (const el of [sol, spl]) {
      // The chip's code is a chunk of its own, loaded with the session.
      await waitUntil(() => chip(el), 'no account chip', { timeout: 10_000 })
      expect(text(chip(el))).to.equal(short(first))
      expect(chip(el)?.getAttribute('aria-label')).to.equal(
        `Account ${short(first)} in TokenTags Dev Solana Wallet (dev only)`,
      )
      expect(chip(el)?.querySelector('img')?.getAttribute('src')).to.match(/^data:image\/svg\+xml/)
      await expect(el).to.be.accessible()
    }
  })

  it('opens the account menu from the keyboard; Escape closes it and focus returns', async () => {
    const account = chip(sol) as HTMLButtonElement
    expect(account.getAttribute('aria-haspopup')).to.equal('menu')
    expect(account.getAttribute('aria-expanded')).to.equal('false')
    account.focus()
    await sendKeys({ press: 'ArrowDown' })
    await sol.updateComplete
    expect(account.getAttribute('aria-expanded')).to.equal('true')
    const menu = root(sol).querySelector('[role="menu"]')
    expect(account.getAttribute('aria-controls')).to.equal(menu?.id)
    expect(root(sol).activeElement).to.equal(menuItem(sol, /^Switch account$/))
    await sendKeys({ press: 'ArrowDown' })
    expect(root(sol).activeElement).to.equal(menuItem(sol, /^Disconnect$/))
    await sendKeys({ press: 'ArrowDown' })
    expect(root(sol).activeElement, 'the focus wraps around').to.equal(menuItem(sol, /^Switch account$/))
    await expect(sol).to.be.accessible()
    await sendKeys({ press: 'Escape' })
    await sol.updateComplete
    expect(root(sol).querySelector('[role="menu"]')).to.equal(null)
    expect(account.getAttribute('aria-expanded')).to.equal('false')
    expect(root(sol).activeElement).to.equal(account)
  })

  it('switches the account of every widget; the next tip comes from the new account', async () => {
    const [first, second] = wallet.dev.addresses as readonly string[] as [string, string]
    prompts.pick = second
    chip(spl)?.click()
    await spl.updateComplete
    menuItem(spl, /^Switch account$/)?.click()
    for (const el of [sol, spl]) {
      await until(el, 'ready')
      await waitUntil(() => text(chip(el)) === short(second), `still ${text(chip(el))}`, { timeout: 10_000 })
    }
    const [firstBefore, secondBefore] = [await balance(first), await balance(second)]
    button(sol, /^0\.1 SOL$/)?.click()
    await sol.updateComplete
    const success = new Promise<TokenSuccessEvent>((resolve) =>
      sol.addEventListener('token-success', resolve, { once: true }),
    )
    button(sol, /^Tip /)?.click()
    await until(sol, 'success', 40_000)
    await success
    expect(await balance(second)).to.equal(secondBefore - 100_000_000n)
    expect(await balance(first)).to.equal(firstBefore)
  })

  it('shows an account picked inside the wallet on every widget', async () => {
    const [first] = wallet.dev.addresses as readonly string[] as [string]
    wallet.dev.selectAccount(first)
    for (const el of [sol, spl])
      await waitUntil(() => text(chip(el)) === short(first), `still ${text(chip(el))}`, { timeout: 10_000 })
    expect(prompts.count, 'no prompt for it').to.equal(2)
  })

  it('disconnects every widget from one menu, and the wallet too', async () => {
    sol.shadowRoot?.querySelector<HTMLButtonElement>('[part~="action"]')?.click()
    await until(sol, 'ready')
    chip(sol)?.click()
    await sol.updateComplete
    menuItem(sol, /^Disconnect$/)?.click()
    await until(sol, 'choose-wallet')
    await until(spl, 'choose-wallet')
    for (const el of [sol, spl]) {
      await el.updateComplete
      expect(chip(el)).to.equal(null)
    }
    expect(wallet.accounts.length, 'the wallet was told').to.equal(0)
    await expect(spl).to.be.accessible()
  })

  it('names an SPL token by the page’s spl-symbols', async () => {
    configureTokenTags(pageConfig({ splSymbols: { [ledger.mint]: 'DEVT' } }))
    await until(spl, 'choose-wallet')
    button(spl, /TokenTags Dev Solana Wallet/)?.click()
    await until(spl, 'ready')
    await spl.updateComplete
    expect(text(root(spl))).to.match(/2\.5 DEVT/)
    expect(text(root(spl))).to.match(/Other amount \(DEVT\)/)
    expect(text(button(spl, /^Tip /))).to.equal('Tip DEVT')
  })

  it('names an SPL token by its on-chain metadata (Metaplex) when the page names none', async () => {
    const mint = (await executeServerCommand('tokentags-solana-token-metadata', {
      seed: 'page-session-mint',
      symbol: 'TIPZ',
    })) as string
    const el = document.createElement('token-tip')
    el.setAttribute('to', `sol:${ledger.creator}`)
    el.setAttribute('token', `sol:${mint}`)
    el.setAttribute('amounts', '1')
    box.append(el)
    // The page's session is connected: straight to the offer.
    await until(el, 'ready')
    await el.updateComplete
    expect(text(root(el))).to.match(/Other amount \(TIPZ\)/)
    expect(text(button(el, /^Tip /))).to.equal('Tip TIPZ')
    await expect(el).to.be.accessible()
  })
})

/** The fixture page in an iframe (a fresh page each load): `trusted` makes the wallet answer a silent connect. */
async function openPage(frame: HTMLIFrameElement, options: { remember: boolean; trusted: boolean }) {
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }))
  frame.src = new URL('./fixtures/remember.html', import.meta.url).href
  await loaded
  const win = frame.contentWindow as Window & { start?: (options: RememberPageOptions) => Promise<RememberPage> }
  await waitUntil(() => win.start, 'the fixture page never ran', { timeout: 20_000 })
  const page = await (win.start as NonNullable<typeof win.start>)({
    network: 'solana',
    relayUrl: ledger.relayUrl,
    siteKey: ledger.siteKey,
    rpcUrl: ledger.rpcUrl,
    to: ledger.creator,
    ...options,
  })
  const el = win.document.querySelector('token-tip') as TokenTip
  return { page, el }
}

describe('remember on <tokentags-config>', function () {
  this.timeout(90_000)
  let frame: HTMLIFrameElement

  beforeEach(() => {
    localStorage.removeItem(REMEMBER_KEY)
    frame = document.createElement('iframe')
    document.body.append(frame)
  })
  afterEach(() => frame.remove())

  it('stores only the wallet and network, and reconnects the reloaded page without a prompt', async () => {
    const first = await openPage(frame, { remember: true, trusted: false })
    await until(first.el, 'choose-wallet')
    button(first.el, /TokenTags Dev Solana Wallet/)?.click()
    await until(first.el, 'ready')
    expect(first.page.log.count).to.equal(1)
    const stored = localStorage.getItem(REMEMBER_KEY)
    expect(JSON.parse(stored ?? 'null')).to.deep.equal({ solana: 'TokenTags Dev Solana Wallet (dev only)' })
    expect(stored).to.not.include(first.page.address)

    // The wallet remembers its approval of the page, as real wallets do.
    const again = await openPage(frame, { remember: true, trusted: true })
    await until(again.el, 'ready')
    expect(again.page.log.count, 'no prompt').to.equal(0)
    expect(again.page.log.silent).to.equal(1)
    await waitUntil(() => chip(again.el), 'no account chip', { timeout: 10_000 })
    expect(text(chip(again.el))).to.equal(short(again.page.address))

    // Disconnecting forgets the wallet.
    chip(again.el)?.click()
    await again.el.updateComplete
    menuItem(again.el, /^Disconnect$/)?.click()
    await until(again.el, 'choose-wallet')
    expect(localStorage.getItem(REMEMBER_KEY)).to.equal(null)
  })

  it('without remember, stores nothing and never reconnects by itself', async () => {
    const first = await openPage(frame, { remember: false, trusted: false })
    await until(first.el, 'choose-wallet')
    button(first.el, /TokenTags Dev Solana Wallet/)?.click()
    await until(first.el, 'ready')
    expect(localStorage.getItem(REMEMBER_KEY)).to.equal(null)

    // Even with a wallet left in storage by an earlier visit when the site remembered.
    localStorage.setItem(REMEMBER_KEY, JSON.stringify({ solana: 'TokenTags Dev Solana Wallet (dev only)' }))
    const again = await openPage(frame, { remember: false, trusted: true })
    await until(again.el, 'choose-wallet')
    // Time for a reconnect that must not happen (loading the Solana code and asking the wallet take far less).
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(again.el.state.status).to.equal('choose-wallet')
    expect(again.page.log.silent).to.equal(0)
    expect(again.page.log.count).to.equal(0)
  })
})

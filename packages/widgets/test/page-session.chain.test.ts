// One EVM session per page (issue 15, item 6) on anvil (chain-plugin.mjs) with the dev wallet over EIP-6963: the
// account chip of every widget, "Switch account" through the wallet's own picker (EIP-2255 wallet_requestPermissions)
// updating every widget, "Disconnect" disconnecting them all (and telling the wallet), and `remember` restoring the
// wallet of a reloaded page with eth_accounts only (an iframe reloaded).
import { expect, waitUntil } from '@open-wc/testing'
import { announceDevWallet, createDevWalletProvider, type DevWalletProvider } from '@tokentags/testkit/dev-wallet'
import { executeServerCommand } from '@web/test-runner-commands'
import '../src/token-claim/define.js'
import '../src/token-tip/define.js'
import { configureTokenTags } from '../src/internal/config.js'
import { REMEMBER_KEY } from '../src/internal/page-session.js'
import type { TokenClaim } from '../src/token-claim/token-claim.js'
import type { TokenTip } from '../src/token-tip/token-tip.js'
import type { RememberPageOptions } from './fixtures/remember-page.js'

interface ChainSetup {
  rpcUrl: string
  relayUrl: string
  siteKey: string
  chainId: number
  vestingVault: `0x${string}`
  accounts: { kind: string; address: `0x${string}`; privateKey: `0x${string}` }[]
}

type Widget = TokenTip | TokenClaim
type RememberPage = { log: { count: number; silent: number }; address: string }

const CREATOR = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
let chain: ChainSetup
let provider: DevWalletProvider
/** The wallet's prompts (eth_requestAccounts, wallet_requestPermissions); the account the visitor picks in the next. */
const prompts = { count: 0, pick: undefined as `0x${string}` | undefined }

const big = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)
const until = (el: Widget, status: string | RegExp, timeout = 20_000) =>
  waitUntil(
    () => (typeof status === 'string' ? el.state.status === status : status.test(el.state.status)),
    `expected ${status}, still ${JSON.stringify(el.state, big)}`,
    { timeout, interval: 50 },
  )
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: Element) => el.shadowRoot as ShadowRoot
const button = (el: Element, label: RegExp) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('button')].find((b) => label.test(text(b)))
const chip = (el: Element) => root(el).querySelector<HTMLButtonElement>('[part~="account-button"]')
const menuItem = (el: Element, label: RegExp) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('[role="menuitem"]')].find((b) => label.test(text(b)))
const short = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`
/** Any state past the wallet (the claim card's states differ with the account's schedules). */
const CONNECTED = /^(ready|nothing-to-claim|no-schedule|fully-claimed|claimable|nothing)/

before(async function () {
  this.timeout(120_000)
  chain = (await executeServerCommand('tokentags-chain')) as ChainSetup
  provider = createDevWalletProvider({
    rpcUrl: chain.rpcUrl,
    chainId: chain.chainId,
    privateKeys: chain.accounts.map((a) => a.privateKey),
  })
  const request = provider.request.bind(provider) as (args: { method: string; params?: unknown }) => Promise<unknown>
  ;(provider as unknown as { request: typeof request }).request = async (args) => {
    if (args.method === 'eth_requestAccounts' || args.method === 'wallet_requestPermissions') {
      prompts.count++
      const answer = await request(args)
      if (prompts.pick) provider.selectAccount(prompts.pick)
      prompts.pick = undefined
      return answer
    }
    return request(args)
  }
  announceDevWallet(provider)
  configureTokenTags({ chains: [{ id: chain.chainId, rpcUrl: chain.rpcUrl }] })
})

after(() => localStorage.removeItem(REMEMBER_KEY))

describe('one EVM session per page', function () {
  this.timeout(90_000)
  let tip: TokenTip
  let claim: TokenClaim
  const box = document.createElement('div')
  after(() => box.remove())

  it('shows the connected account on every widget', async () => {
    tip = document.createElement('token-tip')
    tip.setAttribute('to', CREATOR)
    tip.setAttribute('amounts', '0.01')
    tip.setAttribute('chain', String(chain.chainId))
    claim = document.createElement('token-claim')
    claim.setAttribute('vault', chain.vestingVault)
    claim.setAttribute('chain', String(chain.chainId))
    box.append(tip, claim)
    document.body.append(box)
    await until(tip, 'choose-wallet')
    expect(chip(tip)).to.equal(null)
    button(tip, /^TokenTags Dev Wallet \(dev only\)$/)?.click()
    await until(tip, 'ready')
    await until(claim, CONNECTED)
    expect(prompts.count).to.equal(1)
    const first = provider.selectedAccount
    for (const el of [tip, claim]) {
      // The chip's code is a chunk of its own, loaded with the session.
      await waitUntil(() => chip(el), 'no account chip', { timeout: 10_000 })
      expect(text(chip(el))).to.equal(short(first))
      expect(chip(el)?.getAttribute('aria-label')).to.equal(
        `Account ${short(first)} in TokenTags Dev Wallet (dev only)`,
      )
      await expect(el).to.be.accessible()
    }
  })

  it('switches the account through the wallet’s picker, on every widget', async () => {
    const second = chain.accounts.find((a) => a.address !== provider.selectedAccount)?.address as `0x${string}`
    prompts.pick = second
    chip(claim)?.click()
    await claim.updateComplete
    await expect(claim).to.be.accessible()
    menuItem(claim, /^Switch account$/)?.click()
    for (const el of [tip, claim])
      await waitUntil(() => text(chip(el)) === short(second), `still ${text(chip(el))}`, { timeout: 10_000 })
    expect(prompts.count).to.equal(2)
    expect(root(claim).activeElement, 'focus back on the account button').to.equal(chip(claim))
  })

  it('disconnects every widget from one menu, and the wallet too', async () => {
    chip(tip)?.click()
    await tip.updateComplete
    menuItem(tip, /^Disconnect$/)?.click()
    await until(tip, 'choose-wallet')
    await until(claim, 'choose-wallet')
    for (const el of [tip, claim]) {
      await el.updateComplete
      expect(chip(el)).to.equal(null)
    }
    expect(provider.connected, 'the wallet was told (wallet_revokePermissions)').to.equal(false)
  })
})

async function openPage(frame: HTMLIFrameElement, options: { remember: boolean; trusted: boolean }) {
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }))
  frame.src = new URL('./fixtures/remember.html', import.meta.url).href
  await loaded
  const win = frame.contentWindow as Window & { start?: (options: RememberPageOptions) => Promise<RememberPage> }
  await waitUntil(() => win.start, 'the fixture page never ran', { timeout: 20_000 })
  const page = await (win.start as NonNullable<typeof win.start>)({
    network: 'evm',
    relayUrl: chain.relayUrl,
    siteKey: chain.siteKey,
    rpcUrl: chain.rpcUrl,
    chainId: chain.chainId,
    // anvil's public dev keys.
    privateKeys: chain.accounts.map((a) => a.privateKey),
    to: CREATOR,
    ...options,
  })
  return { page, el: win.document.querySelector('token-tip') as TokenTip }
}

describe('remember on <tokentags-config> (EVM)', function () {
  this.timeout(90_000)
  let frame: HTMLIFrameElement

  beforeEach(() => {
    localStorage.removeItem(REMEMBER_KEY)
    frame = document.createElement('iframe')
    document.body.append(frame)
  })
  afterEach(() => frame.remove())

  it('restores the remembered wallet of a reloaded page with eth_accounts only', async () => {
    const first = await openPage(frame, { remember: true, trusted: false })
    await until(first.el, 'choose-wallet')
    button(first.el, /^TokenTags Dev Wallet \(dev only\)$/)?.click()
    await until(first.el, 'ready')
    const stored = localStorage.getItem(REMEMBER_KEY)
    expect(JSON.parse(stored ?? 'null')).to.deep.equal({ evm: 'dev.tokentags.wallet' })
    expect(stored?.toLowerCase()).to.not.include(first.page.address.slice(2).toLowerCase())

    const again = await openPage(frame, { remember: true, trusted: true })
    await until(again.el, 'ready')
    expect(again.page.log.count, 'no prompt').to.equal(0)
    await waitUntil(() => chip(again.el), 'no account chip', { timeout: 10_000 })
    expect(text(chip(again.el))).to.equal(short(again.page.address))
  })

  it('without remember, stores nothing and never reconnects by itself', async () => {
    const first = await openPage(frame, { remember: false, trusted: false })
    await until(first.el, 'choose-wallet')
    button(first.el, /^TokenTags Dev Wallet \(dev only\)$/)?.click()
    await until(first.el, 'ready')
    expect(localStorage.getItem(REMEMBER_KEY)).to.equal(null)

    localStorage.setItem(REMEMBER_KEY, JSON.stringify({ evm: 'dev.tokentags.wallet' }))
    const again = await openPage(frame, { remember: false, trusted: true })
    await until(again.el, 'choose-wallet')
    // Time for a reconnect that must not happen (loading core and asking eth_accounts take far less).
    await new Promise((resolve) => setTimeout(resolve, 1500))
    expect(again.el.state.status).to.equal('choose-wallet')
    expect(again.page.log.silent + again.page.log.count).to.equal(0)
  })
})

// <token-tip to="sol:…"> against a real Solana ledger: LiteSVM behind JSON-RPC and a relay whose fee payer sponsors
// the tips (see solana-plugin.mjs), the dev Solana wallet registered through Wallet Standard, and
// @tokentags/core/solana loaded by the widget when the wallet is picked.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { installSolanaDevWallet, type SolanaDevWallet } from '@tokentags/testkit/solana-dev-wallet'
import { executeServerCommand } from '@web/test-runner-commands'
import '../src/token-tip/define.js'
import type { TokenSuccessEvent } from '../src/events.js'
import { configureTokenTags } from '../src/internal/config.js'
import type { TokenTip } from '../src/token-tip/token-tip.js'
import { requireBuiltBundles } from './built-bundles.js'

interface SolanaSetup {
  rpcUrl: string
  relayUrl: string
  siteKey: string
  feePayer: string
  visitor: string
  creator: string
  mint: string
}

let ledger: SolanaSetup
let wallet: SolanaDevWallet

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
const balance = async (owner: string, mint?: string) =>
  BigInt((await executeServerCommand('tokentags-solana-balance', { owner, ...(mint && { mint }) })) as string)

before(async function () {
  this.timeout(120_000)
  ledger = (await executeServerCommand('tokentags-solana')) as SolanaSetup
  // The visitor's keypairs (10 SOL each, dev tokens); registered like any Wallet Standard wallet.
  // The first one is the account a connection picks.
  wallet = await installSolanaDevWallet({ seeds: ['visitor', 'visitor2'] })
  configureTokenTags({
    chains: [],
    relayUrl: ledger.relayUrl,
    siteKey: ledger.siteKey,
    solanaRpcUrl: ledger.rpcUrl,
    solanaExplorerUrl: 'https://explorer.solana.com/tx/{signature}?cluster=custom',
  })
})

async function tipThrough(el: TokenTip, preset: RegExp): Promise<TokenSuccessEvent> {
  await until(el, 'choose-wallet')
  await el.updateComplete
  expect(text(root(el))).to.match(/Choose a Solana wallet/)
  await expect(el).to.be.accessible()
  button(el, /TokenTags Dev Solana Wallet/)?.click()
  await until(el, 'ready')
  await el.updateComplete
  expect(text(root(el))).to.match(/You pay no network fee/)
  await expect(el).to.be.accessible()
  button(el, preset)?.click()
  await el.updateComplete
  const success = new Promise<TokenSuccessEvent>((resolve) =>
    el.addEventListener('token-success', resolve, { once: true }),
  )
  button(el, /^Tip /)?.click()
  await until(el, 'success', 40_000)
  await el.updateComplete
  await expect(el).to.be.accessible()
  return success
}

describe('<token-tip> on a local Solana ledger', function () {
  this.timeout(90_000)

  it('tips SOL gaslessly: the creator gets it, the visitor pays no fee', async () => {
    const creatorBefore = await balance(ledger.creator)
    const visitorBefore = await balance(ledger.visitor)
    const statuses: string[] = []
    const el = await fixture<TokenTip>(html`<token-tip to=${`sol:${ledger.creator}`} amounts="0.5,1"></token-tip>`)
    el.addEventListener('token-status', (e) => statuses.push(e.detail.status))
    await until(el, 'choose-wallet')
    const solanaCode = () =>
      performance.getEntriesByType('resource').filter((e) => /solana-api|core\/dist\/solana/.test(e.name)).length
    expect(solanaCode(), 'no Solana code before a wallet is picked').to.equal(0)
    const event = await tipThrough(el, /^0\.5 SOL$/)
    expect(event.detail.amount).to.equal(500_000_000n)
    expect(event.detail.via).to.equal('relay')
    expect(event.detail.signature).to.match(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/)
    expect(event.detail.txHash).to.equal(event.detail.signature)
    expect(statuses).to.include.members(['signing', 'pending', 'success'])
    expect(solanaCode(), 'the Solana code loaded on the press').to.be.greaterThan(0)
    expect(text(root(el))).to.match(/Sent 0\.5 SOL to/)
    expect(text(root(el))).to.match(/The network fee was paid by the relay/)
    const link = root(el).querySelector<HTMLAnchorElement>('a[part~="hash"]')
    expect(link?.href).to.equal(`https://explorer.solana.com/tx/${event.detail.signature}?cluster=custom`)
    expect((await balance(ledger.creator)) - creatorBefore).to.equal(500_000_000n)
    expect(await balance(ledger.visitor)).to.equal(visitorBefore - 500_000_000n)
  })

  it('tips an SPL token with the mint’s decimals; a second widget reuses the connection', async () => {
    const creatorBefore = await balance(ledger.creator, ledger.mint)
    const visitorSol = await balance(ledger.visitor)
    const el = await fixture<TokenTip>(
      html`<token-tip to=${`sol:${ledger.creator}`} token=${`sol:${ledger.mint}`} amounts="2.5"></token-tip>`,
    )
    // Already connected by the first test: straight to the offer.
    await until(el, 'ready')
    await el.updateComplete
    expect(text(root(el))).to.match(/Other amount \(\w{6}…\w{4}\)/)
    button(el, /^2\.5 /)?.click()
    await el.updateComplete
    const success = new Promise<TokenSuccessEvent>((resolve) =>
      el.addEventListener('token-success', resolve, { once: true }),
    )
    button(el, /^Tip 2\.5 /)?.click()
    await until(el, 'success', 40_000)
    // 2.5 with the mint's 6 decimals.
    expect((await success).detail.amount).to.equal(2_500_000n)
    expect((await balance(ledger.creator, ledger.mint)) - creatorBefore).to.equal(2_500_000n)
    expect(await balance(ledger.visitor), 'the visitor paid no fee').to.equal(visitorSol)
  })

  it('follows an account switch inside the wallet: the next tip comes from the new account', async () => {
    const [first, second] = wallet.dev.addresses as readonly string[] as [string, string]
    const el = await fixture<TokenTip>(html`<token-tip to=${`sol:${ledger.creator}`} amounts="0.1"></token-tip>`)
    await until(el, 'ready')
    const [firstBefore, secondBefore] = [await balance(first), await balance(second)]
    wallet.dev.selectAccount(second)
    await el.updateComplete
    expect(el.state.status, 'a switch keeps the offer').to.equal('ready')
    button(el, /^0\.1 SOL$/)?.click()
    await el.updateComplete
    button(el, /^Tip /)?.click()
    await until(el, 'success', 40_000)
    expect(await balance(second)).to.equal(secondBefore - 100_000_000n)
    expect(await balance(first)).to.equal(firstBefore)
    wallet.dev.selectAccount(first)
  })

  it('goes back to the wallet list when the wallet disconnects on its side', async () => {
    const el = await fixture<TokenTip>(html`<token-tip to=${`sol:${ledger.creator}`} amounts="0.1"></token-tip>`)
    await until(el, 'ready')
    const statuses: string[] = []
    el.addEventListener('token-status', (e) => statuses.push(e.detail.status))
    await wallet.features['standard:disconnect'].disconnect()
    await until(el, 'choose-wallet')
    await el.updateComplete
    expect(text(root(el))).to.match(/Choose a Solana wallet/)
    expect(statuses).to.include('choose-wallet')
    // Connecting again brings the offer back.
    button(el, /TokenTags Dev Solana Wallet/)?.click()
    await until(el, 'ready')
  })

  it('works from the classic script, which loads tokentags-solana.js from beside it', async () => {
    await requireBuiltBundles('tokentags.iife.js', 'tokentags-solana.js')
    const creatorBefore = await balance(ledger.creator)
    const frame = document.createElement('iframe')
    frame.src = new URL('./fixtures/solana-iife.html', import.meta.url).href
    document.body.append(frame)
    try {
      await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }))
      const win = frame.contentWindow as Window & { walletReady: Promise<unknown> }
      await waitUntil(() => win.walletReady, 'the dev wallet module never ran', { timeout: 20_000 })
      await win.walletReady
      const doc = win.document
      const config = doc.createElement('tokentags-config')
      config.setAttribute('relay', ledger.relayUrl)
      config.setAttribute('site-key', ledger.siteKey)
      config.setAttribute('solana-rpc', ledger.rpcUrl)
      doc.body.append(config)
      const el = doc.createElement('token-tip') as TokenTip
      el.setAttribute('to', `sol:${ledger.creator}`)
      el.setAttribute('amounts', '0.25')
      doc.body.append(el)
      await until(el, 'choose-wallet')
      await el.updateComplete
      button(el, /TokenTags Dev Solana Wallet/)?.click()
      await until(el, 'ready')
      await el.updateComplete
      button(el, /^0\.25 SOL$/)?.click()
      await el.updateComplete
      button(el, /^Tip /)?.click()
      await until(el, 'success', 40_000)
      const loaded = win.performance.getEntriesByType('resource').map((e) => e.name)
      expect(loaded.some((name) => name.endsWith('/dist/cdn/tokentags-solana.js'))).to.equal(true)
      expect((await balance(ledger.creator)) - creatorBefore).to.equal(250_000_000n)
    } finally {
      frame.remove()
    }
  })

  it('says when the page has no Solana RPC', async () => {
    configureTokenTags({ chains: [], relayUrl: ledger.relayUrl, siteKey: ledger.siteKey })
    const el = await fixture<TokenTip>(html`<token-tip to=${`sol:${ledger.creator}`}></token-tip>`)
    await until(el, 'error')
    expect(el.state).to.include({ code: 'CHAIN_NOT_CONFIGURED' })
  })
})

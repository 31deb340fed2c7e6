// Solana Pay in <token-tip to="sol:…">: a visitor with no wallet on the page pays from any phone wallet. The widget
// shows a QR code of `solana:` + the relay's tip link (a Solana Pay transaction request with a fresh reference), and
// follows the payment through the reference on the page's Solana RPC, confirmed by the relay's `/status`. Here the
// "phone wallet" is test/solana-plugin.mjs in Node: it reads the link from the QR code, POSTs the dev visitor's
// account to the relay, signs the transaction the relay built (the relay's fee payer first) and sends it to LiteSVM.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { executeServerCommand } from '@web/test-runner-commands'
import '../src/token-tip/define.js'
import type { TokenSuccessEvent } from '../src/events.js'
import { configureTokenTags, resetPageConfig } from '../src/internal/config.js'
import type { TokenTip } from '../src/token-tip/token-tip.js'
import { scanQr } from './qr-scan.js'

interface SolanaSetup {
  rpcUrl: string
  indexedRpcUrl: string
  relayUrl: string
  siteKey: string
  feePayer: string
  visitor: string
  creator: string
  mint: string
}

let ledger: SolanaSetup

const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: Element) => el.shadowRoot as ShadowRoot
const button = (el: Element, label: RegExp) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('button')].find((b) => label.test(text(b)))
const until = (el: TokenTip, status: string, timeout = 20_000) =>
  waitUntil(() => el.state.status === status, `expected ${status}, still ${el.state.status}`, { timeout })
const balance = async (owner: string, mint?: string) =>
  BigInt((await executeServerCommand('tokentags-solana-balance', { owner, ...(mint && { mint }) })) as string)
const pay = (uri: string, amount?: string) =>
  executeServerCommand('tokentags-solana-pay-wallet', { uri, ...(amount && { amount }) }) as Promise<{
    link: string
    signature: string
    feePayer: string
  }>

before(async function () {
  this.timeout(120_000)
  ledger = (await executeServerCommand('tokentags-solana')) as SolanaSetup
})

beforeEach(() =>
  configureTokenTags({
    chains: [],
    relayUrl: ledger.relayUrl,
    siteKey: ledger.siteKey,
    // The page reads the reference through an RPC with an address index (getSignaturesForAddress).
    solanaRpcUrl: ledger.indexedRpcUrl,
  }),
)

after(() => resetPageConfig())

describe('Solana Pay in <token-tip>', function () {
  this.timeout(60_000)

  it('offers a QR code of the relay tip link; the phone wallet pays; the widget shows the success', async () => {
    const el = await fixture<TokenTip>(
      html`<token-tip to=${`sol:${ledger.creator}`} amounts="0.25,1" memo="gm"></token-tip>`,
    )
    await waitUntil(() => 'solanaPay' in el.state, `no Solana Pay offer: ${JSON.stringify(el.state)}`)
    await el.updateComplete
    expect(text(root(el))).to.match(/You pay no network fee/)
    root(el).querySelector<HTMLButtonElement>('[part~="qr-offer"]')?.click()
    await until(el, 'ready')
    await el.updateComplete
    button(el, /^0\.25 SOL$/)?.click()
    await el.updateComplete
    button(el, /^Show the code for 0\.25 SOL$/)?.click()
    await until(el, 'qr')
    await el.updateComplete

    const uri = await scanQr(root(el).querySelector('svg[part="qr"]') as SVGSVGElement)
    expect(uri).to.equal((el.state as { uri: string }).uri)
    expect(uri.startsWith('solana:https%3A') || uri.startsWith('solana:http%3A')).to.equal(true)
    const link = new URL(decodeURIComponent(uri.slice('solana:'.length)))
    expect(`${link.origin}${link.pathname}`).to.equal(`${ledger.relayUrl}/v1/solana/pay/tip`)
    expect(link.searchParams.get('site')).to.equal(ledger.siteKey)
    expect(link.searchParams.get('to')).to.equal(ledger.creator)
    expect(link.searchParams.get('amount')).to.equal('0.25')
    expect(link.searchParams.get('memo')).to.equal('gm')
    expect(link.searchParams.get('mint')).to.equal(null)
    const reference = link.searchParams.get('reference') as string
    expect(reference).to.match(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/)
    expect([ledger.creator, ledger.visitor, ledger.feePayer]).to.not.include(reference)
    // The same URI for a wallet on this device.
    expect(root(el).querySelector<HTMLAnchorElement>('a[part="link"]')?.getAttribute('href')).to.equal(uri)

    const creatorBefore = await balance(ledger.creator)
    const visitorBefore = await balance(ledger.visitor)
    const success = new Promise<TokenSuccessEvent>((resolve) =>
      el.addEventListener('token-success', resolve, { once: true }),
    )
    const paid = await pay(uri)
    expect(paid.feePayer, 'the relay pays the network fee').to.equal(ledger.feePayer)
    const event = await success
    expect(event.detail.signature).to.equal(paid.signature)
    expect(event.detail.amount).to.equal(250_000_000n)
    expect(event.detail.via).to.equal('relay')
    expect((await balance(ledger.creator)) - creatorBefore).to.equal(250_000_000n)
    // The visitor paid the tip and nothing else: the fee came from the relay's fee payer.
    expect(visitorBefore - (await balance(ledger.visitor))).to.equal(250_000_000n)
    await el.updateComplete
    expect(text(root(el).querySelector('[role="status"]'))).to.equal(
      `Sent 0.25 SOL to ${ledger.creator.slice(0, 6)}…${ledger.creator.slice(-4)}.`,
    )
    await expect(el).shadowDom.to.be.accessible()
  })

  it('each code has a fresh reference; a payment that carries it but is not this tip is not taken', async () => {
    const el = await fixture<TokenTip>(html`<token-tip to=${`sol:${ledger.creator}`} amounts="0.1"></token-tip>`)
    await waitUntil(() => 'solanaPay' in el.state, 'no Solana Pay offer')
    const show = async () => {
      await until(el, 'ready')
      await el.updateComplete
      button(el, /^0\.1 SOL$/)?.click()
      await el.updateComplete
      button(el, /^Show the code for/)?.click()
      await until(el, 'qr')
      await el.updateComplete
      return (el.state as { uri: string }).uri
    }
    root(el).querySelector<HTMLButtonElement>('[part~="qr-offer"]')?.click()
    const first = await show()
    // Back to the amounts and a new code: another reference.
    button(el, /^Back$/)?.click()
    const uri = await show()
    const reference = (u: string) => new URL(decodeURIComponent(u.slice(7))).searchParams.get('reference')
    expect(reference(uri)).to.not.equal(reference(first))

    // Anyone can put the reference into a transaction: here one that pays less. The page's RPC lists it under the
    // reference, the widget asks the relay, which does not recognise it as this tip: still waiting. (A second
    // `/status` call means the widget looked at it and went on waiting.)
    const statusCalls = () =>
      performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/solana/pay/status?')).length
    // The page has loaded hundreds of modules: make room in the resource timing buffer (250 entries by default).
    performance.setResourceTimingBufferSize(10_000)
    performance.clearResourceTimings()
    const before = statusCalls()
    const underpaid = await pay(uri, '0.05')
    await waitUntil(() => statusCalls() >= before + 2, 'the widget never asked the relay about the payment', {
      timeout: 15_000,
    })
    expect(el.state.status).to.equal('qr')

    const paid = await pay(uri)
    await until(el, 'success')
    expect((el.state as { signature?: string }).signature).to.equal(paid.signature)
    expect(paid.signature).to.not.equal(underpaid.signature)
  })
})

// Cards useful without a wallet (issue 15, item 9), on a real chain (anvil, chain-plugin.mjs) and no wallet in the
// browser: <token-buy> shows the sale's price, cap, what is left and the time left, read through the page's RPC, and
// a sale that cannot be bought its own state instead of a wallet list; <token-claim> checks an address the visitor
// types or pastes.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import { executeServerCommand, sendKeys } from '@web/test-runner-commands'
import '../src/token-buy/define.js'
import '../src/token-claim/define.js'
import { configureTokenTags } from '../src/internal/config.js'
import type { TokenBuy } from '../src/token-buy/token-buy.js'
import type { TokenClaim } from '../src/token-claim/token-claim.js'

interface ChainSetup {
  rpcUrl: string
  chainId: number
  forwarder: `0x${string}`
  token: `0x${string}`
  vestingVault: `0x${string}`
  tokenSale: `0x${string}`
}

let chain: ChainSetup
const big = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)
const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: Element) => el.shadowRoot as ShadowRoot
const status = (el: Element) => text(root(el).querySelector('[role="status"]'))
const facts = (el: Element) => text(root(el).querySelector('[part~="facts"]'))
async function until(el: TokenBuy | TokenClaim, check: () => boolean, what: string, timeout = 20_000) {
  try {
    await waitUntil(check, what, { timeout, interval: 50 })
  } catch {
    throw new Error(`expected ${what}, still ${JSON.stringify(el.state, big)}`)
  }
}
const dateOf = (seconds: number, locale = 'en') =>
  new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(seconds * 1000))

before(async function () {
  this.timeout(120_000)
  chain = (await executeServerCommand('tokentags-chain')) as ChainSetup
  configureTokenTags({ chains: [{ id: chain.chainId, rpcUrl: chain.rpcUrl }] })
})

describe('<token-buy> without a wallet', function () {
  this.timeout(60_000)

  it('shows the price, the cap and what is left, the limit per buyer and the time left, read from the chain', async () => {
    const el = await fixture<TokenBuy>(
      html`<token-buy sale=${chain.tokenSale} chain=${String(chain.chainId)}></token-buy>`,
    )
    await until(el, () => el.state.status === 'no-wallet' && 'facts' in el.state && !!el.state.facts, 'the facts')
    await el.updateComplete
    expect(status(el)).to.equal('No wallet found.')
    const shown = facts(el)
    // The chain-plugin sale: 0.001 ETH per TAG, 100,000 TAG cap (other test files may have bought), 1,000 per buyer,
    // closing 30 days after the chain was set up.
    expect(shown).to.match(/^Price 0\.001 ETH per TAG Left [\d,.]+ TAG of 100,000 TAG Per buyer 1,000 TAG Closes /)
    expect(shown).to.match(/\(in (29|30) days\)$/)
    const end = (el.state as { facts: { end: number } }).facts.end
    expect(root(el).querySelector('[part~="facts"] time')?.getAttribute('datetime')).to.equal(
      new Date(end * 1000).toISOString(),
    )
    expect(shown).to.contain(dateOf(end))
    // Still a wallet card: the wallet help and Check again below the facts.
    expect(text(root(el))).to.match(/Buying needs a browser wallet/)
    await expect(el).to.be.accessible()
  })

  it('in German: numbers, dates and the time left in the widget’s language', async () => {
    const el = await fixture<TokenBuy>(
      html`<token-buy locale="de" sale=${chain.tokenSale} chain=${String(chain.chainId)}></token-buy>`,
    )
    await until(el, () => el.state.status === 'no-wallet' && 'facts' in el.state && !!el.state.facts, 'the facts')
    await waitUntil(() => root(el).querySelector('[lang]')?.getAttribute('lang') === 'de')
    await el.updateComplete
    expect(facts(el)).to.match(
      /^Preis 0,001 ETH pro TAG Übrig [\d.,]+ TAG von 100\.000 TAG Pro Käufer 1\.000 TAG Endet .+ \(in (29|30) Tagen\)$/,
    )
  })

  it('a sale that cannot be bought shows its state, not a wallet list: not started, ended, sold out', async () => {
    const sales = (await executeServerCommand('tokentags-sales', chain)) as Record<
      'notStarted' | 'ended' | 'soldOut',
      `0x${string}`
    >
    const mount = (sale: string) =>
      fixture<TokenBuy>(html`<token-buy sale=${sale} chain=${String(chain.chainId)}></token-buy>`)
    const cases: [keyof typeof sales, string, RegExp][] = [
      ['notStarted', 'not-started', /^The sale has not started yet\.$/],
      ['ended', 'ended', /^The sale has ended\.$/],
      ['soldOut', 'sold-out', /^Sold out: every token has been sold\.$/],
    ]
    for (const [name, expected, line] of cases) {
      const el = await mount(sales[name])
      await until(el, () => el.state.status === expected, expected)
      await el.updateComplete
      expect(status(el), name).to.match(line)
      expect(root(el).querySelector('[part~="error"]'), `${name}: not an error`).to.equal(null)
      expect(text(root(el)), `${name}: no wallet help`).to.not.match(/needs a browser wallet/)
      expect(
        [...root(el).querySelectorAll('button')].map((b) => text(b)),
        `${name}: no buy button`,
      ).to.not.include.members(['Buy'])
      if (name === 'soldOut') expect(facts(el)).to.match(/Left 0 TAG of 1 TAG/)
      if (name === 'ended') expect(text(root(el))).to.match(/It closed on /)
      if (name === 'notStarted') expect(text(root(el))).to.match(/It opens on /)
      await expect(el).to.be.accessible()
      el.remove()
    }
  })

  it('a sale attribute that is not a sale: WRONG_CONTRACT before any wallet', async () => {
    const el = await fixture<TokenBuy>(html`<token-buy sale=${chain.token} chain=${String(chain.chainId)}></token-buy>`)
    const error = new Promise<CustomEvent>((resolve) =>
      el.addEventListener('token-error', (e) => resolve(e as CustomEvent), { once: true }),
    )
    await until(el, () => el.state.status === 'error', 'an error')
    expect(el.state).to.include({ code: 'WRONG_CONTRACT' })
    expect((await error).detail.code).to.equal('WRONG_CONTRACT')
    await el.updateComplete
    expect(status(el)).to.match(/ is not a token sale on .+ \(that contract is not a token sale\)\./)
  })
})

describe('<token-claim> without a wallet: Check an address', function () {
  this.timeout(60_000)

  async function open(): Promise<TokenClaim> {
    const el = await fixture<TokenClaim>(
      html`<token-claim vault=${chain.vestingVault} chain=${String(chain.chainId)}></token-claim>`,
    )
    await until(el, () => el.state.status === 'no-wallet', 'no-wallet')
    await el.updateComplete
    const toggle = root(el).querySelector<HTMLButtonElement>('[part~="lookup-open"]')
    expect(text(toggle)).to.equal('Check an address')
    toggle?.click()
    await el.updateComplete
    return el
  }

  async function check(el: TokenClaim, typed: string): Promise<void> {
    const field = root(el).querySelector<HTMLInputElement>('[part~="lookup"] input') as HTMLInputElement
    field.focus()
    field.select()
    await sendKeys({ type: typed })
    await sendKeys({ press: 'Enter' })
    await el.updateComplete
  }

  it('shows what a typed address has vested, claimed and can claim now, and that claiming needs its wallet', async () => {
    // A fresh address with a fully vested 250 TAG schedule (visitor-plugin.mjs), typed in lower case (no checksum).
    const beneficiary = `0x${Array.from(crypto.getRandomValues(new Uint8Array(20)), (b) => b.toString(16).padStart(2, '0')).join('')}`
    await executeServerCommand('tokentags-schedule', { chain, beneficiary })
    const el = await open()
    await check(el, `  ${beneficiary.toLowerCase()} `)
    await until(el, () => 'lookup' in el.state && el.state.lookup?.status === 'found', 'the lookup answered')
    await el.updateComplete
    const answer = text(root(el).querySelector('[part~="lookup-result"]'))
    expect(answer).to.contain(`Vesting of ${beneficiary.slice(0, 6)}…${beneficiary.slice(-4)}`)
    expect(answer).to.contain('250 TAG of 250 TAG vested (100%)')
    expect(answer).to.contain('Claimed 0 TAG Claimable now 250 TAG')
    expect(answer).to.contain('Only the wallet of this address can claim: connect it to claim.')
    // Read-only: the card is still a wallet card.
    expect(el.state.status).to.equal('no-wallet')
    await expect(el).to.be.accessible()
  })

  it('an address without a schedule: says so', async () => {
    const el = await open()
    await check(el, '0x000000000000000000000000000000000000dEaD')
    await until(el, () => 'lookup' in el.state && el.state.lookup?.status === 'found', 'the lookup answered')
    await el.updateComplete
    expect(text(root(el).querySelector('[part~="lookup-result"]'))).to.match(
      /Vesting of 0x0000…dEaD ?This address has no tokens vesting here\.$/,
    )
  })

  it('a malformed address: a readable error, and nothing is read', async () => {
    const el = await open()
    await check(el, '0x1234')
    const field = root(el).querySelector<HTMLInputElement>('[part~="lookup"] input') as HTMLInputElement
    expect(field.getAttribute('aria-invalid')).to.equal('true')
    expect(text(root(el).querySelector('#lookup-hint'))).to.equal(
      'Enter an address: 0x followed by 40 hexadecimal characters.',
    )
    expect('lookup' in el.state && el.state.lookup).to.equal(false)
    await expect(el).to.be.accessible()
  })

  it('a malformed address after an answer: the earlier answer goes, the hint stays alone', async () => {
    // Seen by hand on the demo page: the hint showed beside the previous address's vesting, as if it answered it.
    const el = await open()
    await check(el, '0x000000000000000000000000000000000000dEaD')
    await until(el, () => 'lookup' in el.state && el.state.lookup?.status === 'found', 'the lookup answered')
    await el.updateComplete
    expect(text(root(el).querySelector('[part~="lookup-result"]'))).to.contain('Vesting of 0x0000…dEaD')
    await check(el, '0x12')
    expect(text(root(el).querySelector('#lookup-hint'))).to.equal(
      'Enter an address: 0x followed by 40 hexadecimal characters.',
    )
    expect(text(root(el).querySelector('[part~="lookup-result"]'))).to.equal('')
  })
})

import { expect, fixture, html } from '@open-wc/testing'
import { sendKeys } from '@web/test-runner-commands'
import '../src/token-buy/define.js'
import type { TokenErrorEvent, TokenStatusEvent, TokenSuccessEvent } from '../src/events.js'
import { resetPageConfig } from '../src/internal/config.js'
import { formatDate } from '../src/internal/format.js'
import { BuyHarness, buyStates, SAMPLE_SALE, sampleQuote } from '../src/testing/index.js'
import type { BuyState } from '../src/token-buy/buy-state.js'
import type { TokenBuy } from '../src/token-buy/token-buy.js'

async function mount(state: BuyState): Promise<{ el: TokenBuy; harness: BuyHarness }> {
  const harness = new BuyHarness(state)
  const el = await fixture<TokenBuy>(
    html`<token-buy sale=${SAMPLE_SALE} chain="8453" .controller=${harness}></token-buy>`,
  )
  return { el, harness }
}

const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: TokenBuy) => el.shadowRoot as ShadowRoot
const statusText = (el: TokenBuy) => text(root(el).querySelector('[role="status"]'))
const actions = (el: TokenBuy) => [...root(el).querySelectorAll<HTMLButtonElement>('[part~="action"]')]
const input = (el: TokenBuy) => root(el).querySelector<HTMLInputElement>('[part~="input"]') as HTMLInputElement
function nextEvent<K extends keyof GlobalEventHandlersEventMap>(type: K): Promise<GlobalEventHandlersEventMap[K]> {
  return new Promise((resolve) => document.addEventListener(type, resolve, { once: true }))
}
const tag = 10n ** 18n

afterEach(() => resetPageConfig())

describe('<token-buy> states', () => {
  const cases: { name: string; state: () => BuyState; status: RegExp; action?: RegExp; also?: RegExp[] }[] = [
    { name: 'loading', state: buyStates.loading, status: /Loading the sale/ },
    { name: 'no wallet', state: buyStates.noWallet, status: /No wallet found/, action: /Check again/ },
    { name: 'choose wallet', state: buyStates.chooseWallet, status: /Choose a wallet to buy/, action: /Dev Wallet/ },
    {
      name: 'wrong network',
      state: buyStates.wrongNetwork,
      status: /Switch to Base to buy/,
      action: /^Switch to Base$/,
    },
    {
      name: 'not started (with its start date)',
      state: buyStates.notStarted,
      status: /has not started yet/,
      also: [
        new RegExp(`It opens on ${formatDate(Date.UTC(2029, 5, 1) / 1000).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
      ],
    },
    { name: 'ended', state: buyStates.ended, status: /The sale has ended/, also: [/It closed on/] },
    { name: 'sold out', state: buyStates.soldOut, status: /Sold out/ },
    {
      name: 'over cap',
      state: buyStates.overCap,
      status: /bought the most one buyer can/,
      also: [/You bought 1,000 TAG/],
    },
    { name: 'paused', state: buyStates.paused, status: /paused/, action: /Check again/ },
    {
      name: 'ready (ERC-20, gasless)',
      state: () => buyStates.ready(),
      status: /Buy TAG/,
      action: /^Buy$/,
      also: [
        /Price 0\.5 USDC per TAG/,
        /Left 40,000 TAG/,
        /You can buy 1,000 TAG/,
        /You pay \(USDC\)/,
        /You pay no gas/,
      ],
    },
    {
      name: 'ready (native coin)',
      state: buyStates.readyNative,
      status: /Buy TAG/,
      action: /^Buy$/,
      also: [/0\.001 ETH per TAG/, /You pay the network fee \(gas\)/],
    },
    { name: 'signing', state: buyStates.signing, status: /Confirm in your wallet/, also: [/receive about 20 TAG/] },
    { name: 'pending', state: () => buyStates.pending('submitted', 'wallet'), status: /waiting for confirmation/ },
    {
      name: 'success',
      state: () => buyStates.success(),
      status: /Bought 20 TAG for 10 USDC\./,
      action: /Buy more/,
      also: [/0x9f1c…6789/],
    },
    {
      name: 'error (stale quote)',
      state: () => buyStates.error('SLIPPAGE'),
      status: /The price changed since your quote/,
      action: /Try again/,
    },
    {
      name: 'no wallet yet, with the sale read through the RPC',
      state: () => buyStates.guest(),
      status: /Choose a wallet to buy/,
      action: /Dev Wallet/,
      also: [/Price 0\.5 USDC per TAG Left 40,000 TAG of 100,000 TAG Per buyer 1,000 TAG Closes .+ \(.+\)/],
    },
    {
      name: 'failed on chain, sent by the relay: the relay paid its fee',
      state: () => buyStates.failed('TRANSACTION_FAILED', 'relay'),
      status: /^The transaction failed on the network\.$/,
      action: /Try again/,
      also: [/Transaction: 0x9f1c…6789 Gas was paid by the relay\./],
    },
    {
      name: 'declined in the wallet: nothing sent, nobody paid',
      state: () => buyStates.failed('USER_REJECTED', 'nobody'),
      status: /^The request was declined in your wallet\.$/,
      action: /Try again/,
      also: [/Nothing was sent: you paid nothing\./],
    },
  ]
  for (const c of cases) {
    it(`draws ${c.name}`, async () => {
      const { el } = await mount(c.state())
      expect(statusText(el)).to.match(c.status)
      for (const re of c.also ?? []) expect(text(root(el))).to.match(re)
      const buttons = actions(el)
      if (c.action) expect(text(buttons[0] ?? null)).to.match(c.action)
      else expect(buttons).to.have.length(0)
      expect(root(el).querySelector('[part~="container"]')?.getAttribute('data-status')).to.equal(c.state().status)
      expect(root(el).querySelectorAll('[style]')).to.have.length(0)
      await expect(el).to.be.accessible()
    })
  }
})

describe('<token-buy> quoting and buying', () => {
  it('asks for a quote as the visitor types, shows it with the minimum-out, and buys with it', async () => {
    const { el, harness } = await mount(buyStates.ready())
    input(el).focus()
    await sendKeys({ type: '10' })
    expect(harness.actionsOf('quote').at(-1)).to.deep.equal({ type: 'quote', amountIn: 10_000_000n })
    harness.setState({ ...(buyStates.ready() as Extract<BuyState, { status: 'ready' }>), quoting: true })
    await el.updateComplete
    expect(text(root(el))).to.match(/Getting a quote/)
    harness.setState(buyStates.ready({}, sampleQuote()))
    await el.updateComplete
    expect(text(root(el))).to.match(/You receive about 20 TAG/)
    expect(text(root(el))).to.match(/At least 19\.9 TAG, or the buy is cancelled \(price protection: 0\.5%\)/)
    expect(text(actions(el)[0] ?? null)).to.equal('Buy 20 TAG')
    await sendKeys({ press: 'Enter' })
    expect(harness.actionsOf('buy')).to.have.length(1)
  })

  it('keeps a press made while quoting and buys once the quote for that amount arrives', async () => {
    const { el, harness } = await mount(buyStates.ready())
    input(el).focus()
    await sendKeys({ type: '10' })
    harness.setState({ ...(buyStates.ready() as Extract<BuyState, { status: 'ready' }>), quoting: true })
    await el.updateComplete
    await sendKeys({ press: 'Enter' })
    expect(harness.actionsOf('buy')).to.have.length(0)
    harness.setState(buyStates.ready({}, sampleQuote()))
    await el.updateComplete
    expect(harness.actionsOf('buy')).to.have.length(1)
  })

  it('drops a press made while quoting when the visitor edits the amount', async () => {
    const { el, harness } = await mount(buyStates.ready())
    input(el).focus()
    await sendKeys({ type: '10' })
    harness.setState({ ...(buyStates.ready() as Extract<BuyState, { status: 'ready' }>), quoting: true })
    await el.updateComplete
    await sendKeys({ press: 'Enter' })
    await sendKeys({ type: '0' })
    harness.setState(buyStates.ready({}, sampleQuote({ amountIn: 100_000_000n })))
    await el.updateComplete
    expect(harness.actionsOf('buy')).to.have.length(0)
  })

  it('says when the amount is over the visitor’s limit, and does not buy', async () => {
    const { el, harness } = await mount(buyStates.ready())
    input(el).focus()
    await sendKeys({ type: '600' })
    harness.setState(
      buyStates.ready({}, sampleQuote({ amountIn: 600_000_000n, amountOut: 1200n * tag, minOut: 1194n * tag })),
    )
    await el.updateComplete
    expect(text(root(el))).to.match(/more than you can buy: at most 1,000 TAG/)
    expect(input(el).getAttribute('aria-invalid')).to.equal('true')
    actions(el)[0]?.click()
    expect(harness.actionsOf('buy')).to.have.length(0)
    await expect(el).to.be.accessible()
  })

  it('flags a payment that is not a number', async () => {
    const { el, harness } = await mount(buyStates.ready())
    input(el).focus()
    await sendKeys({ type: '1e5' })
    await el.updateComplete
    // Not a number in the widget's language: the hint shows the form to write.
    expect(text(root(el).querySelector('#pay-hint'))).to.equal('Write amounts like 1,234.5.')
    expect(harness.actionsOf('quote').at(-1)).to.deep.equal({ type: 'quote', amountIn: 0n })
    actions(el)[0]?.click()
    expect(harness.actionsOf('buy')).to.have.length(0)
  })

  it('fires token-status, token-success (amount bought) and token-error SLIPPAGE', async () => {
    const { el, harness } = await mount(buyStates.signing())
    const statuses: string[] = []
    el.addEventListener('token-status', (e: TokenStatusEvent) => statuses.push(e.detail.status))
    const success = nextEvent('token-success')
    harness.setState(buyStates.pending())
    harness.setState(buyStates.success())
    const s: TokenSuccessEvent = await success
    expect(s.detail.amount).to.equal(20n * tag)
    const error = nextEvent('token-error')
    harness.setState(buyStates.error('SLIPPAGE'))
    const e: TokenErrorEvent = await error
    expect(e.detail.code).to.equal('SLIPPAGE')
    expect(statuses).to.deep.equal(['pending', 'success', 'error'])
  })

  it('passes sale, chain and slippage to the controller', async () => {
    const harness = new BuyHarness(buyStates.loading())
    await fixture<TokenBuy>(
      html`<token-buy sale=${SAMPLE_SALE} chain="8453" slippage="1" gasless="always" .controller=${harness}></token-buy>`,
    )
    expect(harness.target).to.deep.equal({ sale: SAMPLE_SALE, chainId: 8453, slippageBps: 100, gasless: 'always' })
  })
})

describe('<token-buy> bad attributes', () => {
  const bad: { name: string; attrs: Record<string, string>; message: RegExp }[] = [
    { name: 'a missing sale', attrs: { sale: '' }, message: /sale attribute is missing/ },
    { name: 'a malformed sale', attrs: { sale: '0xnope' }, message: /"0xnope" is not an address/ },
    { name: 'a bad chain', attrs: { chain: '-1' }, message: /chain "-1" is not a chain id/ },
    { name: 'a bad slippage', attrs: { slippage: 'lots' }, message: /slippage "lots" must be a percentage/ },
  ]
  for (const c of bad) {
    it(`shows INVALID_ATTRIBUTE for ${c.name}`, async () => {
      const event = nextEvent('token-error')
      const el = document.createElement('token-buy')
      for (const [k, v] of Object.entries({ sale: SAMPLE_SALE, chain: '8453', ...c.attrs }))
        if (v) el.setAttribute(k, v)
      el.controller = new BuyHarness(buyStates.ready())
      document.body.append(el)
      try {
        const e: TokenErrorEvent = await event
        await el.updateComplete
        expect(e.detail).to.deep.include({ code: 'INVALID_ATTRIBUTE' })
        expect(e.detail.message).to.match(c.message)
        expect(statusText(el)).to.match(c.message)
        await expect(el).to.be.accessible()
      } finally {
        el.remove()
      }
    })
  }
})

describe('<token-buy> languages', () => {
  for (const locale of ['es', 'fr', 'de', 'ar'])
    it(`speaks ${locale} (ready with a quote, not started)`, async () => {
      const harness = new BuyHarness(buyStates.ready({}, sampleQuote()))
      const el = await fixture<TokenBuy>(
        html`<token-buy locale=${locale} sale=${SAMPLE_SALE} chain="8453" .controller=${harness}></token-buy>`,
      )
      await el.updateComplete
      expect(text(root(el))).to.not.match(/\{\w+\}|You pay/)
      expect(el.getAttribute('dir')).to.equal(locale === 'ar' ? 'rtl' : 'ltr')
      await expect(el).to.be.accessible()
      harness.setState(buyStates.notStarted())
      await el.updateComplete
      expect(text(root(el))).to.not.match(/\{\w+\}|not started/)
    })
})

import { expect, fixture, html } from '@open-wc/testing'
import { sendKeys } from '@web/test-runner-commands'
import '../src/token-tip/define.js'
import type { TokenErrorEvent, TokenStatusEvent, TokenSuccessEvent } from '../src/events.js'
import { resetPageConfig } from '../src/internal/config.js'
import { SAMPLE_CREATOR, SAMPLE_USDC, TipHarness, tipStates } from '../src/testing/index.js'
import type { TipState } from '../src/token-tip/tip-state.js'
import type { TokenTip } from '../src/token-tip/token-tip.js'

async function mount(state: TipState, attrs: { memo?: string } = {}): Promise<{ el: TokenTip; harness: TipHarness }> {
  const harness = new TipHarness(state)
  const el = await fixture<TokenTip>(
    html`<token-tip to=${SAMPLE_CREATOR} token=${SAMPLE_USDC} amounts="1,5,10" chain="8453" memo=${attrs.memo ?? ''}
      router=${SAMPLE_USDC} .controller=${harness}></token-tip>`,
  )
  return { el, harness }
}

const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: TokenTip) => el.shadowRoot as ShadowRoot
const statusText = (el: TokenTip) => text(root(el).querySelector('[role="status"]'))
const actions = (el: TokenTip) => [...root(el).querySelectorAll<HTMLButtonElement>('[part~="action"]')]
const presets = (el: TokenTip) => [...root(el).querySelectorAll<HTMLButtonElement>('[part~="preset"]')]
const input = (el: TokenTip) => root(el).querySelector<HTMLInputElement>('[part~="input"]')
function nextEvent<K extends keyof GlobalEventHandlersEventMap>(type: K): Promise<GlobalEventHandlersEventMap[K]> {
  return new Promise((resolve) => document.addEventListener(type, resolve, { once: true }))
}

afterEach(() => resetPageConfig())

describe('<token-tip> states', () => {
  const cases: { name: string; state: () => TipState; status: RegExp; action?: RegExp; also?: RegExp[] }[] = [
    { name: 'loading', state: tipStates.loading, status: /Loading/ },
    {
      name: 'no wallet',
      state: tipStates.noWallet,
      status: /No wallet found/,
      action: /Check again/,
      also: [/Find a wallet/],
    },
    {
      name: 'choose wallet',
      state: tipStates.chooseWallet,
      status: /Choose a wallet to send a tip/,
      action: /Dev Wallet/,
    },
    {
      name: 'wrong network',
      state: tipStates.wrongNetwork,
      status: /Switch to Base to tip/,
      action: /^Switch to Base$/,
    },
    {
      name: 'ready (ERC-20, gasless)',
      state: tipStates.ready,
      status: /Send a tip to 0x7099…79C8/,
      action: /^Tip USDC$/,
      also: [/1 USDC/, /5 USDC/, /10 USDC/, /Other amount \(USDC\)/, /You pay no gas/],
    },
    {
      name: 'ready (native coin)',
      state: tipStates.readyNative,
      status: /Send a tip/,
      action: /^Tip ETH$/,
      also: [/0\.01 ETH/, /You pay the network fee \(gas\)/],
    },
    { name: 'signing', state: () => tipStates.signing(), status: /Confirm in your wallet/, also: [/Tip 5 USDC/] },
    { name: 'pending (queued)', state: () => tipStates.pending(), status: /Your tip is queued/, also: [/relay sends/] },
    {
      name: 'pending (submitted, wallet)',
      state: () => tipStates.pending('submitted', 'wallet'),
      status: /waiting for confirmation/,
      also: [/0x9f1c…6789/],
    },
    {
      name: 'success',
      state: () => tipStates.success(),
      status: /Sent 5 USDC to 0x7099…79C8\./,
      action: /Send another tip/,
      also: [/Transaction: 0x9f1c…6789/, /Gas was paid by the relay/],
    },
    { name: 'error', state: () => tipStates.error(), status: /declined in your wallet/, action: /^Try again$/ },
    { name: 'unavailable (Solana)', state: tipStates.unavailable, status: /not available here/ },
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

  it('links the success transaction to the explorer', async () => {
    const { el } = await mount(tipStates.success())
    const link = root(el).querySelector('a') as HTMLAnchorElement
    expect(link.href).to.match(/^https:\/\/basescan\.org\/tx\/0x9f1c/)
  })

  it('shows the memo when one is set', async () => {
    const { el } = await mount(tipStates.ready(), { memo: 'Thanks for the stream' })
    expect(text(root(el))).to.match(/Message: Thanks for the stream/)
  })
})

describe('<token-tip> amounts', () => {
  it('sends the pressed preset', async () => {
    const { el, harness } = await mount(tipStates.ready())
    presets(el)[1]?.click()
    await el.updateComplete
    expect(presets(el)[1]?.getAttribute('aria-pressed')).to.equal('true')
    expect(text(actions(el)[0] ?? null)).to.equal('Tip 5 USDC')
    actions(el)[0]?.click()
    expect(harness.actionsOf('tip')).to.deep.equal([{ type: 'tip', amount: 5_000_000n }])
  })

  it('takes a typed custom amount (labelled field) and Enter sends it', async () => {
    const { el, harness } = await mount(tipStates.ready())
    const field = input(el) as HTMLInputElement
    expect(root(el).querySelector(`label[for="${field.id}"]`)).to.not.equal(null)
    field.focus()
    await sendKeys({ type: '2.5' })
    await el.updateComplete
    expect(text(actions(el)[0] ?? null)).to.equal('Tip 2.5 USDC')
    await sendKeys({ press: 'Enter' })
    expect(harness.actionsOf('tip')).to.deep.equal([{ type: 'tip', amount: 2_500_000n }])
  })

  it('flags a custom amount that is not a number or too precise, and sends nothing', async () => {
    const { el, harness } = await mount(tipStates.ready())
    const field = input(el) as HTMLInputElement
    field.focus()
    await sendKeys({ type: '1.2345678' })
    await el.updateComplete
    expect(field.getAttribute('aria-invalid')).to.equal('true')
    expect(text(root(el).querySelector('#amount-hint'))).to.match(/at most 6 decimals/)
    actions(el)[0]?.click()
    field.value = ''
    field.dispatchEvent(new Event('input'))
    field.focus()
    await sendKeys({ type: 'abc' })
    await el.updateComplete
    expect(field.getAttribute('aria-invalid')).to.equal('true')
    expect(harness.actionsOf('tip')).to.have.length(0)
    await expect(el).to.be.accessible()
  })

  it('asks for an amount when none is chosen', async () => {
    const { el, harness } = await mount(tipStates.ready())
    expect(actions(el)[0]?.getAttribute('aria-disabled')).to.equal('true')
    actions(el)[0]?.click()
    await el.updateComplete
    expect(text(root(el).querySelector('#amount-hint'))).to.match(/Choose or enter an amount/)
    expect(harness.actionsOf('tip')).to.have.length(0)
  })
})

describe('<token-tip> events', () => {
  it('fires token-status, token-success and token-error', async () => {
    const { el, harness } = await mount(tipStates.ready())
    const statuses: string[] = []
    el.addEventListener('token-status', (e: TokenStatusEvent) => statuses.push(e.detail.status))
    const success = nextEvent('token-success')
    harness.setState(tipStates.signing())
    harness.setState(tipStates.success())
    const s: TokenSuccessEvent = await success
    expect(s.detail).to.deep.equal({
      txHash: (tipStates.success() as { txHash: string }).txHash,
      amount: 5_000_000n,
      via: 'relay',
    })
    const error = nextEvent('token-error')
    harness.setState(tipStates.error('GASLESS_UNSUPPORTED'))
    const e: TokenErrorEvent = await error
    expect(e.detail).to.deep.equal({
      code: 'GASLESS_UNSUPPORTED',
      message: 'This cannot be done without gas here.',
    })
    expect(statuses).to.deep.equal(['signing', 'success', 'error'])
  })

  it('wires wallet, network, retry and "send another" buttons to the controller', async () => {
    const { el, harness } = await mount(tipStates.chooseWallet())
    actions(el)[1]?.click()
    harness.setState(tipStates.wrongNetwork())
    await el.updateComplete
    actions(el)[0]?.click()
    harness.setState(tipStates.success())
    await el.updateComplete
    actions(el)[0]?.click()
    expect(harness.actions.map((a) => a.type)).to.deep.equal(['start', 'chooseWallet', 'switchChain', 'retry'])
    expect(harness.target).to.deep.include({
      to: SAMPLE_CREATOR,
      token: SAMPLE_USDC,
      amounts: ['1', '5', '10'],
      chainId: 8453,
    })
  })
})

describe('<token-tip> bad attributes', () => {
  const bad: { name: string; attrs: Record<string, string>; message: RegExp }[] = [
    { name: 'a missing recipient', attrs: { to: '' }, message: /to attribute is missing/ },
    { name: 'a malformed address', attrs: { to: '0x1234' }, message: /"0x1234" is not an address/ },
    { name: 'a malformed Solana address', attrs: { to: 'sol:0OIl' }, message: /is not an address/ },
    { name: 'an unknown token', attrs: { token: 'DOGE' }, message: /token "DOGE" is unknown/ },
    {
      name: 'amounts that are not numbers',
      attrs: { amounts: '1,five,10' },
      message: /"five" in amounts is not a positive number/,
    },
    { name: 'a zero amount', attrs: { amounts: '0' }, message: /"0" in amounts/ },
    { name: 'a bad chain', attrs: { chain: 'base' }, message: /chain "base" is not a chain id/ },
    { name: 'a memo without a router', attrs: { memo: 'hi', router: '' }, message: /memo attribute needs the router/ },
    { name: 'a bad gasless mode', attrs: { gasless: 'maybe' }, message: /gasless attribute "maybe"/ },
    {
      name: 'a Solana token for an EVM recipient',
      attrs: { token: 'sol:EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v' },
      message: /cannot receive a Solana token/,
    },
  ]
  for (const c of bad) {
    it(`shows INVALID_ATTRIBUTE for ${c.name}`, async () => {
      const event = nextEvent('token-error')
      const el = document.createElement('token-tip')
      const attrs = {
        to: SAMPLE_CREATOR,
        token: SAMPLE_USDC,
        amounts: '1,5',
        chain: '8453',
        router: SAMPLE_USDC,
        ...c.attrs,
      }
      for (const [k, v] of Object.entries(attrs)) if (v) el.setAttribute(k, v)
      el.controller = new TipHarness(tipStates.ready())
      document.body.append(el)
      try {
        const e: TokenErrorEvent = await event
        await el.updateComplete
        expect(e.detail.code).to.equal('INVALID_ATTRIBUTE')
        expect(e.detail.message).to.match(c.message)
        expect(el.state.status).to.equal('error')
        expect(statusText(el)).to.match(c.message)
        expect(actions(el)).to.have.length(0)
        await expect(el).to.be.accessible()
      } finally {
        el.remove()
      }
    })
  }

  it('says plainly what a Solana tip needs when the page has no Solana setup (default controller)', async () => {
    const el = await fixture<TokenTip>(
      html`<token-tip to="sol:9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin" token="native" amounts="0.1"></token-tip>`,
    )
    const { configureTokenTags } = await import('../src/internal/config.js')
    configureTokenTags({ chains: [{ id: 8453, rpcUrl: 'http://127.0.0.1:1' }] })
    const started = Date.now()
    while (el.state.status !== 'error' && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 50))
    await el.updateComplete
    expect(el.state).to.include({ status: 'error', code: 'CHAIN_NOT_CONFIGURED', retryable: false })
    expect(text(root(el))).to.match(/solana-rpc/)
    await expect(el).to.be.accessible()
  })
})

describe('<token-tip> languages', () => {
  for (const locale of ['es', 'fr', 'de', 'ar'])
    it(`speaks ${locale} (ready and success)`, async () => {
      const harness = new TipHarness(tipStates.ready())
      const el = await fixture<TokenTip>(
        html`<token-tip locale=${locale} to=${SAMPLE_CREATOR} token=${SAMPLE_USDC} amounts="1,5" chain="8453" .controller=${harness}></token-tip>`,
      )
      await el.updateComplete
      expect(statusText(el)).to.not.match(/Send a tip/)
      expect(text(root(el))).to.not.match(/\{\w+\}/)
      expect(el.getAttribute('dir')).to.equal(locale === 'ar' ? 'rtl' : 'ltr')
      await expect(el).to.be.accessible()
      harness.setState(tipStates.success())
      await el.updateComplete
      expect(text(root(el))).to.not.match(/\{\w+\}|Sent /)
    })
})

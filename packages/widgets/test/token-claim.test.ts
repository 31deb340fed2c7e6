import { expect, fixture, html } from '@open-wc/testing'
import { emulateMedia, sendKeys } from '@web/test-runner-commands'
import '../src/define.js'
import type { ClaimState, TokenClaim, TokenErrorEvent, TokenStatusEvent, TokenSuccessEvent } from '../src/index.js'
import { configureTokenTags, resetPageConfig } from '../src/internal/config.js'
import { formatDate } from '../src/internal/format.js'
import { ClaimHarness, claimStates, SAMPLE_TX_HASH, SAMPLE_VAULT } from '../src/testing/index.js'

async function mount(state: ClaimState): Promise<{ el: TokenClaim; harness: ClaimHarness }> {
  const harness = new ClaimHarness(state)
  const el = await fixture<TokenClaim>(
    html`<token-claim vault=${SAMPLE_VAULT} chain="8453" .controller=${harness}></token-claim>`,
  )
  return { el, harness }
}

const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: TokenClaim) => el.shadowRoot as ShadowRoot
const statusText = (el: TokenClaim) => text(root(el).querySelector('[role="status"]'))
const actions = (el: TokenClaim) => [...root(el).querySelectorAll<HTMLButtonElement>('[part~="action"]')]

/** Resolves with the next event of `type` dispatched anywhere on the page. */
function nextEvent<K extends keyof GlobalEventHandlersEventMap>(type: K): Promise<GlobalEventHandlersEventMap[K]> {
  return new Promise((resolve) => document.addEventListener(type, resolve, { once: true }))
}

// @open-wc/testing removes fixtures after each test by itself.
afterEach(() => resetPageConfig())

describe('<token-claim> states', () => {
  const cases: { name: string; state: () => ClaimState; status: RegExp; action?: RegExp; also?: RegExp[] }[] = [
    { name: 'loading', state: claimStates.loading, status: /Loading your vesting/ },
    {
      name: 'no wallet',
      state: claimStates.noWallet,
      status: /No wallet found/,
      action: /Check again/,
      also: [/needs a browser wallet/, /Find a wallet/],
    },
    {
      name: 'choose wallet',
      state: claimStates.chooseWallet,
      status: /Choose a wallet/,
      action: /TokenTags Dev Wallet \(dev only\)/,
      also: [/Example Wallet/],
    },
    {
      name: 'wrong network',
      state: claimStates.wrongNetwork,
      status: /Switch to Base to claim/,
      action: /^Switch to Base$/,
    },
    {
      name: 'nothing to claim',
      state: claimStates.nothingToClaim,
      status: /Nothing to claim yet/,
      action: /Check again/,
      also: [/Next unlock: 250 TAG on/, /400 TAG of 1,000 TAG vested \(40%\)/],
    },
    {
      name: 'claimable',
      state: claimStates.claimable,
      status: /150 TAG ready to claim/,
      action: /^Claim 150 TAG$/,
      also: [/You pay no gas/],
    },
    { name: 'signing', state: claimStates.signing, status: /Confirm in your wallet/ },
    { name: 'pending (queued, relay)', state: () => claimStates.pending(), status: /queued/, also: [/You pay no gas/] },
    {
      name: 'pending (submitted, wallet)',
      state: () => claimStates.pending('submitted', 'wallet'),
      status: /Transaction submitted, waiting for confirmation/,
      also: [/Transaction: 0x9f1c…6789/],
    },
    { name: 'success', state: claimStates.success, status: /Claimed 150 TAG\./, also: [/0x9f1c…6789/] },
    { name: 'error', state: claimStates.error, status: /declined in your wallet/, action: /^Try again$/ },
  ]

  for (const c of cases) {
    it(`draws ${c.name} with its words${c.action ? ' and its action button' : ''}`, async () => {
      const { el } = await mount(c.state())
      expect(statusText(el)).to.match(c.status)
      for (const re of c.also ?? []) expect(text(root(el))).to.match(re)
      const buttons = actions(el)
      if (c.action) {
        expect(buttons.length).to.be.greaterThan(0)
        expect(buttons[0]?.tagName).to.equal('BUTTON')
        expect(text(buttons[0] ?? null)).to.match(c.action)
      } else {
        expect(buttons).to.have.length(0)
      }
      expect(root(el).querySelector('[part~="container"]')?.getAttribute('data-status')).to.equal(c.state().status)
      // Strict CSP (style-src 'self'): no inline style attributes anywhere.
      expect(root(el).querySelectorAll('[style]')).to.have.length(0)
      await expect(el).to.be.accessible()
    })
  }

  it('shows the next unlock date with Intl', async () => {
    const { el } = await mount(claimStates.nothingToClaim())
    const time = root(el).querySelector('time')
    const timestamp = Date.UTC(2030, 0, 1) / 1000
    expect(time?.getAttribute('datetime')).to.equal('2030-01-01T00:00:00.000Z')
    expect(text(time)).to.equal(formatDate(timestamp))
    expect(text(root(el).querySelector('[part~="amount"]'))).to.equal('250 TAG')
  })

  it('exposes vested / total on an accessible progress bar', async () => {
    const { el } = await mount(claimStates.claimable())
    const progress = root(el).querySelector('progress[part~="progress"]') as HTMLProgressElement
    expect(progress.value).to.equal(40)
    expect(progress.max).to.equal(100)
    expect(progress.getAttribute('aria-label')).to.equal('Vested')
    expect(progress.getAttribute('aria-valuetext')).to.equal('400 TAG of 1,000 TAG vested (40%)')
    expect(text(root(el).querySelector('[part~="amount"]'))).to.equal('150 TAG')
  })

  it('lists wallets as buttons with name and icon', async () => {
    const { el, harness } = await mount(claimStates.chooseWallet())
    const list = root(el).querySelector('[part~="wallet-list"]')
    expect(list?.tagName).to.equal('UL')
    const buttons = actions(el)
    expect(buttons.map((b) => text(b))).to.deep.equal(['TokenTags Dev Wallet (dev only)', 'Example Wallet'])
    expect(buttons[0]?.querySelector('img')?.getAttribute('src')).to.match(/^data:image\/svg\+xml/)
    expect(buttons[0]?.querySelector('img')?.getAttribute('alt')).to.equal('')
    buttons[1]?.click()
    expect(harness.actionsOf('chooseWallet')).to.deep.equal([{ type: 'chooseWallet', walletId: 'com.example.wallet' }])
  })

  it('links the shortened transaction hash to the explorer', async () => {
    const { el } = await mount(claimStates.success())
    const link = root(el).querySelector('a') as HTMLAnchorElement
    expect(link.href).to.equal(`https://basescan.org/tx/${SAMPLE_TX_HASH}`)
    expect(text(link)).to.equal('0x9f1c…6789')
    expect(link.rel).to.contain('noopener')
  })

  it('shows the hash without a link when the chain has no explorer', async () => {
    const { el } = await mount(claimStates.success({ explorerUrl: undefined }))
    expect(root(el).querySelector('a')).to.equal(null)
    expect(text(root(el).querySelector('code'))).to.equal('0x9f1c…6789')
  })

  it('has no Retry button for errors a retry cannot fix', async () => {
    const { el } = await mount(claimStates.error('INVALID_PARAMETER', 'This widget is set up incorrectly.', false))
    expect(actions(el)).to.have.length(0)
    expect(text(root(el).querySelector('[part~="error"]'))).to.equal('This widget is set up incorrectly.')
  })

  it('wires each action button to the controller', async () => {
    const { el, harness } = await mount(claimStates.claimable())
    actions(el)[0]?.click()
    harness.setState(claimStates.wrongNetwork())
    await el.updateComplete
    actions(el)[0]?.click()
    harness.setState(claimStates.error())
    await el.updateComplete
    actions(el)[0]?.click()
    expect(harness.actions.map((a) => a.type)).to.deep.equal(['start', 'claim', 'switchChain', 'retry'])
    expect(harness.target).to.deep.equal({ vault: SAMPLE_VAULT, chainId: 8453 })
  })
})

describe('<token-claim> events and live region', () => {
  it('fires token-status on each change and announces it in the live region', async () => {
    const { el, harness } = await mount(claimStates.claimable())
    const live = root(el).querySelector('[role="status"]')
    const statuses: string[] = []
    el.addEventListener('token-status', (e: TokenStatusEvent) => statuses.push(e.detail.status))
    harness.setState(claimStates.signing())
    await el.updateComplete
    expect(root(el).querySelector('[role="status"]')).to.equal(live)
    expect(text(live)).to.match(/Confirm in your wallet/)
    harness.setState(claimStates.pending('submitted'))
    await el.updateComplete
    expect(statuses).to.deep.equal(['signing', 'pending'])
  })

  it('fires token-success (bubbling, composed) with txHash, amount and via', async () => {
    const { el, harness } = await mount(claimStates.pending())
    const event = nextEvent('token-success')
    harness.setState(claimStates.success())
    const e: TokenSuccessEvent = await event
    expect(e.bubbles && e.composed).to.equal(true)
    expect(e.target).to.equal(el)
    expect(e.detail).to.deep.equal({ txHash: SAMPLE_TX_HASH, amount: 150n * 10n ** 18n, via: 'relay' })
  })

  it('fires token-error with the code and the message shown', async () => {
    const { harness } = await mount(claimStates.signing())
    const event = nextEvent('token-error')
    harness.setState(claimStates.error('RELAY_UNREACHABLE', 'The gasless service could not be reached.'))
    const e: TokenErrorEvent = await event
    expect(e.detail).to.deep.equal({ code: 'RELAY_UNREACHABLE', message: 'The gasless service could not be reached.' })
  })

  it('fires token-error again when the code changes, not when the same error is drawn again', async () => {
    const { el, harness } = await mount(claimStates.signing())
    const codes: string[] = []
    // Listeners run inside dispatchEvent, which the controller's setState reaches synchronously.
    el.addEventListener('token-error', (e: TokenErrorEvent) => codes.push(e.detail.code))
    harness.setState(claimStates.error('USER_REJECTED'))
    expect(codes).to.deep.equal(['USER_REJECTED'])
    harness.setState(claimStates.error('RELAY_UNREACHABLE', 'The gasless service could not be reached.'))
    expect(codes).to.deep.equal(['USER_REJECTED', 'RELAY_UNREACHABLE'])
    // The same error as a new state object, and a re-render: nothing new happened, no event.
    harness.setState(claimStates.error('RELAY_UNREACHABLE', 'The gasless service could not be reached.'))
    el.requestUpdate()
    await el.updateComplete
    expect(codes).to.deep.equal(['USER_REJECTED', 'RELAY_UNREACHABLE'])
    expect(statusText(el)).to.match(/gasless service could not be reached/)
    // Leaving the error and meeting the same code again is a new error.
    harness.setState(claimStates.signing())
    harness.setState(claimStates.error('RELAY_UNREACHABLE', 'The gasless service could not be reached.'))
    expect(codes).to.deep.equal(['USER_REJECTED', 'RELAY_UNREACHABLE', 'RELAY_UNREACHABLE'])
  })
})

describe('<token-claim> attributes', () => {
  it('shows INVALID_ATTRIBUTE for a vault that is not an address', async () => {
    const event = nextEvent('token-error')
    const el = await fixture<TokenClaim>(html`<token-claim vault="0x1234" chain="8453"></token-claim>`)
    const e = await event
    expect(e.detail.code).to.equal('INVALID_ATTRIBUTE')
    expect(e.detail.message).to.match(/vault "0x1234" is not an address/)
    expect(el.state.status).to.equal('error')
    expect(text(root(el).querySelector('[part~="error"]'))).to.equal(e.detail.message)
    await expect(el).to.be.accessible()
  })

  for (const chain of ['base', '0', '-1', '1.5', '']) {
    it(`shows INVALID_ATTRIBUTE for chain="${chain}"`, async () => {
      const event = nextEvent('token-error')
      const el = await fixture<TokenClaim>(html`<token-claim vault=${SAMPLE_VAULT} chain=${chain}></token-claim>`)
      const e = await event
      expect(e.detail.code).to.equal('INVALID_ATTRIBUTE')
      expect(statusText(el)).to.match(/chain/)
    })
  }

  it('passes a valid gasless mode to the controller', async () => {
    const harness = new ClaimHarness()
    await fixture(
      html`<token-claim vault=${SAMPLE_VAULT} chain="8453" gasless="never" .controller=${harness}></token-claim>`,
    )
    expect(harness.target).to.deep.equal({ vault: SAMPLE_VAULT, chainId: 8453, gasless: 'never' })
  })

  it('shows INVALID_ATTRIBUTE for an unknown gasless mode', async () => {
    const event = nextEvent('token-error')
    await fixture<TokenClaim>(html`<token-claim vault=${SAMPLE_VAULT} chain="8453" gasless="maybe"></token-claim>`)
    expect((await event).detail.message).to.match(/gasless/)
  })

  it('validates attributes even with a controller, and recovers when they are fixed', async () => {
    const harness = new ClaimHarness(claimStates.claimable())
    const el = await fixture<TokenClaim>(
      html`<token-claim vault="nope" chain="8453" .controller=${harness}></token-claim>`,
    )
    expect(el.state.status).to.equal('error')
    expect(harness.actionsOf('start')).to.have.length(0)
    el.setAttribute('vault', SAMPLE_VAULT)
    await el.updateComplete
    expect(el.state.status).to.equal('claimable')
    expect(harness.actionsOf('start')).to.have.length(1)
  })

  it('shows CHAIN_NOT_CONFIGURED when the page has no RPC for the chain', async () => {
    configureTokenTags({ chains: [{ id: 31337, rpcUrl: 'http://127.0.0.1:8545' }] })
    const event = nextEvent('token-error')
    const el = await fixture<TokenClaim>(html`<token-claim vault=${SAMPLE_VAULT} chain="8453"></token-claim>`)
    const e = await event
    expect(e.detail.code).to.equal('CHAIN_NOT_CONFIGURED')
    expect(e.detail.message).to.match(/8453=<RPC URL>/)
    expect(actions(el)).to.have.length(0)
    await expect(el).to.be.accessible()
  })

  it('waits for a <tokentags-config> added after it', async () => {
    const container = await fixture<HTMLDivElement>(
      html`<div><token-claim vault=${SAMPLE_VAULT} chain="10"></token-claim></div>`,
    )
    const el = container.querySelector('token-claim') as TokenClaim
    await el.updateComplete
    expect(el.state.status).to.equal('loading')
    const event = nextEvent('token-error')
    const config = document.createElement('tokentags-config')
    config.setAttribute('rpc', '31337=http://127.0.0.1:8545')
    container.append(config)
    expect((await event).detail.code).to.equal('CHAIN_NOT_CONFIGURED')
  })
})

describe('<token-claim> keyboard', () => {
  it('reaches the action with Tab and presses it with Enter and Space', async () => {
    const harness = new ClaimHarness(claimStates.claimable())
    const wrapper = await fixture<HTMLDivElement>(
      html`<div><button>before</button><token-claim vault=${SAMPLE_VAULT} chain="8453" .controller=${harness}></token-claim></div>`,
    )
    const el = wrapper.querySelector('token-claim') as TokenClaim
    await el.updateComplete
    ;(wrapper.querySelector('button') as HTMLButtonElement).focus()
    await sendKeys({ press: 'Tab' })
    const focused = root(el).activeElement
    expect(focused?.getAttribute('part')).to.equal('action')
    expect(focused?.matches(':focus-visible')).to.equal(true)
    await sendKeys({ press: 'Enter' })
    await sendKeys({ press: 'Space' })
    expect(harness.actionsOf('claim')).to.have.length(2)
  })

  it('keeps focus in the widget when the pressed button goes away', async () => {
    const harness = new ClaimHarness(claimStates.claimable(), {
      onAction: (action, h) => action.type === 'claim' && h.setState(claimStates.signing()),
    })
    const el = await fixture<TokenClaim>(
      html`<token-claim vault=${SAMPLE_VAULT} chain="8453" .controller=${harness}></token-claim>`,
    )
    ;(document.activeElement as HTMLElement | null)?.blur()
    await sendKeys({ press: 'Tab' })
    await sendKeys({ press: 'Enter' })
    await el.updateComplete
    expect(root(el).activeElement?.getAttribute('part')).to.equal('status')
    harness.setState(claimStates.error())
    await el.updateComplete
    // The status line kept focus; Tab goes on to "Try again".
    await sendKeys({ press: 'Tab' })
    expect(text(root(el).activeElement)).to.equal('Try again')
  })

  it('moves focus to the action of the next state when there is one', async () => {
    const harness = new ClaimHarness(claimStates.chooseWallet(), {
      onAction: (action, h) => action.type === 'chooseWallet' && h.setState(claimStates.claimable()),
    })
    const el = await fixture<TokenClaim>(
      html`<token-claim vault=${SAMPLE_VAULT} chain="8453" .controller=${harness}></token-claim>`,
    )
    ;(document.activeElement as HTMLElement | null)?.blur()
    await sendKeys({ press: 'Tab' })
    await sendKeys({ press: 'Space' })
    await el.updateComplete
    expect(text(root(el).activeElement)).to.equal('Claim 150 TAG')
  })

  it('tabs through every wallet in the list', async () => {
    const harness = new ClaimHarness(claimStates.chooseWallet())
    const el = await fixture<TokenClaim>(
      html`<token-claim vault=${SAMPLE_VAULT} chain="8453" .controller=${harness}></token-claim>`,
    )
    ;(document.activeElement as HTMLElement | null)?.blur()
    await sendKeys({ press: 'Tab' })
    await sendKeys({ press: 'Tab' })
    expect(text(root(el).activeElement)).to.equal('Example Wallet')
    await sendKeys({ press: 'Enter' })
    expect(harness.actionsOf('chooseWallet')[0]?.walletId).to.equal('com.example.wallet')
  })
})

describe('<token-claim> styles', () => {
  it('keeps its styles in the shadow root, in a cascade layer, with public tokens', async () => {
    const headStyles = document.head.querySelectorAll('style').length
    const { el } = await mount(claimStates.claimable())
    expect(document.head.querySelectorAll('style').length).to.equal(headStyles)
    const sheets = root(el).adoptedStyleSheets
    expect(sheets.length).to.be.greaterThan(0)
    const cssText = sheets.flatMap((s) => [...s.cssRules].map((r) => r.cssText)).join('\n')
    expect(cssText).to.contain('@layer tokentags')
    expect(cssText).to.contain('--tokentags-accent')
    expect(cssText).to.contain('prefers-color-scheme: dark')
  })

  it('follows prefers-color-scheme, light and dark, both accessible', async () => {
    const { el } = await mount(claimStates.claimable())
    const card = root(el).querySelector('[part~="container"]') as HTMLElement
    await emulateMedia({ colorScheme: 'light' })
    expect(getComputedStyle(card).backgroundColor).to.equal('rgb(255, 255, 255)')
    await emulateMedia({ colorScheme: 'dark' })
    try {
      expect(getComputedStyle(card).backgroundColor).to.equal('rgb(17, 24, 39)')
      expect(getComputedStyle(card).color).to.equal('rgb(249, 250, 251)')
      await expect(el).to.be.accessible()
    } finally {
      await emulateMedia({ colorScheme: 'light' })
    }
  })

  it('lets the page theme it through --tokentags-* properties', async () => {
    const { el } = await mount(claimStates.claimable())
    el.style.setProperty('--tokentags-accent', 'rgb(1, 2, 3)')
    const button = actions(el)[0] as HTMLButtonElement
    expect(getComputedStyle(button).backgroundColor).to.equal('rgb(1, 2, 3)')
  })

  it('inherits the page font', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div class="font-probe"><token-claim vault=${SAMPLE_VAULT} chain="8453" .controller=${new ClaimHarness(claimStates.claimable())}></token-claim></div>`,
    )
    wrapper.style.fontFamily = 'Georgia, serif'
    const el = wrapper.querySelector('token-claim') as TokenClaim
    await el.updateComplete
    expect(getComputedStyle(actions(el)[0] as HTMLButtonElement).fontFamily).to.equal('Georgia, serif')
  })
})

describe('<token-claim> Check an address, in every shipped language', () => {
  const root = (el: Element) => el.shadowRoot as ShadowRoot
  const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
  for (const locale of ['en', 'de', 'fr', 'es', 'ar'] as const)
    it(`${locale}: the button, the form, an invalid address and the answer have their words`, async () => {
      const { LOOKUP_WORDS } = await import('../src/token-claim/address-lookup.js')
      const words = LOOKUP_WORDS[locale]
      const harness = new ClaimHarness(claimStates.chooseWallet())
      const el = await fixture<TokenClaim>(
        html`<token-claim locale=${locale} vault=${SAMPLE_VAULT} chain="8453" .controller=${harness}></token-claim>`,
      )
      await el.updateComplete
      const open = root(el).querySelector<HTMLButtonElement>('[part~="lookup-open"]')
      expect(text(open)).to.equal(words.open)
      open?.click()
      await el.updateComplete
      const field = root(el).querySelector<HTMLInputElement>('[part~="lookup"] input') as HTMLInputElement
      expect(text(root(el).querySelector('label[for="lookup-address"]'))).to.equal(words.label)
      field.value = 'not an address'
      field.dispatchEvent(new Event('input'))
      root(el).querySelector<HTMLButtonElement>('[part~="lookup-check"]')?.click()
      await el.updateComplete
      expect(text(root(el).querySelector('#lookup-hint'))).to.equal(words.invalid)
      expect(harness.actionsOf('lookup')).to.have.length(0)
      field.value = ' 0x70997970C51812DC3A010C7D01B50E0D17DC79C8 '
      field.dispatchEvent(new Event('input'))
      root(el).querySelector<HTMLButtonElement>('[part~="lookup-check"]')?.click()
      expect(harness.actionsOf('lookup')).to.deep.equal([
        { type: 'lookup', address: '0x70997970C51812DC3A010C7D01B50E0D17DC79C8' },
      ])
      harness.setState(claimStates.lookup())
      await el.updateComplete
      const answer = text(root(el).querySelector('[part~="lookup-result"]'))
      for (const word of [words.claimed, words.claimableNow, words.note]) expect(answer).to.contain(word)
      await expect(el).to.be.accessible()
    })
})

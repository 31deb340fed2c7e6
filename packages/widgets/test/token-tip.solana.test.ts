// <token-tip to="sol:…">: every Solana state drawn through the harness (words, controls, axe), and the default
// controller's Solana path without a wallet or without the page's Solana settings. No ledger here: see
// token-tip.solana.chain.test.ts.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import '../src/token-tip/define.js'
import type { TokenErrorEvent, TokenSuccessEvent } from '../src/events.js'
import { configureTokenTags, resetPageConfig } from '../src/internal/config.js'
import { SAMPLE_SOLANA_CREATOR, SAMPLE_SOLANA_MINT, TipHarness, tipStates } from '../src/testing/index.js'
import type { TipState } from '../src/token-tip/tip-state.js'
import type { TokenTip } from '../src/token-tip/token-tip.js'

const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: TokenTip) => el.shadowRoot as ShadowRoot
const statusText = (el: TokenTip) => text(root(el).querySelector('[role="status"]'))
const actions = (el: TokenTip) => [...root(el).querySelectorAll<HTMLButtonElement>('[part~="action"]')]

async function mount(state: TipState, token = ''): Promise<{ el: TokenTip; harness: TipHarness }> {
  const harness = new TipHarness(state)
  const el = await fixture<TokenTip>(
    html`<token-tip to=${SAMPLE_SOLANA_CREATOR} token=${token} amounts="0.1,0.5,1" .controller=${harness}></token-tip>`,
  )
  return { el, harness }
}

afterEach(() => resetPageConfig())

describe('<token-tip> Solana states', () => {
  const cases: { name: string; state: () => TipState; status: RegExp; action?: RegExp; also?: RegExp[] }[] = [
    {
      name: 'no Solana wallet',
      state: tipStates.noWallet,
      status: /^No Solana wallet found\.$/,
      action: /Check again/,
      also: [/needs a Solana wallet/, /Find a wallet/],
    },
    {
      name: 'choose a Solana wallet',
      state: tipStates.solanaChooseWallet,
      status: /Choose a Solana wallet to send a tip/,
      action: /TokenTags Dev Solana Wallet/,
    },
    {
      name: 'ready (SOL)',
      state: tipStates.solanaReady,
      status: /Send a tip to 9xQeWv…VFin/,
      action: /^Tip SOL$/,
      also: [/0\.1 SOL/, /0\.5 SOL/, /1 SOL/, /Other amount \(SOL\)/, /You pay no network fee: the relay pays it/],
    },
    {
      name: 'ready (SPL token)',
      state: tipStates.solanaReadySpl,
      status: /Send a tip to/,
      action: /^Tip EPjFWd…Dt1v$/,
      also: [/Other amount \(EPjFWd…Dt1v\)/, /You pay no network fee/],
    },
    { name: 'signing', state: tipStates.solanaSigning, status: /Confirm in your wallet/, also: [/Tip 0\.5 SOL/] },
    {
      name: 'pending',
      state: tipStates.solanaPending,
      status: /waiting for confirmation/,
      also: [/You pay no fee: the relay pays the network fee/, /5VERv8…kQUW/],
    },
    {
      name: 'success',
      state: tipStates.solanaSuccess,
      status: /Sent 0\.5 SOL to 9xQeWv…VFin\./,
      action: /Send another tip/,
      also: [/5VERv8…kQUW/, /The network fee was paid by the relay/],
    },
    {
      name: 'error',
      state: () => tipStates.error('USER_REJECTED'),
      status: /rejected|declined|cancel/i,
      action: /Try again/,
    },
  ]

  for (const c of cases) {
    it(`draws ${c.name}, accessibly`, async () => {
      const { el } = await mount(c.state(), c.name === 'ready (SPL token)' ? SAMPLE_SOLANA_MINT : '')
      expect(statusText(el)).to.match(c.status)
      if (c.action) expect(actions(el).some((b) => c.action?.test(text(b)))).to.equal(true)
      for (const re of c.also ?? []) expect(text(root(el))).to.match(re)
      await expect(el).to.be.accessible()
    })
  }

  it('lists wallets with their icons and passes the pick to the controller', async () => {
    const { el, harness } = await mount(tipStates.solanaChooseWallet())
    const icon = root(el).querySelector<HTMLImageElement>('[part~="icon"]')
    expect(icon?.getAttribute('src')).to.match(/^data:image\//)
    actions(el)[0]?.click()
    expect(harness.actionsOf('chooseWallet')[0]).to.deep.include({ walletId: 'TokenTags Dev Solana Wallet (dev only)' })
  })

  it('links the signature to the configured explorer and fires token-success with the signature', async () => {
    const { el, harness } = await mount(tipStates.solanaReady())
    const success = new Promise<TokenSuccessEvent>((resolve) =>
      el.addEventListener('token-success', resolve, { once: true }),
    )
    harness.setState(tipStates.solanaSuccess())
    const event = await success
    expect(event.detail.signature).to.match(/^5VERv8/)
    expect(event.detail.txHash).to.equal(event.detail.signature)
    await el.updateComplete
    const link = root(el).querySelector<HTMLAnchorElement>('a[part~="hash"]')
    expect(link?.href).to.equal(`https://explorer.solana.com/tx/${event.detail.signature}?cluster=devnet`)
  })

  it('speaks the Solana words in every language', async () => {
    for (const [locale, re] of [
      ['es', /billetera de Solana/],
      ['fr', /portefeuille Solana/],
      ['de', /Solana-Wallet/],
      ['ar', /سولانا/],
    ] as const) {
      const harness = new TipHarness(tipStates.noWallet())
      const el = await fixture<TokenTip>(
        html`<token-tip locale=${locale} to=${SAMPLE_SOLANA_CREATOR} .controller=${harness}></token-tip>`,
      )
      await waitUntil(() => re.test(text(root(el))), `${locale}: ${text(root(el))}`)
      await expect(el).to.be.accessible()
    }
  })

  it('rejects a malformed sol: address with INVALID_ATTRIBUTE', async () => {
    const errors: TokenErrorEvent[] = []
    document.addEventListener('token-error', (e) => errors.push(e), { once: true })
    const el = await fixture<TokenTip>(html`<token-tip to="sol:0OIl-not-base58"></token-tip>`)
    expect(el.state).to.include({ status: 'error', code: 'INVALID_ATTRIBUTE' })
    expect(errors[0]?.detail.code).to.equal('INVALID_ATTRIBUTE')
    await expect(el).to.be.accessible()
    const mint = await fixture<TokenTip>(html`<token-tip to=${SAMPLE_SOLANA_CREATOR} token="sol:xyz"></token-tip>`)
    expect(mint.state).to.include({ status: 'error', code: 'INVALID_ATTRIBUTE' })
  })
})

describe('<token-tip> Solana path of the default controller', () => {
  it('says there is no Solana wallet, without loading any Solana code', async () => {
    configureTokenTags({ chains: [], relayUrl: 'http://127.0.0.1:9', solanaRpcUrl: 'http://127.0.0.1:9' })
    const el = await fixture<TokenTip>(html`<token-tip to=${SAMPLE_SOLANA_CREATOR} amounts="0.1"></token-tip>`)
    await waitUntil(() => el.state.status === 'no-wallet', `still ${el.state.status}`, { timeout: 5000 })
    await el.updateComplete
    expect(statusText(el)).to.equal('No Solana wallet found.')
    await expect(el).to.be.accessible()
    const loaded = performance.getEntriesByType('resource').map((e) => e.name)
    expect(loaded.filter((name) => /solana-api|core\/dist\/solana/.test(name))).to.deep.equal([])
  })

  it('asks the page for solana-rpc and relay', async () => {
    configureTokenTags({ chains: [] })
    const el = await fixture<TokenTip>(html`<token-tip to=${SAMPLE_SOLANA_CREATOR}></token-tip>`)
    expect(el.state).to.include({ status: 'error', code: 'CHAIN_NOT_CONFIGURED', retryable: false })
    await el.updateComplete
    expect(text(root(el))).to.match(/solana-rpc/)
    await expect(el).to.be.accessible()
  })
})

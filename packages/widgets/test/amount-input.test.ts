// Amounts typed in the visitor's language (issue 15, item 3), and the balance with Max (item 7), in <token-tip> and
// <token-buy> through their harnesses: what reaches the controller is exactly what the visitor meant, and nothing
// reaches it when the text is ambiguous or above the balance.
import { expect, fixture, html, waitUntil } from '@open-wc/testing'
import '../src/token-buy/define.js'
import '../src/token-tip/define.js'
import type { TokenStatusEvent } from '../src/events.js'
import {
  BuyHarness,
  buyStates,
  SAMPLE_CREATOR,
  SAMPLE_SALE,
  SAMPLE_USDC,
  sampleOffer,
  TipHarness,
} from '../src/testing/index.js'
import type { TokenBuy } from '../src/token-buy/token-buy.js'
import type { SpendBalance, TipOffer } from '../src/token-tip/tip-state.js'
import type { TokenTip } from '../src/token-tip/token-tip.js'

const USDC = 10n ** 6n
const ETH = 10n ** 18n
const NNBSP = '\u202f'

const text = (node: Element | ShadowRoot | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim()
const root = (el: Element) => el.shadowRoot as ShadowRoot
const field = (el: Element) => root(el).querySelector<HTMLInputElement>('[part~="input"]') as HTMLInputElement
const hint = (el: Element) => text(root(el).querySelector('.field [part~="note"]'))
const mainAction = (el: Element) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('[part~="action"]')].find(
    (b) => !b.classList.contains('secondary'),
  ) as HTMLButtonElement

async function mountTip(locale: string, offer: Partial<TipOffer> = {}) {
  const harness = new TipHarness({ status: 'ready', offer: sampleOffer(offer) })
  const el = await fixture<TokenTip>(
    html`<token-tip locale=${locale} to=${SAMPLE_CREATOR} token=${SAMPLE_USDC} amounts="1,5,10" chain="8453"
      .controller=${harness}></token-tip>`,
  )
  await el.updateComplete
  // The language's words load lazily: wait until they are drawn.
  if (!locale.startsWith('en')) await waitUntil(() => root(el).querySelector('[lang]')?.getAttribute('lang') !== 'en')
  return { el, harness }
}

async function type(el: TokenTip | TokenBuy, value: string): Promise<void> {
  const input = field(el)
  input.value = value
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }))
  await el.updateComplete
}

/** Types `value` and presses the main button; the amounts the controller was asked to tip. */
async function tipTyped(locale: string, value: string) {
  const { el, harness } = await mountTip(locale)
  await type(el, value)
  mainAction(el).click()
  await el.updateComplete
  return { el, tipped: harness.actionsOf('tip').map((a) => a.amount) }
}

describe('amounts typed in the widget language', () => {
  // [locale, typed, USDC base units]: the separators as Intl.NumberFormat writes them, and ASCII digits everywhere.
  const accepted: [string, string, bigint][] = [
    ['en', '0.05', 50_000n],
    ['en', '1,000', 1000n * USDC],
    ['de', '0,05', 50_000n],
    ['de', '1.000', 1000n * USDC],
    ['de', '1.234,5', 1_234_500_000n],
    ['fr', '0,05', 50_000n],
    ['fr', `1${NNBSP}000,5`, 1_000_500_000n],
    ['fr', '1 000,5', 1_000_500_000n],
    ['es', '0,05', 50_000n],
    ['es', '12.345,67', 12_345_670_000n],
    ['ar', '0.05', 50_000n],
    ['ar', '١٫٥', 1_500_000n],
    ['ar-EG', '٠٫٠٥', 50_000n],
    ['ar-EG', '١٬٢٣٤٫٥', 1_234_500_000n],
    ['ar-EG', '1٫5', 1_500_000n],
  ]
  for (const [locale, typed, amount] of accepted)
    it(`${locale}: "${typed}" tips ${amount} base units`, async () => {
      const { el, tipped } = await tipTyped(locale, typed)
      expect(tipped).to.deep.equal([amount])
      expect(field(el).getAttribute('aria-invalid')).to.equal('false')
    })

  // [locale, typed, the hint shown]: nothing is tipped, and the hint shows the form to write.
  const refused: [string, string, string][] = [
    ['en', '1,5', 'Use 1.5 (decimals after “.”).'],
    ['de', '0.05', 'Schreib 0,05 (Nachkommastellen nach „,“).'],
    ['de', '1.5', 'Schreib 1,5 (Nachkommastellen nach „,“).'],
    ['fr', '1.5', 'Écrivez 1,5 (décimales après « , »).'],
    ['fr', '1.000', `« 1.000 » est ambigu : écrivez 1${NNBSP}000 ou 1.`],
    ['es', '2.5', 'Escribe 2,5 (decimales después de «,»).'],
    ['ar', '1,5', 'اكتب 1.5 (المنازل العشرية بعد «.»).'],
    ['ar-EG', '1.5', 'اكتب ١٫٥ (المنازل العشرية بعد «٫»).'],
    ['de', 'zwei', 'Schreib Beträge wie 1.234,5.'],
  ]
  for (const [locale, typed, words] of refused)
    it(`${locale}: "${typed}" is refused before the controller hears of it`, async () => {
      const { el, tipped } = await tipTyped(locale, typed)
      expect(tipped).to.deep.equal([])
      expect(field(el).getAttribute('aria-invalid')).to.equal('true')
      expect(hint(el).replace(/[\u00a0\u202f]/g, ' ')).to.equal(words.replace(/[\u00a0\u202f]/g, ' '))
      await expect(el).to.be.accessible()
    })

  it('<token-buy> quotes what a German visitor typed and refuses the English form', async () => {
    const harness = new BuyHarness(buyStates.ready())
    const el = await fixture<TokenBuy>(
      html`<token-buy locale="de" sale=${SAMPLE_SALE} chain="8453" .controller=${harness}></token-buy>`,
    )
    await waitUntil(() => root(el).querySelector('[lang]')?.getAttribute('lang') === 'de')
    await type(el, '0,05')
    expect(harness.actionsOf('quote').at(-1)?.amountIn).to.equal(50_000n)
    await type(el, '0.05')
    expect(harness.actionsOf('quote').at(-1)?.amountIn).to.equal(0n)
    expect(hint(el)).to.equal('Schreib 0,05 (Nachkommastellen nach „,“).')
  })
})

describe('balance and Max', () => {
  const balance = (value: bigint, reserve = 0n): SpendBalance => ({ value, reserve, spendable: value - reserve })

  it('shows the balance; Max fills it in, in the widget language, and tips exactly that', async () => {
    const { el, harness } = await mountTip('de', { balance: balance(12_345_678n) })
    expect(text(root(el).querySelector('[part~="balance"]'))).to.match(/^Guthaben: 12,3456 USDC/)
    const max = root(el).querySelector<HTMLButtonElement>('[part~="max"]') as HTMLButtonElement
    expect(max.getAttribute('aria-label')).to.equal('Max: 12,3456 USDC')
    max.click()
    await el.updateComplete
    expect(field(el).value).to.equal('12,345678')
    mainAction(el).click()
    expect(harness.actionsOf('tip').map((a) => a.amount)).to.deep.equal([12_345_678n])
    await expect(el).to.be.accessible()
  })

  it('refuses a typed amount or a preset above the balance before any signature', async () => {
    const statuses: string[] = []
    const { el, harness } = await mountTip('en', { balance: balance(3n * USDC) })
    el.addEventListener('token-status', (e) => statuses.push((e as TokenStatusEvent).detail.status))
    await type(el, '3.000001')
    mainAction(el).click()
    await el.updateComplete
    expect(hint(el)).to.equal('That is more than you can send: at most 3 USDC.')
    expect(mainAction(el).getAttribute('aria-disabled')).to.equal('true')
    await type(el, '')
    const five = [...root(el).querySelectorAll<HTMLButtonElement>('[part~="preset"]')].find((b) => text(b) === '5 USDC')
    five?.click()
    await el.updateComplete
    mainAction(el).click()
    await el.updateComplete
    expect(hint(el)).to.equal('That is more than you can send: at most 3 USDC.')
    expect(harness.actionsOf('tip')).to.deep.equal([])
    expect(statuses).to.not.include('signing')
    await type(el, '3')
    mainAction(el).click()
    expect(harness.actionsOf('tip').map((a) => a.amount)).to.deep.equal([3n * USDC])
  })

  it('native coin paid from the wallet: Max keeps the gas reserve and says so', async () => {
    const reserve = 4n * 10n ** 14n
    const { el, harness } = await mountTip('en', {
      token: { address: 'native', symbol: 'ETH', decimals: 18 },
      presets: [ETH / 100n],
      gasless: false,
      balance: balance(ETH, reserve),
    })
    expect(text(root(el))).to.contain('Max keeps 0.0004 ETH for the network fee.')
    root(el).querySelector<HTMLButtonElement>('[part~="max"]')?.click()
    await el.updateComplete
    expect(field(el).value).to.equal('0.9996')
    await type(el, '1')
    mainAction(el).click()
    expect(harness.actionsOf('tip')).to.deep.equal([])
    expect(hint(el)).to.equal('That is more than you can send: at most 0.9996 ETH.')
  })

  it('<token-buy>: balance of the payment token, Max quotes it, more is refused before buying', async () => {
    const harness = new BuyHarness(
      buyStates.ready({
        payment: { symbol: 'ETH', decimals: 18, native: true },
        gasless: false,
        balance: balance(ETH / 2n),
      }),
    )
    const el = await fixture<TokenBuy>(
      html`<token-buy sale=${SAMPLE_SALE} chain="8453" .controller=${harness}></token-buy>`,
    )
    await el.updateComplete
    expect(text(root(el).querySelector('[part~="balance"]'))).to.match(/^Balance: 0.5 ETH/)
    root(el).querySelector<HTMLButtonElement>('[part~="max"]')?.click()
    await el.updateComplete
    expect(field(el).value).to.equal('0.5')
    expect(harness.actionsOf('quote').at(-1)?.amountIn).to.equal(ETH / 2n)
    await type(el, '0.6')
    mainAction(el).click()
    await el.updateComplete
    expect(hint(el)).to.equal('That is more than you can send: at most 0.5 ETH.')
    expect(harness.actionsOf('buy')).to.deep.equal([])
  })
})

import { html, nothing, type PropertyValues, type TemplateResult } from 'lit'
import type { Catalog } from '../i18n/en.js'
import type { AmountCheck } from '../internal/amount-check.js'
import { amountApi, needAmountApi } from '../internal/amount-loader.js'
import { ControllerBinding, TokenTagsElement } from '../internal/base-element.js'
import { isFallbackMode, isGaslessMode, parseChainId } from '../internal/config.js'
import { formatAmount, formatDate } from '../internal/format.js'
import { gaslessBody, isGaslessError, reason } from '../internal/gasless-fallback.js'
import { fill, fillText } from '../internal/locale.js'
import { amountField, card, sharedBody, statusLine } from '../internal/session-view.js'
import type { SpendBalance } from '../token-tip/tip-state.js'
import { tokenTipStyles } from '../token-tip/token-tip.styles.js'
import type { BuyController, BuyState, BuyTarget, BuyTokenView, QuoteView, SaleView } from './buy-state.js'
import { CoreBuyController } from './core-buy-controller.js'
import { GuestSaleController } from './guest-sale.js'

const ADDRESS = /^0x[0-9a-fA-F]{40}$/
/** Default price protection: the buy reverts if it would receive 0.5% less than quoted. */
const DEFAULT_SLIPPAGE_BPS = 50

/**
 * Lets a visitor buy a token from a `TokenSale`: shows the price, window, what is left and the visitor's own
 * limit, quotes as they type (debounced, through the sale's `quote` view), and buys with a minimum-out so a price
 * change between quote and inclusion cancels the buy instead of filling it worse.
 *
 * ```html
 * <token-buy sale="0xSale" chain="8453"></token-buy>
 * ```
 *
 * Paying in native coin is a wallet transaction (the visitor pays gas, and the widget says so); paying in the
 * sale's ERC-20 is gasless through the relay (an EIP-2612 permit and the forwarded buy: two signatures).
 *
 * Wallets: EIP-6963 announcements, and a legacy `window.ethereum` (or its `providers`) that none covers, named
 * after its flags. With none, `no-wallet` shows at once; on a phone it offers links that reopen the page in a
 * wallet app's browser (MetaMask, Coinbase Wallet, Trust Wallet, Rainbow), where the wallet connects directly.
 *
 * States: `loading`, `no-wallet`, `choose-wallet`, `pairing` (WalletConnect), `wrong-network`, `not-started` (with
 * the start date),
 * `ended`, `sold-out`, `over-cap` (the visitor's limit is used up), `paused`, `ready`, `signing`, `pending`,
 * `success`, `error` (after a failed buy, who paid: `paid`).
 *
 * Without a wallet the card shows the sale's price, what is left of the cap, the limit per buyer and the time left
 * (read through the page's RPC) above the wallet states, and a sale that cannot be bought its own state (`not-started`,
 * `ended`, `sold-out`, `paused`) instead of a wallet list.
 *
 * @tag token-buy
 *
 * @attr {string} sale - Address of the `TokenSale`. Required.
 * @attr {string} chain - Chain id of the sale (e.g. `8453`). Required.
 * @attr {string} slippage - Price protection in percent (default `0.5`, at most `50`): the buy is cancelled if it
 *   would receive that much less than quoted.
 * @attr {'auto' | 'always' | 'never'} gasless - As `<token-claim>`; native-coin payments always use the wallet.
 * @attr {'wallet' | 'none'} fallback - As `<token-claim>`: when the relay cannot take a buy, offer paying the gas from
 *   the wallet (`wallet`, default) or only say why (`none`).
 * @attr {string} locale - Language of the widget (BCP 47).
 * @attr {'light' | 'dark' | 'auto'} theme - Color scheme.
 *
 * @prop {BuyController | undefined} controller - Replaces the default controller (see `BuyHarness`).
 *
 * @fires {TokenStatusEvent} token-status - The state changed; `detail: { status }`.
 * @fires {TokenSuccessEvent} token-success - The buy is confirmed; `detail: { txHash, amount, via }` (amount
 *   bought, sale-token base units).
 * @fires {TokenErrorEvent} token-error - An error is shown; `detail: { code, message }`. `INVALID_ATTRIBUTE`,
 *   `CHAIN_NOT_CONFIGURED`, core's codes (`SLIPPAGE` when the price moved past the minimum, `READ_FAILED` when a quote
 *   could not be read or took over 10 s, …).
 *
 * @csspart container - The card around everything.
 * @csspart status - The live region with the current state's sentence.
 * @csspart action - The main button of the state (Tip / Buy, Switch network, Try again, each wallet…).
 * @csspart input - The labelled payment field: amounts in the widget's language (`0,05` in German); ambiguous ones
 *   (`1,5` in English) are refused with the form to write.
 * @csspart balance - The visitor's balance of what they pay with, with Max.
 * @csspart max - The Max button: fills in the balance (less the gas kept for the fee when paying in native coin).
 * @csspart facts - The price, what is left of the cap, the visitor's limit (before a wallet: per buyer) and the closing
 *   date with the time left (a `<dl>`).
 * @csspart paid - The note that says who paid the gas (after a failed buy: nobody, the relay or the wallet).
 * @csspart amount - A token amount.
 * @csspart wallet-list - The list of wallets to choose from (or, on a phone without one, of wallet apps).
 * @csspart deep-link - A link that reopens the page in a wallet app's browser, or opens a wallet app with the
 *   WalletConnect pairing (also `action`).
 * @csspart pairing-qr - The WalletConnect pairing code's figure (the code itself is `qr`).
 * @csspart qr - The WalletConnect pairing code (an inline SVG).
 * @csspart error - The error message.
 * @csspart note - Secondary sentences (gas, hints, transaction).
 * @csspart link - Links (explorer transaction, "Find a wallet").
 * @csspart hash - The shortened transaction hash.
 * @csspart icon - A wallet's icon.
 * @csspart account - The connected account's chip (wallet icon and short address) with its menu; shown once the
 *   page's wallet of the widget's network is connected (one session per network per page).
 * @csspart account-button - The chip's button: opens the account menu (also with the arrow keys).
 * @csspart account-menu - The account menu: Switch account, Disconnect (every widget of the network).
 * @csspart menu-item - An item of the account menu.
 * @csspart spinner - The busy indicator.
 * @cssprop [--tokentags-accent=#4f46e5] - Buttons, links and focus ring.
 * @cssprop [--tokentags-accent-text=#ffffff] - Text on the accent color.
 * @cssprop [--tokentags-background=#ffffff] - Card background.
 * @cssprop [--tokentags-text=#111827] - Text color.
 * @cssprop [--tokentags-muted=#4b5563] - Secondary text.
 * @cssprop [--tokentags-border=#d1d5db] - Borders and fields.
 * @cssprop [--tokentags-danger=#b91c1c] - Error text and invalid fields.
 * @cssprop [--tokentags-success=#047857] - Success text.
 * @cssprop [--tokentags-focus=var(--tokentags-accent)] - Focus ring.
 * @cssprop [--tokentags-radius=12px] - Corner radius.
 * @cssprop [--tokentags-font=inherit] - Font family (the page's font by default).
 * @cssprop [--tokentags-font-size=1em] - Base font size.
 * @cssprop [--tokentags-spacing=1rem] - Padding of the card; gaps derive from it.
 */
export class TokenBuy extends TokenTagsElement {
  static override styles = tokenTipStyles

  static override properties = {
    ...TokenTagsElement.properties,
    sale: { type: String },
    chain: { type: String },
    slippage: { type: String },
    gasless: { type: String },
    fallback: { type: String },
    controller: { attribute: false },
    _state: { state: true },
    _input: { state: true },
    _touched: { state: true },
  }

  declare sale: string | null
  declare chain: string | null
  declare slippage: string | null
  declare gasless: string | null
  declare fallback: string | null
  declare controller: BuyController | undefined
  declare _state: BuyState
  declare _input: string
  declare _touched: boolean

  readonly #binding = new ControllerBinding<BuyState, BuyTarget, BuyController>(this, {
    tag: 'token-buy',
    restartOn: ['sale', 'chain', 'slippage', 'gasless', 'fallback'],
    target: () => {
      this._input = ''
      this._touched = false
      this.#asked = 0n
      const target = this.#parseAttributes()
      if (typeof target !== 'string') this.#slippageBps = target.slippageBps ?? DEFAULT_SLIPPAGE_BPS
      return target
    },
    create: () => new GuestSaleController(new CoreBuyController()),
    catalog: () => this.t,
    changed: (next, previous) => {
      // Bought: the next purchase starts from an empty field.
      if (next.status === 'success' && previous.status !== 'success') {
        this._input = ''
        this._touched = false
        this.#asked = 0n
      }
    },
  })
  #slippageBps = DEFAULT_SLIPPAGE_BPS

  constructor() {
    super()
    this.sale = null
    this.chain = null
    this.slippage = null
    this.gasless = null
    this.fallback = null
    this._state = { status: 'loading' }
    this._input = ''
    this._touched = false
  }

  /** The state currently drawn. */
  get state(): BuyState {
    return this._state
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed)
    this.#binding.willUpdate(changed)
    if (this._state.status === 'ready') this.#amountLoad ??= needAmountApi(this)
    this.#askQuote()
  }

  #amountLoad: Promise<void> | undefined

  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete()
    // The amount reader loads with the first amount field: an update is complete once it has drawn with it.
    while (this.#amountLoad) {
      const load = this.#amountLoad
      await load
      if (this.#amountLoad === load) this.#amountLoad = undefined
      done = await super.getUpdateComplete()
    }
    return done
  }

  protected override updated(): void {
    this.#buyIfQuoted()
  }

  /** The payment the controller was last asked to quote (0n: none). */
  #asked = 0n

  /**
   * Asks the controller to quote what the field holds whenever that differs from what it was last asked: also once the
   * amount reader arrives (text typed before it could not be read) and after Max, so the quote always answers the field.
   */
  #askQuote(): void {
    const state = this._state
    if (state.status !== 'ready' || !amountApi()) return
    const check = this.#check(state.sale)
    const amount = 'amount' in check ? check.amount : 0n
    if (amount === this.#asked) return
    this.#asked = amount
    this.#binding.active?.quote(amount)
  }

  get #words(): Catalog['buy'] {
    return this.t.buy
  }

  #parseAttributes(): BuyTarget | string {
    const sale = this.sale?.trim() ?? ''
    if (!ADDRESS.test(sale)) {
      return sale
        ? `The sale "${sale.slice(0, 50)}" is not an address (0x followed by 40 hexadecimal characters).`
        : 'The sale attribute is missing: set it to the address of the token sale.'
    }
    const chainId = parseChainId(
      this.chain,
      'The chain attribute is missing: set it to the chain id of the sale, e.g. 8453.',
    )
    if (typeof chainId === 'string') return chainId
    const target: BuyTarget = { sale: sale as `0x${string}`, chainId }
    const slippage = this.slippage?.trim()
    if (slippage) {
      const percent = Number(slippage)
      if (!/^\d+(\.\d+)?$/.test(slippage) || percent > 50)
        return `The slippage "${slippage.slice(0, 20)}" must be a percentage from 0 to 50 (e.g. 0.5).`
      target.slippageBps = Math.round(percent * 100)
    }
    const gasless = this.gasless?.trim()
    if (gasless) {
      if (!isGaslessMode(gasless))
        return `The gasless attribute "${gasless.slice(0, 30)}" must be "auto", "always" or "never".`
      target.gasless = gasless
    }
    const fallback = this.fallback?.trim()
    if (fallback) {
      if (!isFallbackMode(fallback))
        return `The fallback attribute "${fallback.slice(0, 30)}" must be "wallet" or "none".`
      target.fallback = fallback
    }
    return target
  }

  #onInput(event: Event): void {
    this.#buyWhenQuoted = false
    // The quote is asked as the field is drawn with it (`#askQuote`).
    this._input = (event.currentTarget as HTMLInputElement).value
  }

  /** The payment typed, read in the widget's language and checked against the visitor's balance. */
  #check(sale: SaleView): AmountCheck {
    const api = amountApi()
    // Until the reader has loaded (a few milliseconds after the field first shows), typed text gets no verdict.
    if (!api) return { problem: 'none' }
    return api.checkAmount(this._input, sale.payment.decimals, this.intlLocale, sale.balance?.spendable)
  }

  #fillMax = (): void => {
    const state = this._state
    const api = amountApi()
    if (state.status !== 'ready' || !state.sale.balance || !api) return
    this._input = api.writeLocalAmount(state.sale.balance.spendable, state.sale.payment.decimals, this.intlLocale)
    this._touched = true
    this.#buyWhenQuoted = false
  }

  #onKey(event: KeyboardEvent): void {
    if (event.key === 'Enter') this.#buy()
  }

  #payGas = (): void => this.#binding.active?.payGas?.()

  #buy = (): void => {
    const state = this._state
    if (state.status !== 'ready') return
    const problem = this.#problem(state.sale, state.quote, state.quoting)
    if (problem !== undefined) {
      this._touched = true
      // A press while the quote for this amount is on its way is kept: the buy goes once it arrives.
      this.#buyWhenQuoted = problem === 'quoting'
      return
    }
    this.#buyWhenQuoted = false
    this.#binding.active?.buy()
  }

  /** Set by a press during quoting; cleared by the next edit or by any outcome of the quote. */
  #buyWhenQuoted = false

  #buyIfQuoted(): void {
    if (!this.#buyWhenQuoted) return
    const state = this._state
    if (state.status !== 'ready') {
      this.#buyWhenQuoted = false
      return
    }
    const problem = this.#problem(state.sale, state.quote, state.quoting)
    if (problem === 'quoting') return
    this.#buyWhenQuoted = false
    if (problem === undefined) this.#binding.active?.buy()
  }

  /** Why the current input cannot be bought, or undefined when it can. */
  #problem(
    sale: SaleView,
    quote: QuoteView | undefined,
    quoting: boolean | undefined,
  ):
    | 'empty'
    | Exclude<AmountCheck, { amount: bigint } | { problem: 'none' }>
    | 'quoting'
    | 'too-little'
    | 'too-much'
    | undefined {
    const check = this.#check(sale)
    if ('problem' in check) return check.problem === 'none' ? 'empty' : check
    const amount = check.amount
    if (quoting || !quote || quote.amountIn !== amount) return 'quoting'
    if (quote.amountOut === 0n) return 'too-little'
    if (quote.amountOut > sale.available) return 'too-much'
    return undefined
  }

  protected override render(): TemplateResult {
    const state = this._state
    return card(
      this.t,
      this.catalogPending,
      state.status,
      this.#statusLine(state),
      this.#body(state),
      this.#binding.account,
    )
  }

  #amount(value: bigint, token: BuyTokenView): string {
    return formatAmount(value, token.decimals, token.symbol, this.intlLocale)
  }

  #amountPart(value: bigint, token: BuyTokenView): TemplateResult {
    return html`<span part="amount" class="amount">${this.#amount(value, token)}</span>`
  }

  #date(seconds: number): TemplateResult {
    return html`<time datetime=${new Date(seconds * 1000).toISOString()}>${formatDate(seconds, this.intlLocale)}</time>`
  }

  #statusLine(state: BuyState): TemplateResult | string {
    if (isGaslessError(state)) return html`<span part="error" class="error">${reason(state.gasless, this.t)}</span>`
    const w = this.#words
    switch (state.status) {
      case 'not-started':
        return w.notStarted
      case 'ended':
        return w.ended
      case 'sold-out':
        return w.soldOut
      case 'over-cap':
        return w.overCap
      case 'paused':
        return w.paused
      case 'ready':
        return fillText(w.ready, { symbol: state.sale.saleToken.symbol })
      case 'success':
        return html`<span class="done">${fill(w.bought, {
          amount: this.#amountPart(state.amount, state.token),
          paid: this.#amount(state.paid, state.paidToken),
        })}</span>`
      default:
        return statusLine(state, this.t, w)
    }
  }

  #body(state: BuyState): TemplateResult | typeof nothing {
    if (isGaslessError(state))
      return gaslessBody(state, this.t, this.intlLocale, { payGas: this.#payGas, retry: this.#binding.retry })
    const w = this.#words
    switch (state.status) {
      case 'not-started':
        return html`${this.#facts(state.sale)}<p part="note" class="note">${fill(w.startsAt, { date: this.#date(state.sale.start) })}</p>`
      case 'ended':
        return html`<p part="note" class="note">${fill(w.endedAt, { date: this.#date(state.sale.end) })}</p>`
      case 'sold-out':
        return html`${this.#facts(state.sale)}`
      case 'over-cap':
        return html`<p part="note" class="note">${fill(w.overCapNote, {
          amount: this.#amountPart(state.sale.purchased, state.sale.saleToken),
        })}</p>`
      case 'paused':
        return html`${this.#facts(state.sale)}
          <button part="action" class="action" type="button" @click=${this.#binding.retry}>${this.t.common.checkAgain}</button>`
      case 'ready':
        return this.#ready(state.sale, state.quote, state.quoting)
      case 'signing':
        return html`<p part="note" class="note">${fill(w.receive, { amount: this.#amountPart(state.quote.amountOut, state.sale.saleToken) })}</p>`
      default:
        // Before a wallet is connected, the wallet states show the sale too (read through the page's RPC).
        return html`${'facts' in state && state.facts ? this.#facts(state.facts) : nothing}${sharedBody(state, this.t, w, this.#binding)}`
    }
  }

  /**
   * Price per whole sale token, what is left of the cap, the visitor's limit (the limit per buyer before a wallet is
   * connected) and the closing date with the time left.
   */
  #facts(sale: SaleView): TemplateResult {
    const w = this.#words
    const perWhole = (sale.price * 10n ** BigInt(sale.saleToken.decimals)) / sale.priceUnit
    return html`<dl part="facts" class="facts">
      <dt>${w.price}</dt>
      <dd>${fillText(w.priceValue, { price: this.#amount(perWhole, sale.payment), symbol: sale.saleToken.symbol })}</dd>
      <dt>${w.left}</dt>
      <dd>${fillText(w.ofCap, { left: this.#amount(sale.remaining, sale.saleToken), cap: this.#amount(sale.totalCap, sale.saleToken) })}</dd>
      <dt>${sale.guest ? w.perBuyer : w.yourLimit}</dt>
      <dd>${this.#amount(sale.guest ? sale.perBuyerCap : sale.available, sale.saleToken)}</dd>
      <dt>${w.closes}</dt>
      <dd>${this.#date(sale.end)} (${timeLeft(sale.end, this.intlLocale)})</dd>
    </dl>`
  }

  /** "Balance: 0.5 ETH" and Max (less the gas kept for the fee when paying in native coin). */
  #balance(balance: SpendBalance, token: BuyTokenView): TemplateResult {
    const c = this.t.common
    return html`<p part="note balance" class="note balance">
      ${fillText(c.balance, { amount: this.#amount(balance.value, token) })}
      <button part="max" class="preset max" type="button" aria-label=${fillText(c.maxLabel, { amount: this.#amount(balance.spendable, token) })}
        @click=${this.#fillMax}>${c.max}</button>
    </p>
    ${balance.reserve > 0n ? html`<p part="note" class="note">${fillText(c.gasReserve, { amount: this.#amount(balance.reserve, token) })}</p>` : nothing}`
  }

  #ready(sale: SaleView, quote: QuoteView | undefined, quoting: boolean | undefined): TemplateResult {
    const w = this.#words
    const problem = this.#problem(sale, quote, quoting)
    const show = this._touched || this._input.length > 0
    let hint: TemplateResult | string = ''
    let bad = false
    if (typeof problem === 'object' && show) {
      hint =
        amountApi()?.amountHint(
          problem,
          this.t,
          this.intlLocale,
          this._input,
          w.invalidAmount,
          sale.payment.decimals,
          (value) => this.#amount(value, sale.payment),
        ) ?? ''
      bad = true
    } else if (problem === 'empty' && this._touched) {
      hint = w.enterAmount
      bad = true
    } else if (problem === 'quoting') hint = w.quoting
    else if (problem === 'too-little') {
      hint = w.tooLittle
      bad = true
    } else if (problem === 'too-much') {
      hint = html`${fill(w.tooMuch, { amount: this.#amountPart(sale.available, sale.saleToken) })}`
      bad = true
    }
    const good = problem === undefined && quote
    return html`
      ${this.#facts(sale)}
      ${amountField({
        id: 'pay',
        hintId: 'pay-hint',
        label: fillText(w.pay, { symbol: sale.payment.symbol }),
        value: this._input,
        invalid: bad,
        problem: bad,
        hint,
        onInput: this.#onInput,
        onKey: this.#onKey,
      })}
      ${sale.balance ? this.#balance(sale.balance, sale.payment) : nothing}
      ${
        good
          ? html`<p part="note" class="note">${fill(w.receive, { amount: this.#amountPart(quote.amountOut, sale.saleToken) })}</p>
              <p part="note" class="note">${fill(w.atLeast, {
                amount: this.#amountPart(quote.minOut, sale.saleToken),
                percent: new Intl.NumberFormat(this.intlLocale, { style: 'percent', maximumFractionDigits: 2 }).format(
                  this.#slippageBps / 10_000,
                ),
              })}</p>`
          : nothing
      }
      <p part="note" class="note">${sale.gasless ? w.noGas : w.paysGas}</p>
      <button part="action" class="action" type="button" aria-disabled=${good ? 'false' : 'true'} @click=${this.#buy}>
        ${good ? fillText(w.action, { amount: this.#amount(quote.amountOut, sale.saleToken) }) : w.actionEmpty}
      </button>
    `
  }
}

/** How far off `end` is, in the widget's language: "in 30 days", "in 5 hours", "in 12 minutes" (or "… ago"). */
function timeLeft(end: number, locale: string): string {
  const seconds = end - Date.now() / 1000
  const away = Math.abs(seconds)
  const [value, unit]: [number, Intl.RelativeTimeFormatUnit] =
    away >= 2 * 86_400
      ? [seconds / 86_400, 'day']
      : away >= 2 * 3_600
        ? [seconds / 3_600, 'hour']
        : [seconds / 60, 'minute']
  return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(Math.round(value), unit)
}

declare global {
  interface HTMLElementTagNameMap {
    'token-buy': TokenBuy
  }
}

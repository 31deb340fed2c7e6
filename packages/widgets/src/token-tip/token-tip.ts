import { html, nothing, type PropertyValues, type TemplateResult } from 'lit'
import type { Catalog } from '../i18n/en.js'
import type { AmountCheck } from '../internal/amount-check.js'
import { amountApi, needAmountApi } from '../internal/amount-loader.js'
import { ControllerBinding, TokenTagsElement } from '../internal/base-element.js'
import { isFallbackMode, isGaslessMode, parseChainId } from '../internal/config.js'
import { formatAmount } from '../internal/format.js'
import { gaslessBody, isGaslessError, reason } from '../internal/gasless-fallback.js'
import { fill, fillText } from '../internal/locale.js'
import { amountField, card, noWalletBody, sharedBody, shortAddress, statusLine } from '../internal/session-view.js'
import { WALLETCONNECT_ID } from '../internal/walletconnect-pairing.js'
import { DECIMAL_AMOUNT } from './amount.js'
import { CoreTipController } from './core-tip-controller.js'
import { tipStyles } from './tip.styles.js'
import type { SpendBalance, TipController, TipOffer, TipState, TipTarget } from './tip-state.js'

const ADDRESS = /^0x[0-9a-fA-F]{40}$/
const SOLANA = /^sol:[1-9A-HJ-NP-Za-km-z]{32,44}$/
const MAX_PRESETS = 6
const MAX_MEMO_BYTES = 256
const SOLANA_WALLET_HELP = 'https://solana.com/solana-wallets'

/**
 * Lets a visitor tip a creator in native coin or any ERC-20, gaslessly where the token allows.
 *
 * ```html
 * <tokentags-config rpc="8453=https://mainnet.base.org" relay="https://relay.example"></tokentags-config>
 * <token-tip to="0xCreator" token="0xUSDC" amounts="1,5,10" chain="8453" router="0xTipRouter"></token-tip>
 * ```
 *
 * ERC-20 tips go through the relay with as few wallet prompts as the token allows: one signature for a token
 * that trusts the forwarder (a forwarded `transfer`), one for an EIP-3009 token (via the TipRouter), a permit and
 * a signature otherwise. Native-coin tips are wallet transactions and the widget says the visitor pays gas.
 *
 * Solana tips (`to="sol:…"`, `token` omitted for SOL or `sol:<mint>`) list the page's Wallet Standard wallets and
 * load `@tokentags/core/solana` only when one is picked; the relay's fee payer pays the network fee. They need
 * `solana-rpc` and `relay` on `<tokentags-config>`.
 *
 * Without a wallet on the page, an EVM tip also offers paying from any phone wallet: an EIP-681 QR code
 * (`ethereum:<to>@<chain>?value=…`, or `/transfer?address=…&uint256=…` for an ERC-20) that the visitor's phone wallet
 * pays, the payer paying the network fee (the widget says so first); the widget watches the chain for that payment
 * and shows it as a success. On a phone without a wallet, links reopen the page in wallet apps' browsers.
 *
 * With `<tokentags-config walletconnect-project-id>`, every wallet list offers WalletConnect (`pairing`: its QR code
 * on a desktop, wallet-app links on a phone, and Cancel); one pairing connects every widget of the page. On Android,
 * Solana tips also list the Mobile Wallet Adapter (the phone's wallet apps). A Solana tip without a wallet on the page
 * offers Solana Pay when the relay serves the tip link: a `solana:` code that any phone wallet pays, the relay paying
 * the fee; the widget follows the payment through the code's reference.
 *
 * States: `loading`, `no-wallet`, `choose-wallet`, `pairing`, `wrong-network`, `ready` (presets and a custom amount),
 * `signing`, `pending`, `qr` (the payment code, waiting for the payment), `success`, `error`, `unavailable`.
 *
 * @tag token-tip
 *
 * @attr {string} to - The recipient: an EVM address (0x + 40 hex) or `sol:` + a Solana address. Required.
 * @attr {string} token - `native` (default), an ERC-20 address, or `sol:` + a mint for Solana tips.
 * @attr {string} amounts - Preset amounts in whole tokens, comma-separated (e.g. `1,5,10`; at most 6).
 *   A labelled field for another amount is always there; it reads amounts in the widget's language (`0,05` in
 *   German, `1 000,5` in French) and refuses ambiguous ones (`1,5` in English) with the form to write.
 * @attr {string} memo - A message recorded with the tip (in the TipRouter's `Tipped` event; needs `router`).
 * @attr {string} chain - Chain id (e.g. `8453`). Required for EVM tips.
 * @attr {string} router - The TipRouter address: needed for memos and for tokens that need a permit or EIP-3009.
 * @attr {'auto' | 'always' | 'never'} gasless - As `<token-claim>`; native tips always use the wallet.
 * @attr {'wallet' | 'none'} fallback - As `<token-claim>`: when the relay cannot take an ERC-20 tip, offer paying the
 *   gas from the wallet (`wallet`, default) or only say why (`none`).
 * @attr {string} locale - Language of the widget (BCP 47).
 * @attr {'light' | 'dark' | 'auto'} theme - Color scheme.
 *
 * @prop {TipController | undefined} controller - Replaces the default controller (see `TipHarness`).
 *
 * @fires {TokenStatusEvent} token-status - The state changed; `detail: { status }`.
 * @fires {TokenSuccessEvent} token-success - The tip is confirmed; `detail: { txHash, amount, via }`, plus `signature`
 *   (base58, also in `txHash`) for Solana tips.
 * @fires {TokenErrorEvent} token-error - An error is shown; `detail: { code, message }`. `INVALID_ATTRIBUTE` for a
 *   malformed `to`, an unknown `token`, `amounts` that are not numbers, a bad `chain`/`gasless`/`router`/`memo`;
 *   `CHAIN_NOT_CONFIGURED`; `UNSUPPORTED_MINT` for a Token-2022 mint whose extensions could move the tip elsewhere
 *   (a transfer fee, a transfer hook, a permanent delegate), before any signature; and core's codes.
 *
 * @csspart container - The card around everything.
 * @csspart status - The live region with the current state's sentence.
 * @csspart action - The main button of the state (Tip / Buy, Switch network, Try again, each wallet…).
 * @csspart preset - A preset amount button (`aria-pressed` when chosen).
 * @csspart balance - The visitor's balance of the token, with Max.
 * @csspart max - The Max button: fills in the balance (less the gas kept for the fee when the visitor pays it).
 * @csspart input - The labelled custom amount field.
 * @csspart amount - A token amount.
 * @csspart wallet-list - The list of wallets to choose from (or, on a phone without one, of wallet apps).
 * @csspart deep-link - A link that reopens the page in a wallet app's browser, or opens a wallet app with the
 *   WalletConnect pairing (also `action`).
 * @csspart qr-offer - The button that offers paying from any phone wallet (also `action`).
 * @csspart qr - The payment (EIP-681, Solana Pay) or WalletConnect pairing QR code (an inline SVG).
 * @csspart pairing-qr - The WalletConnect pairing code's figure.
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
export class TokenTip extends TokenTagsElement {
  static override styles = tipStyles

  static override properties = {
    ...TokenTagsElement.properties,
    to: { type: String },
    token: { type: String },
    amounts: { type: String },
    memo: { type: String },
    chain: { type: String },
    router: { type: String },
    gasless: { type: String },
    fallback: { type: String },
    controller: { attribute: false },
    _state: { state: true },
    _selected: { state: true },
    _custom: { state: true },
    _touched: { state: true },
  }

  declare to: string | null
  declare token: string | null
  declare amounts: string | null
  declare memo: string | null
  declare chain: string | null
  declare router: string | null
  declare gasless: string | null
  declare fallback: string | null
  declare controller: TipController | undefined
  declare _state: TipState
  declare _selected: bigint | undefined
  declare _custom: string
  declare _touched: boolean

  readonly #binding = new ControllerBinding<TipState, TipTarget, TipController>(this, {
    tag: 'token-tip',
    restartOn: ['to', 'token', 'amounts', 'memo', 'chain', 'router', 'gasless', 'fallback'],
    target: () => {
      this.#clearAmount()
      return this.#parseAttributes()
    },
    create: () => new CoreTipController(),
    catalog: () => this.t,
    changed: (next, previous) => {
      // "Send another tip": a fresh choice.
      if (next.status === 'ready' && previous.status === 'success') this.#clearAmount()
    },
  })

  constructor() {
    super()
    this.to = null
    this.token = null
    this.amounts = null
    this.memo = null
    this.chain = null
    this.router = null
    this.gasless = null
    this.fallback = null
    this._state = { status: 'loading' }
    this._selected = undefined
    this._custom = ''
    this._touched = false
  }

  /** The state currently drawn. */
  get state(): TipState {
    return this._state
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed)
    this.#binding.willUpdate(changed)
    if (this._state.status === 'ready') this.#amountLoad ??= needAmountApi(this)
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

  get #words(): Catalog['tip'] {
    return this.t.tip
  }

  /** Whether this is a Solana tip (`to="sol:…"`). */
  get #solana(): boolean {
    return !!this.to?.trim().startsWith('sol:')
  }

  /** The attributes as a tip target, or a readable reason why they are wrong. */
  #parseAttributes(): TipTarget | string {
    const to = this.to?.trim() ?? ''
    const solanaTo = to.startsWith('sol:')
    if (solanaTo ? !SOLANA.test(to) : !ADDRESS.test(to)) {
      return to
        ? `The recipient "${to.slice(0, 60)}" is not an address (0x followed by 40 hexadecimal characters, or sol: followed by a Solana address).`
        : 'The to attribute is missing: set it to the address that receives the tips.'
    }
    const tokenText = this.token?.trim() || 'native'
    let token: TipTarget['token']
    if (tokenText.toLowerCase() === 'native') token = 'native'
    else if (ADDRESS.test(tokenText)) token = tokenText as `0x${string}`
    else if (SOLANA.test(tokenText)) token = tokenText as `sol:${string}`
    else
      return `The token "${tokenText.slice(0, 60)}" is unknown: use "native", an ERC-20 address (0x…), or sol: followed by a mint address.`
    if (solanaTo !== (token === 'native' ? solanaTo : token.startsWith('sol:')))
      return solanaTo
        ? 'A Solana recipient (sol:…) needs a Solana token (sol:<mint>) or native SOL.'
        : 'An EVM recipient (0x…) cannot receive a Solana token (sol:…).'

    const amounts = (this.amounts ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean)
    const bad = amounts.find((a) => !DECIMAL_AMOUNT.test(a) || !/[1-9]/.test(a))
    if (bad !== undefined)
      return `The amount "${bad.slice(0, 30)}" in amounts is not a positive number (write amounts like "1,5,10" or "0.5,2").`
    if (amounts.length > MAX_PRESETS)
      return `The amounts attribute lists ${amounts.length} amounts; at most ${MAX_PRESETS} fit.`

    // A Solana tip has no EVM chain: chain id 0.
    const chainId = solanaTo
      ? 0
      : parseChainId(this.chain, 'The chain attribute is missing: set it to the chain id, e.g. 8453.')
    if (typeof chainId === 'string') return chainId
    const router = this.router?.trim()
    if (router && !ADDRESS.test(router)) return `The router "${router.slice(0, 60)}" is not an address.`
    const memo = this.memo ?? ''
    if (new TextEncoder().encode(memo).length > MAX_MEMO_BYTES)
      return `The memo is longer than ${MAX_MEMO_BYTES} bytes.`
    if (memo && !solanaTo && !router) return 'The memo attribute needs the router attribute (the TipRouter address).'
    const gasless = this.gasless?.trim()
    if (gasless && !isGaslessMode(gasless))
      return `The gasless attribute "${gasless.slice(0, 30)}" must be "auto", "always" or "never".`
    const fallback = this.fallback?.trim()
    if (fallback && !isFallbackMode(fallback))
      return `The fallback attribute "${fallback.slice(0, 30)}" must be "wallet" or "none".`
    return {
      to,
      token,
      amounts,
      chainId,
      ...(memo && { memo }),
      ...(router && { router: router as `0x${string}` }),
      ...(gasless && { gasless: gasless as 'auto' | 'always' | 'never' }),
      ...(isFallbackMode(fallback) && { fallback }),
    }
  }

  #clearAmount(): void {
    this._selected = undefined
    this._custom = ''
    this._touched = false
  }

  #pickPreset(event: Event): void {
    const value = (event.currentTarget as HTMLButtonElement).dataset.amount
    if (value === undefined) return
    this._selected = BigInt(value)
    this._custom = ''
    this._touched = false
  }

  #onInput(event: Event): void {
    this._custom = (event.currentTarget as HTMLInputElement).value
    this._selected = undefined
  }

  /** The amount the main button sends, or a reason it cannot (read in the widget's language, within the balance). */
  #chosen(offer: TipOffer): AmountCheck {
    const spendable = offer.balance?.spendable
    if (this._selected !== undefined)
      return spendable !== undefined && this._selected > spendable
        ? { problem: 'over', max: spendable }
        : { amount: this._selected }
    const api = amountApi()
    // Until the reader has loaded (a few milliseconds after the field first shows), typed text gets no verdict.
    if (!api) return { problem: 'none' }
    return api.checkAmount(this._custom, offer.token.decimals, this.intlLocale, spendable)
  }

  #fillMax = (): void => {
    const state = this._state
    const api = amountApi()
    if (state.status !== 'ready' || !state.offer.balance || !api) return
    this._custom = api.writeLocalAmount(state.offer.balance.spendable, state.offer.token.decimals, this.intlLocale)
    this._selected = undefined
    this._touched = true
  }

  #payGas = (): void => this.#binding.active?.payGas?.()

  #send = (): void => {
    const state = this._state
    if (state.status !== 'ready') return
    const chosen = this.#chosen(state.offer)
    if ('amount' in chosen) this.#binding.active?.tip(chosen.amount)
    else this._touched = true
  }

  #onKey(event: KeyboardEvent): void {
    if (event.key === 'Enter') this.#send()
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

  #amount(value: bigint, token: { decimals: number; symbol: string }): string {
    return formatAmount(value, token.decimals, token.symbol, this.intlLocale)
  }

  #statusLine(state: TipState): TemplateResult | string {
    if (isGaslessError(state)) return html`<span part="error" class="error">${reason(state.gasless, this.t)}</span>`
    const w = this.#words
    switch (state.status) {
      case 'no-wallet':
        return this.#solana ? w.solNoWallet : w.noWallet
      case 'choose-wallet':
        return this.#solana ? w.solChooseWallet : w.chooseWallet
      case 'unavailable':
        return w.unavailable
      case 'ready':
        return html`${fill(w.ready, { recipient: this.#recipient(state.offer.recipient) })}`
      case 'qr':
        return html`${fill(w.qrScan, {
          amount: html`<span part="amount" class="amount">${this.#amount(state.amount, state.offer.token)}</span>`,
        })}`
      case 'success':
        return html`<span class="done">${fill(w.sent, {
          amount: html`<span part="amount" class="amount">${this.#amount(state.amount, state.token)}</span>`,
          recipient: this.#recipient(state.recipient),
        })}</span>`
      default:
        return statusLine(state, this.t, w)
    }
  }

  #recipient(address: string): TemplateResult {
    return html`<code title=${address} dir="ltr">${shortAddress(address)}</code>`
  }

  #body(state: TipState): TemplateResult | typeof nothing {
    if (isGaslessError(state))
      return gaslessBody(state, this.t, this.intlLocale, { payGas: this.#payGas, retry: this.#binding.retry })
    const w = this.#words
    if (state.status === 'no-wallet' && this.#solana) {
      const body = noWalletBody(this.t, w.solNoWalletHelp, SOLANA_WALLET_HELP, state.links, this.#binding.retry)
      return 'solanaPay' in state ? html`${body}${this.#qrOffer()}` : body
    }
    switch (state.status) {
      case 'ready':
        return this.#ready(state.offer)
      case 'qr':
        return html`
          <div class="qr">${state.renderQr(state.uri, fillText(w.qrAlt, { amount: this.#amount(state.amount, state.offer.token) }))}</div>
          <p part="note" class="note">${this.#solana ? w.solNoFee : w.qrFee}</p>
          <p part="note" class="note" aria-live="polite"><span part="spinner" class="spinner" aria-hidden="true"></span>${w.qrWaiting}</p>
          <p part="note" class="note"><a part="link" href=${state.uri}>${w.qrOpen}</a></p>
          <button part="action" class="action secondary" type="button" @click=${this.#binding.retry}>${this.t.common.back}</button>
        `
      case 'signing':
        return html`<p part="note" class="note">${fill(w.action, {
          amount: html`<span part="amount" class="amount">${this.#amount(state.amount, state.offer.token)}</span>`,
        })}</p>`
      case 'unavailable':
        return html`<p part="note" class="note">${this.#recipient(this.to ?? '')}</p>`
      default: {
        const words = this.#solana ? { ...w, relaySends: w.solRelaySends, relayPaid: w.solRelayPaid } : w
        const body = sharedBody(state, this.t, words, this.#binding)
        // Paying by QR code is for visitors without a wallet in this browser (WalletConnect may still be offered).
        const walletless =
          state.status === 'no-wallet' ||
          (state.status === 'choose-wallet' && state.wallets.every((wallet) => wallet.id === WALLETCONNECT_ID))
        const offer = this.#solana ? 'solanaPay' in state : walletless && !!this.#binding.active?.payByQr
        return offer ? html`${body}${this.#qrOffer()}` : body
      }
    }
  }

  /**
   * Paying from any phone wallet: who pays the network fee is said before anything is scanned (the payer on EVM, the
   * relay's fee payer through Solana Pay).
   */
  #qrOffer(): TemplateResult {
    const w = this.#words
    return html`
      <p part="note" class="note">${this.#solana ? w.solNoFee : w.qrFee}</p>
      <button part="action qr-offer" class="action secondary" type="button" @click=${this.#payByQr}>${w.payByQr}</button>
    `
  }

  #payByQr = (): void => {
    this.#binding.active?.payByQr?.()
  }

  /**
   * "Balance: 12.5 USDC" and Max: the balance, less the gas reserve when the visitor pays gas in native coin (said), or
   * the rent-exempt minimum a Solana account keeps when it tips SOL (the relay pays the fee, as the card says).
   */
  #balance(balance: SpendBalance, token: TipOffer['token']): TemplateResult {
    const c = this.t.common
    return html`<p part="note balance" class="note balance">
      ${fillText(c.balance, { amount: this.#amount(balance.value, token) })}
      <button part="max" class="preset max" type="button" aria-label=${fillText(c.maxLabel, { amount: this.#amount(balance.spendable, token) })}
        @click=${this.#fillMax}>${c.max}</button>
    </p>
    ${balance.reserve > 0n && !this.#solana ? html`<p part="note" class="note">${fillText(c.gasReserve, { amount: this.#amount(balance.reserve, token) })}</p>` : nothing}`
  }

  #ready(offer: TipOffer): TemplateResult {
    const w = this.#words
    const token = offer.token
    const chosen = this.#chosen(offer)
    const refused = 'problem' in chosen && chosen.problem !== 'none' ? chosen : undefined
    const invalid = !!refused && (this._touched || this._custom.length > 0 || this._selected !== undefined)
    const missing = 'problem' in chosen && chosen.problem === 'none' && this._touched
    const hint =
      invalid && refused
        ? (amountApi()?.amountHint(
            refused,
            this.t,
            this.intlLocale,
            this._custom,
            w.invalidAmount,
            token.decimals,
            (value) => this.#amount(value, token),
          ) ?? '')
        : missing
          ? w.chooseAmount
          : ''
    const memo = this.memo
    const balance = offer.balance
    return html`
      ${
        offer.presets.length > 0
          ? html`<div class="presets" role="group" aria-label=${w.presets}>
              ${offer.presets.map(
                (amount) => html`<button
                  part="preset"
                  class="preset"
                  type="button"
                  data-amount=${amount.toString()}
                  aria-pressed=${this._selected === amount ? 'true' : 'false'}
                  @click=${this.#pickPreset}
                >${this.#amount(amount, token)}</button>`,
              )}
            </div>`
          : nothing
      }
      ${amountField({
        id: 'custom',
        hintId: 'amount-hint',
        label: fillText(w.custom, { symbol: token.symbol }),
        value: this._custom,
        invalid,
        problem: invalid || missing,
        hint,
        onInput: this.#onInput,
        onKey: this.#onKey,
      })}
      ${balance ? this.#balance(balance, token) : nothing}
      ${memo ? html`<p part="note" class="note">${fillText(w.memo, { memo })}</p>` : nothing}
      <p part="note" class="note">${this.#solana ? w.solNoFee : offer.qr ? w.qrFee : offer.gasless ? w.noGas : w.paysGas}</p>
      <button
        part="action"
        class="action"
        type="button"
        aria-disabled=${'amount' in chosen ? 'false' : 'true'}
        @click=${this.#send}
      >
        ${fillText(offer.qr ? w.showQr : w.action, {
          amount: 'amount' in chosen ? this.#amount(chosen.amount, token) : token.symbol,
        })}
      </button>
      ${offer.qr ? html`<button part="action" class="action secondary" type="button" @click=${this.#binding.retry}>${this.t.common.back}</button>` : nothing}
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'token-tip': TokenTip
  }
}

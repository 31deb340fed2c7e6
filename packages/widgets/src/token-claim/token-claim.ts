import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit'
import { ControllerBinding, TokenTagsElement } from '../internal/base-element.js'
import { isFallbackMode, isGaslessMode, parseChainId } from '../internal/config.js'
import { formatAmount, formatDate, formatPercent, percentOf } from '../internal/format.js'
import { gaslessBody, isGaslessError, reason } from '../internal/gasless-fallback.js'
import { fill, fillText } from '../internal/locale.js'
import { card, sharedBody, statusLine } from '../internal/session-view.js'
import type { Address, AddressLookup, ClaimController, ClaimState, ClaimSummary, ClaimTarget } from './claim-state.js'
import { CoreClaimController } from './core-claim-controller.js'
import { tokenClaimStyles } from './token-claim.styles.js'

const ADDRESS = /^0x[0-9a-fA-F]{40}$/

type LookupModule = typeof import('./address-lookup.js')

/** "Check an address": the form's field and the facts of its answer (the tip's field and facts, in the claim card). */
const lookupStyles = css`
  @layer tokentags {
    .lookup {
      display: grid;
      gap: calc(var(--_space) * 0.5);
    }

    .field {
      display: grid;
      gap: 0.25rem;
    }

    .field label {
      font-size: 0.875em;
    }

    .field input {
      min-height: 2.5rem;
      padding: 0.25rem 0.5rem;
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) * 0.5);
      background: var(--_background);
      color: var(--_text);
      font: inherit;
    }

    .field input[aria-invalid='true'] {
      border-color: var(--_danger);
    }

    .facts {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 0.25rem 0.75rem;
      margin: 0;
      font-size: 0.875em;
    }

    .facts dt {
      color: var(--_muted);
    }

    .facts dd {
      margin: 0;
      font-variant-numeric: tabular-nums;
    }
  }
`

/**
 * Lets the connected account claim its vested tokens from a `VestingVault`.
 *
 * ```html
 * <tokentags-config rpc="8453=https://mainnet.base.org" relay="https://relay.example"></tokentags-config>
 * <token-claim vault="0x…" chain="8453"></token-claim>
 * ```
 *
 * Wallets: EIP-6963 announcements, and a legacy `window.ethereum` (or its `providers`) that none covers, named
 * after its flags. With none, `no-wallet` shows at once; on a phone it offers links that reopen the page in a
 * wallet app's browser (MetaMask, Coinbase Wallet, Trust Wallet, Rainbow), where the wallet connects directly.
 *
 * States: `loading`, `no-wallet`, `choose-wallet`, `pairing` (WalletConnect's QR code or wallet-app links, and
 * Cancel), `wrong-network`, `nothing-to-claim`,
 * `claimable`, `signing`, `pending`, `success`, `error` (after a failed claim, who paid: `paid`). Every state is
 * announced through a `role="status"` live region.
 *
 * Without a wallet, "Check an address" (below `no-wallet` and `choose-wallet`) reads what an address the visitor types
 * or pastes has vested, claimed and can claim now, through the page's RPC (read-only; claiming needs that address's
 * wallet). Its button, form and words are a lazily loaded chunk.
 *
 * @tag token-claim
 *
 * @attr {string} vault - Address of the `VestingVault` (0x + 40 hex characters). Required.
 * @attr {string} chain - Chain id of the vault, a positive integer (e.g. `8453`). Required; the page's
 *   `<tokentags-config rpc>` must list an RPC URL for it.
 * @attr {'auto' | 'always' | 'never'} gasless - Whether the claim goes through the gasless relay:
 *   `auto` (through the relay when one is configured, else the wallet pays), `always` (fail rather
 *   than pay gas) or `never`. Default: the page's `<tokentags-config gasless>`, itself `auto`.
 * @attr {'wallet' | 'none'} fallback - When the relay cannot take the claim (down, refused, over budget, origin not
 *   allowed): `wallet` says why and offers "Pay the gas myself (≈ cost)" (part `pay-gas`; disabled, saying how much
 *   is needed, when the balance is short); `none` only says why. Never a silent switch. Default: the page's
 *   `<tokentags-config fallback>`, itself `wallet`.
 *
 * @attr {string} locale - Language of the widget (BCP 47, e.g. `fr`, `ar-EG`). Default: the closest `lang`
 *   attribute up the tree, then `<html lang>`, then the browser's language. Catalogs: en, es, fr, de, ar
 *   (right-to-left: the widget sets `dir="rtl"` on itself). Numbers and dates follow it through `Intl`.
 * @attr {'light' | 'dark' | 'auto'} theme - Color scheme: `auto` (default) follows `prefers-color-scheme`.
 *
 * @prop {ClaimController | undefined} controller - Replaces the default controller (which uses
 *   `@tokentags/core`); see `ClaimHarness` in `@tokentags/widgets/testing` for tests and stories.
 *
 * @fires {TokenStatusEvent} token-status - The state changed; `detail: { status }`.
 * @fires {TokenSuccessEvent} token-success - The claim is confirmed; `detail: { txHash, amount, via }`; `via` says
 *   who paid the gas: `relay` or `wallet` (only ever after the visitor chose to).
 * @fires {TokenErrorEvent} token-error - An error is shown; `detail: { code, message }`. Codes:
 *   `INVALID_ATTRIBUTE` (bad `vault`, `chain`, `gasless` or `fallback`), `CHAIN_NOT_CONFIGURED` (no RPC for `chain`),
 *   `WRONG_CONTRACT` (`vault` is not a vesting vault on `chain`), and core's codes (`USER_REJECTED`,
 *   `RELAY_UNREACHABLE`, `RELAY_ORIGIN_NOT_ALLOWED`, `RELAY_REJECTED`, `TRANSACTION_FAILED`, …).
 *
 * @csspart container - The card around everything.
 * @csspart status - The live region with the current state's sentence.
 * @csspart action - The main button of the state (Claim, Switch network, Try again, each wallet…).
 * @csspart amount - The token amount (claimable, next unlock or claimed).
 * @csspart progress - The `<progress>` bar of vested / total.
 * @csspart wallet-list - The list of wallets to choose from (or, on a phone without one, of wallet apps).
 * @csspart deep-link - A link that reopens the page in a wallet app's browser, or opens a wallet app with the
 *   WalletConnect pairing (also `action`).
 * @csspart pairing-qr - The WalletConnect pairing code's figure (the code itself is `qr`).
 * @csspart qr - The WalletConnect pairing code (an inline SVG).
 * @csspart error - The error message.
 * @csspart note - Secondary sentences (gas, next unlock, vested / total, transaction).
 * @csspart link - Links (explorer transaction, "Find a wallet").
 * @csspart hash - The shortened transaction hash.
 * @csspart icon - A wallet's icon.
 * @csspart account - The connected account's chip (wallet icon and short address) with its menu; shown once the
 *   page's wallet of the widget's network is connected (one session per network per page).
 * @csspart account-button - The chip's button: opens the account menu (also with the arrow keys).
 * @csspart account-menu - The account menu: Switch account, Disconnect (every widget of the network).
 * @csspart menu-item - An item of the account menu.
 * @csspart spinner - The busy indicator (still when the user prefers reduced motion).
 * @csspart paid - The note that says who paid the gas (after a failed claim: nobody, the relay or the wallet).
 * @csspart lookup-open - The "Check an address" button.
 * @csspart lookup - The form of "Check an address".
 * @csspart input - The address field of "Check an address".
 * @csspart lookup-check - The form's Check button.
 * @csspart lookup-result - The answer for the address checked (a polite live region).
 * @csspart facts - The answer's claimed and claimable amounts (a `<dl>`).
 *
 * @cssprop [--tokentags-accent=#4f46e5] - Buttons, links, progress and focus ring.
 * @cssprop [--tokentags-accent-text=#ffffff] - Text on the accent color.
 * @cssprop [--tokentags-background=#ffffff] - Card background.
 * @cssprop [--tokentags-text=#111827] - Text color.
 * @cssprop [--tokentags-muted=#4b5563] - Secondary text.
 * @cssprop [--tokentags-border=#d1d5db] - Borders and the progress track.
 * @cssprop [--tokentags-danger=#b91c1c] - Error text.
 * @cssprop [--tokentags-success=#047857] - Success text.
 * @cssprop [--tokentags-focus=var(--tokentags-accent)] - Focus ring.
 * @cssprop [--tokentags-radius=12px] - Corner radius.
 * @cssprop [--tokentags-font=inherit] - Font family (the page's font by default).
 * @cssprop [--tokentags-font-size=1em] - Base font size.
 * @cssprop [--tokentags-spacing=1rem] - Padding of the card; gaps derive from it.
 */
export class TokenClaim extends TokenTagsElement {
  static override styles = [tokenClaimStyles, lookupStyles]

  static override properties = {
    ...TokenTagsElement.properties,
    vault: { type: String },
    chain: { type: String },
    gasless: { type: String },
    fallback: { type: String },
    controller: { attribute: false },
    _state: { state: true },
    _lookupOpen: { state: true },
    _lookupInput: { state: true },
    _lookupInvalid: { state: true },
  }

  declare vault: string | null
  declare chain: string | null
  declare gasless: 'auto' | 'always' | 'never' | null
  declare fallback: 'wallet' | 'none' | null
  declare controller: ClaimController | undefined
  declare _state: ClaimState
  declare _lookupOpen: boolean
  declare _lookupInput: string
  declare _lookupInvalid: boolean
  /** The lazily loaded "Check an address" form, once opened. */
  #lookupView?: LookupModule

  readonly #binding = new ControllerBinding<ClaimState, ClaimTarget, ClaimController>(this, {
    tag: 'token-claim',
    restartOn: ['vault', 'chain', 'gasless', 'fallback'],
    target: () => {
      this._lookupOpen = false
      this._lookupInput = ''
      this._lookupInvalid = false
      return this.#parseAttributes()
    },
    create: () => new CoreClaimController(),
    catalog: () => this.t,
  })

  constructor() {
    super()
    this.vault = null
    this.chain = null
    this.gasless = null
    this.fallback = null
    this._state = { status: 'loading' }
    this._lookupOpen = false
    this._lookupInput = ''
    this._lookupInvalid = false
  }

  /** The state currently drawn. */
  get state(): ClaimState {
    return this._state
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed)
    this.#binding.willUpdate(changed)
  }

  /** The attributes as a claim target, or a readable reason why they are wrong. */
  #parseAttributes(): ClaimTarget | string {
    const vault = this.vault?.trim() ?? ''
    if (!ADDRESS.test(vault)) {
      return vault
        ? `The vault "${vault.slice(0, 50)}" is not an address (0x followed by 40 hexadecimal characters).`
        : 'The vault attribute is missing: set it to the address of the vesting vault.'
    }
    const chainId = parseChainId(
      this.chain,
      'The chain attribute is missing: set it to the chain id of the vault, e.g. 8453.',
    )
    if (typeof chainId === 'string') return chainId
    const fallback = this.fallback?.trim()
    if (fallback && !isFallbackMode(fallback))
      return `The fallback attribute "${fallback.slice(0, 30)}" must be "wallet" or "none".`
    const target: ClaimTarget = { vault: vault as Address, chainId, ...(isFallbackMode(fallback) && { fallback }) }
    const gasless = this.gasless?.trim()
    if (!gasless) return target
    if (!isGaslessMode(gasless)) {
      return `The gasless attribute "${gasless.slice(0, 30)}" must be "auto", "always" or "never".`
    }
    return { ...target, gasless }
  }

  #claim = (): void => this.#binding.active?.claim()

  #payGas = (): void => this.#binding.active?.payGas?.()

  #lookupLoad?: Promise<void>

  /** Loads the lookup's chunk (its button, form and words) the first time a wallet state is drawn. */
  #loadLookup(): void {
    this.#lookupLoad ??= import('./address-lookup.js').then(
      (view) => {
        this.#lookupView = view
        this.requestUpdate()
      },
      () => {
        // The chunk could not be fetched: the card stays a wallet card; the next wallet state tries again.
        this.#lookupLoad = undefined
      },
    )
  }

  #openLookup = (): void => {
    this._lookupOpen = true
  }

  #onLookupInput = (event: Event): void => {
    this._lookupInput = (event.currentTarget as HTMLInputElement).value
    this._lookupInvalid = false
  }

  #onLookupSubmit = (event: Event): void => {
    event.preventDefault()
    const address = this.#lookupView?.parseLookupAddress(this._lookupInput)
    this._lookupInvalid = !address
    if (address) this.#binding.active?.lookup?.(address)
  }

  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete()
    // Once a wallet state asked for it, an update is complete when the lookup's chunk has drawn.
    while (this.#lookupLoad && !this.#lookupView) {
      await this.#lookupLoad
      done = await super.getUpdateComplete()
    }
    return done
  }

  /** Below the wallet states: "Check an address", then its form and answer (a lazily loaded chunk). */
  #lookupPart(lookup: AddressLookup | undefined): TemplateResult | typeof nothing {
    if (!this.#binding.active?.lookup) return nothing
    const view = this.#lookupView
    if (!view) {
      this.#loadLookup()
      return nothing
    }
    // An answer shows its form (a controller may start with one: a story, a test).
    if (!this._lookupOpen && !lookup) return view.renderLookupButton(this.t, this.#openLookup)
    return view.renderLookup({
      t: this.t,
      locale: this.intlLocale,
      input: this._lookupInput,
      invalid: this._lookupInvalid,
      lookup,
      onInput: this.#onLookupInput,
      onSubmit: this.#onLookupSubmit,
    })
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

  #statusLine(state: ClaimState): TemplateResult | string {
    if (isGaslessError(state)) return html`<span part="error" class="error">${reason(state.gasless, this.t)}</span>`
    const t = this.t.claim
    switch (state.status) {
      case 'nothing-to-claim':
        return this.#nothingLine(state.summary)
      case 'claimable':
        return html`${fill(t.ready, { amount: this.#amountPart(state.summary, state.summary.claimable) })}`
      case 'success':
        return html`<span class="done">${fill(t.claimed, {
          amount: html`<span part="amount" class="amount">${formatAmount(state.amount, state.token.decimals, state.token.symbol, this.intlLocale)}</span>`,
        })}</span>`
      default:
        return statusLine(state, this.t, t)
    }
  }

  #body(state: ClaimState): TemplateResult | typeof nothing {
    if (isGaslessError(state))
      return gaslessBody(state, this.t, this.intlLocale, { payGas: this.#payGas, retry: this.#binding.retry })
    const t = this.t.claim
    const common = this.t.common
    switch (state.status) {
      case 'signing':
        return this.#progress(state.summary)
      case 'nothing-to-claim': {
        const next = state.summary.nextUnlock
        if (state.summary.total === 0n)
          return html`<button part="action" class="action" type="button" @click=${this.#binding.retry}>${common.checkAgain}</button>`
        if (state.summary.released >= state.summary.total) return this.#progress(state.summary)
        return html`
          ${this.#progress(state.summary)}
          ${
            next
              ? html`<p part="note" class="note">${fill(t.nextUnlock, {
                  amount: this.#amountPart(state.summary, next.amount),
                  date: html`<time datetime=${new Date(next.timestamp * 1000).toISOString()}>${formatDate(next.timestamp, this.intlLocale)}</time>`,
                })}</p>`
              : html`<p part="note" class="note">${t.noMoreUnlocks}</p>`
          }
          <button part="action" class="action" type="button" @click=${this.#binding.retry}>${common.checkAgain}</button>
        `
      }
      case 'claimable':
        return html`
          ${this.#progress(state.summary)}
          ${state.summary.gasless ? html`<p part="note" class="note">${t.noGas}</p>` : nothing}
          <button part="action" class="action" type="button" @click=${this.#claim}>
            ${fillText(t.action, { amount: this.#amount(state.summary, state.summary.claimable) })}
          </button>
        `
      case 'no-wallet':
      case 'choose-wallet':
        return html`${sharedBody(state, this.t, t, this.#binding)}${this.#lookupPart(state.lookup)}`
      default:
        return sharedBody(state, this.t, t, this.#binding)
    }
  }

  /**
   * Why there is nothing to claim, never contradicting the rest of the card: no schedule, all claimed, the next
   * unlock's date, or nothing left (a revoked schedule).
   */
  #nothingLine(summary: ClaimSummary): TemplateResult | string {
    const t = this.t.claim
    if (summary.total === 0n) return t.noSchedule
    if (summary.released >= summary.total)
      return html`<span class="done">${fill(t.allClaimed, { amount: this.#amountPart(summary, summary.total) })}</span>`
    const next = summary.nextUnlock
    if (next) return html`${fill(t.nothingUntil, { date: this.#date(next.timestamp) })}`
    return t.nothingLeft
  }

  #date(seconds: number): TemplateResult {
    return html`<time datetime=${new Date(seconds * 1000).toISOString()}>${formatDate(seconds, this.intlLocale)}</time>`
  }

  #amount(summary: ClaimSummary, value: bigint): string {
    return formatAmount(value, summary.token.decimals, summary.token.symbol, this.intlLocale)
  }

  #amountPart(summary: ClaimSummary, value: bigint): TemplateResult {
    return html`<span part="amount" class="amount">${this.#amount(summary, value)}</span>`
  }

  #progress(summary: ClaimSummary): TemplateResult {
    const pct = percentOf(summary.vested, summary.total)
    const text = fillText(this.t.claim.vestedOf, {
      vested: this.#amount(summary, summary.vested),
      total: this.#amount(summary, summary.total),
      percent: formatPercent(pct, this.intlLocale),
    })
    return html`
      <progress part="progress" max="100" .value=${pct} aria-label=${this.t.claim.vested} aria-valuetext=${text}></progress>
      <p part="note" class="note" aria-hidden="true">${text}</p>
    `
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'token-claim': TokenClaim
  }
}

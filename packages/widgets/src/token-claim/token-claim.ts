import { html, nothing, type PropertyValues, type TemplateResult } from 'lit'
import { TokenErrorEvent, TokenStatusEvent, TokenSuccessEvent } from '../events.js'
import { TokenTagsElement } from '../internal/base-element.js'
import { getPageConfig, isGaslessMode, watchPageConfig } from '../internal/config.js'
import { warnOnce } from '../internal/dev.js'
import { formatAmount, formatDate, formatPercent, percentOf, shortenHash, txUrl } from '../internal/format.js'
import { fill, fillText } from '../internal/locale.js'
import { messageFor, type WidgetErrorCode } from '../internal/messages.js'
import type { Address, ClaimController, ClaimState, ClaimSummary, ClaimTarget } from './claim-state.js'
import { CoreClaimController } from './core-claim-controller.js'
import { tokenClaimStyles } from './token-claim.styles.js'

const ADDRESS = /^0x[0-9a-fA-F]{40}$/
const NO_WALLET_HELP = 'https://ethereum.org/en/wallets/find-wallet/'
const CONFIG_WAIT_WARNING_MS = 5000

/**
 * Lets the connected account claim its vested tokens from a `VestingVault`.
 *
 * ```html
 * <tokentags-config rpc="8453=https://mainnet.base.org" relay="https://relay.example"></tokentags-config>
 * <token-claim vault="0x…" chain="8453"></token-claim>
 * ```
 *
 * States: `loading`, `no-wallet`, `choose-wallet`, `wrong-network`, `nothing-to-claim`,
 * `claimable`, `signing`, `pending`, `success`, `error`. Every state is announced
 * through a `role="status"` live region.
 *
 * @tag token-claim
 *
 * @attr {string} vault - Address of the `VestingVault` (0x + 40 hex characters). Required.
 * @attr {string} chain - Chain id of the vault, a positive integer (e.g. `8453`). Required; the page's
 *   `<tokentags-config rpc>` must list an RPC URL for it.
 * @attr {'auto' | 'always' | 'never'} gasless - Whether the claim goes through the gasless relay:
 *   `auto` (through the relay when one is configured, else the wallet pays), `always` (fail rather
 *   than pay gas) or `never`. Default: the page's `<tokentags-config gasless>`, itself `auto`.
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
 * @fires {TokenSuccessEvent} token-success - The claim is confirmed; `detail: { txHash, amount, via }`.
 * @fires {TokenErrorEvent} token-error - An error is shown; `detail: { code, message }`. Codes:
 *   `INVALID_ATTRIBUTE` (bad `vault`, `chain` or `gasless`), `CHAIN_NOT_CONFIGURED` (no RPC for `chain`),
 *   and core's codes (`USER_REJECTED`, `RELAY_UNREACHABLE`, `TRANSACTION_FAILED`, …).
 *
 * @csspart container - The card around everything.
 * @csspart status - The live region with the current state's sentence.
 * @csspart action - The main button of the state (Claim, Switch network, Try again, each wallet…).
 * @csspart amount - The token amount (claimable, next unlock or claimed).
 * @csspart progress - The `<progress>` bar of vested / total.
 * @csspart wallet-list - The list of wallets to choose from.
 * @csspart error - The error message.
 * @csspart note - Secondary sentences (gas, next unlock, vested / total, transaction).
 * @csspart link - Links (explorer transaction, "Find a wallet").
 * @csspart hash - The shortened transaction hash.
 * @csspart icon - A wallet's icon.
 * @csspart spinner - The busy indicator (still when the user prefers reduced motion).
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
  static override styles = tokenClaimStyles

  static override properties = {
    ...TokenTagsElement.properties,
    vault: { type: String },
    chain: { type: String },
    gasless: { type: String },
    controller: { attribute: false },
    _state: { state: true },
  }

  declare vault: string | null
  declare chain: string | null
  declare gasless: 'auto' | 'always' | 'never' | null
  declare controller: ClaimController | undefined
  declare _state: ClaimState

  #active?: ClaimController
  /** Whether `#active` is the default controller this element created. */
  #owned = false
  #unsubscribe?: () => void
  #unwatchConfig?: () => void
  #restartNeeded = true
  #hadFocus = false
  #configTimer?: ReturnType<typeof setTimeout>

  constructor() {
    super()
    this.vault = null
    this.chain = null
    this.gasless = null
    this._state = { status: 'loading' }
  }

  /** The state currently drawn. */
  get state(): ClaimState {
    return this._state
  }

  override connectedCallback(): void {
    super.connectedCallback()
    this.#restartNeeded = true
    this.#unwatchConfig = watchPageConfig(() => {
      if (!this.controller) {
        this.#restartNeeded = true
        this.requestUpdate()
      }
    })
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    this.#unwatchConfig?.()
    this.#detach()
    clearTimeout(this.#configTimer)
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed)
    this.#hadFocus = !!this.shadowRoot?.activeElement
    if (
      this.#restartNeeded ||
      changed.has('vault') ||
      changed.has('chain') ||
      changed.has('gasless') ||
      changed.has('controller')
    ) {
      this.#restartNeeded = false
      this.#restart()
    }
  }

  protected override updated(): void {
    // The pressed button often disappears with its state (Claim → "Confirm in your wallet"):
    // keep keyboard users' focus in the widget, on the new action or else on the status line.
    const root = this.shadowRoot
    if (!this.#hadFocus || !root || root.activeElement) return
    const next =
      root.querySelector<HTMLElement>('[part~="action"]') ?? root.querySelector<HTMLElement>('[part~="status"]')
    next?.focus()
  }

  #restart(): void {
    clearTimeout(this.#configTimer)
    const target = this.#parseAttributes()
    if (typeof target === 'string') {
      this.#detach()
      this.#setState({ status: 'error', code: 'INVALID_ATTRIBUTE', message: target, retryable: false })
      return
    }
    if (this.controller) {
      this.#attach(this.controller)
      this.controller.start(target)
      return
    }
    const config = getPageConfig()
    if (!config) {
      this.#detach()
      this.#setState({ status: 'loading' })
      this.#configTimer = setTimeout(() => {
        warnOnce(
          'no-config',
          '<token-claim> is waiting for a <tokentags-config> element (or configureTokenTags()) on the page.',
          'widgets/config',
        )
      }, CONFIG_WAIT_WARNING_MS)
      return
    }
    if (!config.chains.some((chain) => chain.id === target.chainId)) {
      this.#detach()
      this.#setState({
        status: 'error',
        code: 'CHAIN_NOT_CONFIGURED',
        message: `${messageFor('CHAIN_NOT_CONFIGURED')} Add "${target.chainId}=<RPC URL>" to the rpc attribute of <tokentags-config>.`,
        retryable: false,
      })
      return
    }
    if (this.#active && this.#owned) {
      this.#active.start(target)
      return
    }
    const controller = new CoreClaimController()
    this.#attach(controller)
    this.#owned = true
    controller.start(target)
  }

  /** The attributes as a claim target, or a readable reason why they are wrong. */
  #parseAttributes(): ClaimTarget | string {
    const vault = this.vault?.trim() ?? ''
    if (!ADDRESS.test(vault)) {
      return vault
        ? `The vault "${vault.slice(0, 50)}" is not an address (0x followed by 40 hexadecimal characters).`
        : 'The vault attribute is missing: set it to the address of the vesting vault.'
    }
    const chainText = this.chain?.trim() ?? ''
    const chainId = Number(chainText)
    if (!/^\d+$/.test(chainText) || !Number.isSafeInteger(chainId) || chainId <= 0) {
      return chainText
        ? `The chain "${chainText.slice(0, 30)}" is not a chain id (a positive whole number, e.g. 8453).`
        : 'The chain attribute is missing: set it to the chain id of the vault, e.g. 8453.'
    }
    const gasless = this.gasless?.trim()
    if (!gasless) return { vault: vault as Address, chainId }
    if (!isGaslessMode(gasless)) {
      return `The gasless attribute "${gasless.slice(0, 30)}" must be "auto", "always" or "never".`
    }
    return { vault: vault as Address, chainId, gasless }
  }

  #attach(controller: ClaimController): void {
    if (this.#active === controller && this.#unsubscribe) return
    this.#detach()
    this.#active = controller
    this.#unsubscribe = controller.subscribe((state) => this.#setState(state))
    this.#setState(controller.state)
  }

  #detach(): void {
    this.#unsubscribe?.()
    this.#unsubscribe = undefined
    this.#active?.stop()
    this.#active = undefined
    this.#owned = false
  }

  #setState(next: ClaimState): void {
    const previous = this._state
    this._state = next
    if (previous === next) return
    if (previous.status !== next.status) this.dispatchEvent(new TokenStatusEvent({ status: next.status }))
    if (next.status === 'success' && previous.status !== 'success') {
      this.dispatchEvent(new TokenSuccessEvent({ txHash: next.txHash, amount: next.amount, via: next.via }))
    }
    if (next.status === 'error' && (previous.status !== 'error' || previous.code !== next.code)) {
      this.dispatchEvent(new TokenErrorEvent({ code: next.code, message: this.#errorWords(next).message }))
    }
  }

  #retry = (): void => {
    if (this.#active) this.#active.retry()
    else {
      this.#restartNeeded = true
      this.requestUpdate()
    }
  }

  #claim = (): void => this.#active?.claim()
  #switchChain = (): void => this.#active?.switchChain()

  #chooseWallet(event: Event): void {
    const id = (event.currentTarget as HTMLButtonElement).dataset.walletId
    if (id) this.#active?.chooseWallet(id)
  }

  protected override render(): TemplateResult {
    const state = this._state
    const { lang, dir } = this.t
    return html`
      <div part="container" class="container ${this.catalogPending ? 'pending' : ''}" data-status=${state.status} lang=${lang} dir=${dir}>
        <p part="status" class="status" role="status" tabindex="-1">${this.#statusLine(state)}</p>
        ${this.#body(state)}
      </div>
    `
  }

  /** The words of an error: the language's sentence for its code; the English details only help the page author. */
  #errorWords(state: Extract<ClaimState, { status: 'error' }>): { message: string; detail?: string } {
    const t = this.t
    if (t.lang === 'en') return { message: state.message }
    const words = (t.errors as Record<string, string>)[state.code as WidgetErrorCode]
    if (!words) return { message: state.message }
    // The relay's own code (describeError appends it) helps support in any language.
    const relayCode = state.message.match(/ \(([A-Z][A-Z0-9_]*)\)$/)?.[1]
    const message = relayCode ? `${words} (${relayCode})` : words
    const setup = state.code === 'INVALID_ATTRIBUTE' || state.code === 'CHAIN_NOT_CONFIGURED'
    return setup && state.message !== messageFor(state.code) ? { message, detail: state.message } : { message }
  }

  #statusLine(state: ClaimState): TemplateResult | string {
    const t = this.t.claim
    const spinner = html`<span part="spinner" class="spinner" aria-hidden="true"></span>`
    switch (state.status) {
      case 'loading':
        return html`${spinner}${t.loading}`
      case 'no-wallet':
        return t.noWallet
      case 'choose-wallet':
        return t.chooseWallet
      case 'wrong-network':
        return fillText(t.wrongNetwork, { chain: state.chainName })
      case 'nothing-to-claim':
        return t.nothingToClaim
      case 'claimable':
        return html`${fill(t.ready, { amount: this.#amountPart(state.summary, state.summary.claimable) })}`
      case 'signing':
        return html`${spinner}${t.signing}`
      case 'pending':
        return html`${spinner}${state.phase === 'queued' ? t.queued : t.submitted}`
      case 'success':
        return html`<span class="done">${fill(t.claimed, {
          amount: html`<span part="amount" class="amount">${formatAmount(state.amount, state.token.decimals, state.token.symbol, this.intlLocale)}</span>`,
        })}</span>`
      case 'error':
        return html`<span part="error" class="error">${this.#errorWords(state).message}</span>`
    }
  }

  #body(state: ClaimState): TemplateResult | typeof nothing {
    const t = this.t.claim
    const common = this.t.common
    switch (state.status) {
      case 'loading':
        return nothing
      case 'signing':
        return this.#progress(state.summary)
      case 'no-wallet':
        return html`
          <p part="note" class="note">
            ${t.noWalletHelp}
            <a part="link" href=${NO_WALLET_HELP} target="_blank" rel="noopener noreferrer">${common.findWallet}</a>
          </p>
          <button part="action" class="action" type="button" @click=${this.#retry}>${common.checkAgain}</button>
        `
      case 'choose-wallet':
        return html`
          <ul part="wallet-list" class="wallets" aria-label=${common.wallets}>
            ${state.wallets.map(
              (wallet) => html`
                <li>
                  <button part="action" class="action" type="button" data-wallet-id=${wallet.id} @click=${this.#chooseWallet}>
                    ${isSafeIcon(wallet.icon) ? html`<img part="icon" src=${wallet.icon} alt="" width="24" height="24" />` : nothing}
                    <span>${wallet.name}</span>
                  </button>
                </li>
              `,
            )}
          </ul>
        `
      case 'wrong-network':
        return html`
          <p part="note" class="note">${t.wrongNetworkNote}</p>
          <button part="action" class="action" type="button" @click=${this.#switchChain}>
            ${fillText(t.switchTo, { chain: state.chainName })}
          </button>
        `
      case 'nothing-to-claim': {
        const next = state.summary.nextUnlock
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
          <button part="action" class="action" type="button" @click=${this.#retry}>${common.checkAgain}</button>
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
      case 'pending':
        return html`
          ${state.via === 'relay' ? html`<p part="note" class="note">${t.relaySends}</p>` : nothing}
          ${state.txHash ? this.#txLink(state.txHash, state.explorerUrl) : nothing}
        `
      case 'success':
        return html`${this.#txLink(state.txHash, state.explorerUrl)}
          ${state.via === 'relay' ? html`<p part="note" class="note">${t.relayPaid}</p>` : nothing}`
      case 'error': {
        const { detail } = this.#errorWords(state)
        return html`
          ${detail ? html`<p part="note" class="note">${common.setupDetail} <span lang="en" dir="ltr">${detail}</span></p>` : nothing}
          ${state.retryable ? html`<button part="action" class="action" type="button" @click=${this.#retry}>${common.tryAgain}</button>` : nothing}
        `
      }
    }
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

  #txLink(txHash: string, explorerUrl: string | undefined): TemplateResult {
    const href = txUrl(explorerUrl, txHash)
    return html`<p part="note" class="note">
      ${this.t.common.transaction}
      ${
        href
          ? html`<a part="link hash" href=${href} target="_blank" rel="noopener noreferrer" title=${txHash} dir="ltr">${shortenHash(txHash)}</a>`
          : html`<code part="hash" title=${txHash} dir="ltr">${shortenHash(txHash)}</code>`
      }
    </p>`
  }
}

function isSafeIcon(icon: string | undefined): icon is string {
  return !!icon && /^(data:image\/|https:\/\/)/.test(icon)
}

declare global {
  interface HTMLElementTagNameMap {
    'token-claim': TokenClaim
  }
}

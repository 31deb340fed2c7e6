// Rendering every widget shares (<token-claim>, <token-tip>, <token-buy>): the card and its status line, the
// wallet states, the transaction states and link, and the error words.
import { html, nothing, type TemplateResult } from 'lit'
import type { Via } from '../events.js'
import type { Catalog } from '../i18n/en.js'
import type { WalletLink } from './deep-links.js'
import { shortenHash, txUrl } from './format.js'
import { fillText } from './locale.js'
import { messageFor, type WidgetErrorCode } from './messages.js'
import type { SessionState, WriteOutcome } from './wallet-session.js'
import type { PairingState } from './walletconnect-pairing.js'

const NO_WALLET_HELP = 'https://ethereum.org/en/wallets/find-wallet/'

export interface SessionWords {
  noWalletHelp: string
  wrongNetworkNote: string
  switchTo: string
}

/** The words of the states every widget shares: each widget's section of the catalog has them. */
export interface StatusWords {
  loading: string
  noWallet: string
  chooseWallet: string
  wrongNetwork: string
  signing: string
  queued: string
  submitted: string
}

/** The words of the transaction states; `another` (a tip's, a purchase's) offers to start over after `success`. */
export interface TransactionWords {
  relaySends: string
  relayPaid: string
  another?: string
}

/** The transaction states every widget shares. */
type TransactionState =
  | { status: 'pending'; via: Via; txHash?: string; explorerUrl?: string }
  | { status: 'success'; via: Via; txHash: string; explorerUrl?: string }
  | ({ status: 'error'; code: string; message: string; retryable: boolean } & WriteOutcome)

export interface SessionHandlers {
  retry: () => void
  switchChain: () => void
  chooseWallet: (event: Event) => void
}

/** The body of the shared wallet states (`no-wallet`, `choose-wallet`, `wrong-network`), else undefined. */
export function sessionBody(
  state: { status: string },
  t: Catalog,
  words: SessionWords,
  on: SessionHandlers,
): TemplateResult | undefined {
  const s = state as SessionState
  switch (s.status) {
    case 'no-wallet':
      return noWalletBody(t, words.noWalletHelp, NO_WALLET_HELP, s.links, on.retry)
    case 'choose-wallet':
      return html`
        <ul part="wallet-list" class="wallets" aria-label=${t.common.wallets}>
          ${s.wallets.map(
            (wallet) => html`
              <li>
                <button part="action" class="action" type="button" data-wallet-id=${wallet.id} @click=${on.chooseWallet}>
                  ${isSafeIcon(wallet.icon) ? html`<img part="icon" src=${wallet.icon} alt="" width="24" height="24" />` : nothing}
                  <span>${isBrowserWallet(wallet.id) ? t.common.browserWallet : wallet.name}</span>
                </button>
              </li>
            `,
          )}
        </ul>
        ${s.links?.length ? walletAppLinks(t, s.links) : nothing}
      `
    case 'pairing':
      return pairingBody(s, t, on.retry)
    case 'wrong-network':
      return html`
        <p part="note" class="note">${words.wrongNetworkNote}</p>
        <button part="action" class="action" type="button" @click=${on.switchChain}>
          ${fillText(words.switchTo, { chain: s.chainName })}
        </button>
      `
    default:
      return undefined
  }
}

/**
 * A widget's card: the connected account's chip (when the page's session of the widget's network is connected), the
 * state's sentence in a live region, then the state's body. Hidden (`pending`) while the words of a newly chosen
 * language load.
 * @internal
 */
export function card(
  t: Catalog,
  pending: boolean,
  status: string,
  line: TemplateResult | string,
  body: TemplateResult | typeof nothing,
  account?: TemplateResult,
): TemplateResult {
  return html`
    <div part="container" class="container ${pending ? 'pending' : ''}" data-status=${status} lang=${t.lang} dir=${t.dir}>
      ${account ?? nothing}
      <p part="status" class="status" role="status" tabindex="-1">${line}</p>
      ${body}
    </div>
  `
}

/**
 * The status sentence of the states every widget shares (loading, the wallet states, `signing`, `pending`, `error`);
 * empty for any other.
 * @internal
 */
export function statusLine(state: { status: string }, t: Catalog, words: StatusWords): TemplateResult | string {
  const s = state as SessionState | { status: 'signing' } | { status: 'pending'; phase: 'queued' | 'submitted' }
  const spinner = html`<span part="spinner" class="spinner" aria-hidden="true"></span>`
  switch (s.status) {
    case 'loading':
      return html`${spinner}${words.loading}`
    case 'no-wallet':
      return words.noWallet
    case 'choose-wallet':
      return words.chooseWallet
    case 'wrong-network':
      return fillText(words.wrongNetwork, { chain: s.chainName })
    case 'pairing':
      return html`${spinner}${s.phone ? t.common.wcPhone : t.common.wcConnect}`
    case 'signing':
      return html`${spinner}${words.signing}`
    case 'pending':
      return html`${spinner}${s.phase === 'queued' ? words.queued : words.submitted}`
    case 'error':
      return html`<span part="error" class="error">${errorWords(s, t).message}</span>`
    default:
      return ''
  }
}

/**
 * The body of the states every widget shares: the wallet states (`sessionBody`) and the transaction states; nothing
 * for any other.
 * @internal
 */
export function sharedBody(
  state: { status: string },
  t: Catalog,
  words: SessionWords & TransactionWords,
  on: SessionHandlers,
): TemplateResult | typeof nothing {
  return sessionBody(state, t, words, on) ?? transactionBody(state, t, words, on.retry) ?? nothing
}

/**
 * The body of the transaction states (`pending`, `success`, `error`), else undefined: who sends or paid for the
 * transaction and its link, the details of a setup error, and the buttons that `retry` (try again, start over).
 */
function transactionBody(
  state: { status: string },
  t: Catalog,
  words: TransactionWords,
  retry: () => void,
): TemplateResult | undefined {
  const s = state as TransactionState
  switch (s.status) {
    case 'pending':
      return html`
        ${s.via === 'relay' ? html`<p part="note" class="note">${words.relaySends}</p>` : nothing}
        ${s.txHash ? txLink(t.common.transaction, s.txHash, s.explorerUrl) : nothing}
      `
    case 'success':
      return html`
        ${txLink(t.common.transaction, s.txHash, s.explorerUrl)}
        <p part="note" class="note">${s.via === 'relay' ? words.relayPaid : t.gasless.walletPaid}</p>
        ${words.another ? html`<button part="action" class="action" type="button" @click=${retry}>${words.another}</button>` : nothing}
      `
    case 'error': {
      const { detail } = errorWords(s, t)
      // After a failed transaction, who paid: nobody when nothing reached the chain, else the sender of the
      // transaction linked here (its fee is spent); an approval that went through before the rest failed is said.
      return html`
        ${detail ? html`<p part="note" class="note">${t.common.setupDetail} <span lang="en" dir="ltr">${detail}</span></p>` : nothing}
        ${s.txHash ? txLink(t.common.transaction, s.txHash, s.explorerUrl) : nothing}
        ${
          s.paid
            ? html`<p part="note paid" class="note">${s.partial ? `${t.common.partial} ` : ''}${
                s.paid === 'nobody' ? t.common.nothingSent : s.paid === 'relay' ? words.relayPaid : t.gasless.walletPaid
              }</p>`
            : nothing
        }
        ${s.retryable ? html`<button part="action" class="action" type="button" @click=${retry}>${t.common.tryAgain}</button>` : nothing}
      `
    }
    default:
      return undefined
  }
}

/**
 * The labelled field where the visitor types an amount (a tip's, a payment's), with its hint in a live region:
 * `invalid` marks the value wrong, `problem` shows the hint as one.
 * @internal
 */
export function amountField(field: {
  id: string
  hintId: string
  label: string
  value: string
  invalid: boolean
  problem: boolean
  hint: TemplateResult | string
  onInput: (event: Event) => void
  onKey: (event: KeyboardEvent) => void
}): TemplateResult {
  return html`<div class="field">
    <label for=${field.id}>${field.label}</label>
    <input
      id=${field.id}
      part="input"
      type="text"
      inputmode="decimal"
      autocomplete="off"
      spellcheck="false"
      .value=${field.value}
      aria-invalid=${field.invalid ? 'true' : 'false'}
      aria-describedby=${field.hintId}
      @input=${field.onInput}
      @keydown=${field.onKey}
    />
    <p part="note" class="note ${field.problem ? 'error' : ''}" id=${field.hintId} aria-live="polite">${field.hint}</p>
  </div>`
}

/** The words of an error in the widget's language; setup details stay in English. */
export function errorWords(state: { code: string; message: string }, t: Catalog): { message: string; detail?: string } {
  const setup =
    state.code === 'INVALID_ATTRIBUTE' || state.code === 'CHAIN_NOT_CONFIGURED' || state.code === 'WRONG_CONTRACT'
  if (t.lang === 'en') return { message: state.message }
  // A code whose words load with its lazy chunk (UNSUPPORTED_MINT) brings them in the state, every language's.
  const words =
    (state as { words?: Record<string, string> }).words?.[t.lang] ??
    (t.errors as Record<string, string>)[state.code as WidgetErrorCode]
  if (!words) return { message: state.message }
  const relayCode = state.message.match(/ \(([A-Z][A-Z0-9_]*)\)$/)?.[1]
  const message = relayCode ? `${words} (${relayCode})` : words
  return setup && state.message !== messageFor(state.code) ? { message, detail: state.message } : { message }
}

/** "Transaction: 0x9f1c…6789", linked to the explorer when the chain has one. */
export function txLink(label: string, txHash: string, explorerUrl: string | undefined): TemplateResult {
  const href = txUrl(explorerUrl, txHash)
  return html`<p part="note" class="note">
    ${label}
    ${
      href
        ? html`<a part="link hash" href=${href} target="_blank" rel="noopener noreferrer" title=${txHash} dir="ltr">${shortenHash(txHash)}</a>`
        : html`<code part="hash" title=${txHash} dir="ltr">${shortenHash(txHash)}</code>`
    }
  </p>`
}

/** `0x1234…abcd` or `9xQe…Fin` for a `sol:` address. */
export function shortAddress(address: string): string {
  const bare = address.startsWith('sol:') ? address.slice(4) : address
  return bare.length > 12 ? `${bare.slice(0, 6)}…${bare.slice(-4)}` : bare
}

/**
 * A WalletConnect pairing (the pairing chunk draws it: QR code, wallet-app links) and its cancel button, which goes
 * back to the wallets: an abandoned pairing would otherwise keep the widget waiting for WalletConnect's 5 minutes.
 * @internal
 */
export function pairingBody(state: PairingState, t: Catalog, cancel: () => void): TemplateResult {
  const words = { scan: t.common.wcScan, openIn: t.common.openIn, otherWallet: t.common.wcOtherWallet }
  return html`
    ${state.render({ uri: state.uri, links: state.links, phone: state.phone, words })}
    <button part="action" class="action secondary" type="button" @click=${cancel}>${t.common.cancel}</button>
  `
}

/**
 * The body of `no-wallet`: on a phone, links that reopen the page in a wallet app's browser; elsewhere (and below
 * them) where to find a wallet and a button to check again.
 * @internal
 */
export function noWalletBody(
  t: Catalog,
  help: string,
  helpUrl: string,
  links: readonly WalletLink[] | undefined,
  retry: () => void,
): TemplateResult {
  if (links?.length)
    return html`
      ${walletAppLinks(t, links)}
      <p part="note" class="note">
        <a part="link" href=${helpUrl} target="_blank" rel="noopener noreferrer">${t.common.findWallet}</a>
      </p>
    `
  return html`
    <p part="note" class="note">
      ${help}
      <a part="link" href=${helpUrl} target="_blank" rel="noopener noreferrer">${t.common.findWallet}</a>
    </p>
    <button part="action" class="action" type="button" @click=${retry}>${t.common.checkAgain}</button>
  `
}

/** Links that reopen the page in wallet apps' browsers (`walletLinks` of deep-links.ts), under their line. */
function walletAppLinks(t: Catalog, links: readonly WalletLink[]): TemplateResult {
  return html`
    <p part="note" class="note">${t.common.openInWalletHelp}</p>
    <ul part="wallet-list" class="wallets" aria-label=${t.common.walletApps}>
      ${links.map(
        (link) =>
          html`<li><a part="action deep-link" class="action" href=${link.href} rel="noopener">${fillText(t.common.openIn, { wallet: link.name })}</a></li>`,
      )}
    </ul>
  `
}

/**
 * An injected provider whose flags name no wallet: core's `BROWSER_WALLET_ID` (numbered when several) or, for
 * Solana, `SOLANA_BROWSER_WALLET_NAME`. Spelled out: the entry bundle must not import `@tokentags/core/solana`.
 */
function isBrowserWallet(id: string): boolean {
  return id === 'injected' || id.startsWith('injected#') || id === 'Solana wallet'
}

/** @internal */
export function isSafeIcon(icon: string | undefined): icon is string {
  return !!icon && /^(data:image\/|https:\/\/)/.test(icon)
}

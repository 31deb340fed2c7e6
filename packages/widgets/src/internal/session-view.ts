// Rendering shared by <token-tip> and <token-buy>: the wallet states, the transaction link and error words.
import { html, nothing, type TemplateResult } from 'lit'
import type { Catalog } from '../i18n/en.js'
import { shortenHash, txUrl } from './format.js'
import { fillText } from './locale.js'
import { messageFor, type WidgetErrorCode } from './messages.js'
import type { SessionState } from './wallet-session.js'

const NO_WALLET_HELP = 'https://ethereum.org/en/wallets/find-wallet/'

export interface SessionWords {
  noWalletHelp: string
  wrongNetworkNote: string
  switchTo: string
}

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
      return html`
        <p part="note" class="note">
          ${words.noWalletHelp}
          <a part="link" href=${NO_WALLET_HELP} target="_blank" rel="noopener noreferrer">${t.common.findWallet}</a>
        </p>
        <button part="action" class="action" type="button" @click=${on.retry}>${t.common.checkAgain}</button>
      `
    case 'choose-wallet':
      return html`
        <ul part="wallet-list" class="wallets" aria-label=${t.common.wallets}>
          ${s.wallets.map(
            (wallet) => html`
              <li>
                <button part="action" class="action" type="button" data-wallet-id=${wallet.id} @click=${on.chooseWallet}>
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
        <p part="note" class="note">${words.wrongNetworkNote}</p>
        <button part="action" class="action" type="button" @click=${on.switchChain}>
          ${fillText(words.switchTo, { chain: s.chainName })}
        </button>
      `
    default:
      return undefined
  }
}

/** The words of an error in the widget's language; setup details stay in English. */
export function errorWords(state: { code: string; message: string }, t: Catalog): { message: string; detail?: string } {
  const setup = state.code === 'INVALID_ATTRIBUTE' || state.code === 'CHAIN_NOT_CONFIGURED'
  if (t.lang === 'en') return { message: state.message }
  const words = (t.errors as Record<string, string>)[state.code as WidgetErrorCode]
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

function isSafeIcon(icon: string | undefined): icon is string {
  return !!icon && /^(data:image\/|https:\/\/)/.test(icon)
}

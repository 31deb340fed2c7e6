// The WalletConnect pairing view: on a desktop the pairing URI as a QR code for a phone wallet to scan, on a
// phone links that open a wallet app with it. Part of the QR chunk (loaded through `loadPairing()`).
import { html, nothing, type TemplateResult } from 'lit'
import { AsyncDirective, type ChildPart, directive } from 'lit/async-directive.js'
import { renderQr } from './qr.js'

/** A link that opens a wallet app with the pairing URI (`walletConnectLinks` of @tokentags/core/walletconnect). */
export interface PairingLink {
  id: string
  name: string
  universal: string | undefined
  native: string | undefined
}

/** The view's words, from the widget's catalog. */
export interface PairingWords {
  /** The QR code's accessible name and the line above it, e.g. "Scan with your phone's wallet". */
  scan: string
  /** A link's text; `{wallet}` is replaced by the wallet's name, e.g. "Open in {wallet}". */
  openIn: string
  /** The bare `wc:` link's text (Android's chooser of every WalletConnect wallet), e.g. "Other wallet". */
  otherWallet: string
}

export interface PairingView {
  uri: string
  links: readonly PairingLink[]
  /** A phone: links first (a QR code cannot be scanned by the phone showing it). */
  phone: boolean
  words: PairingWords
  /**
   * Called while the view is on screen, returning its release: the pairing stays open only while some widget shows
   * it, so closing the view (Cancel, or the widget leaving the page) gives the pairing up. `detached`: the widget
   * itself left the page (it may be back within the same task, moved by a framework).
   */
  hold?: (() => (detached: boolean) => void) | undefined
}

type Hold = NonNullable<PairingView['hold']>

/** Holds the pairing while its view is connected to the page (Lit tells a directive when its part leaves). */
class HoldWhileShown extends AsyncDirective {
  #hold: Hold | undefined
  #release: ((detached: boolean) => void) | undefined
  #host: unknown

  override update(part: ChildPart, [hold]: [Hold | undefined]) {
    this.#host = part.options?.host
    return this.render(hold)
  }

  render(hold: Hold | undefined) {
    if (hold !== this.#hold) {
      this.#release?.(false)
      this.#hold = hold
      this.#release = this.isConnected ? hold?.() : undefined
    }
    return nothing
  }

  protected override disconnected(): void {
    this.#release?.(!(this.#host instanceof Node && this.#host.isConnected))
    this.#release = undefined
  }

  protected override reconnected(): void {
    this.#release = this.#hold?.()
  }
}

const holdWhileShown = directive(HoldWhileShown)

/**
 * The pairing view. Links are plain anchors, so the navigation happens inside the tap (iOS drops a navigation
 * started after async work); they carry only URLs built by `walletConnectLinks`, never page text.
 */
export function renderPairing({ uri, links, phone, words, hold }: PairingView): TemplateResult {
  const anchors = links.flatMap((link) => {
    const href = link.universal ?? link.native
    if (!href) return []
    const text = link.id === 'wc' ? words.otherWallet : words.openIn.replace('{wallet}', link.name)
    return [html`<li><a part="action deep-link" class="action" href=${href} rel="noopener">${text}</a></li>`]
  })
  const qr = html`<figure part="pairing-qr" class="qr">${renderQr(uri, words.scan)}<figcaption>${words.scan}</figcaption></figure>`
  const list = anchors.length
    ? html`<ul part="wallet-list" class="wallets" aria-label=${words.scan}>${anchors}</ul>`
    : nothing
  return phone ? html`${list}${qr}${holdWhileShown(hold)}` : html`${qr}${list}${holdWhileShown(hold)}`
}

// The account chip and its menu (a small chunk, loaded once the page's wallet of a widget's network is connected):
// the short address and the wallet's icon on a WAI-ARIA menu button, "Switch account" and "Disconnect", the keyboard
// (arrow keys, Home, End, Escape back to the button, Tab out) and the chip's styles, adopted into the widget.
import { css, html, nothing, type TemplateResult } from 'lit'
import { TokenErrorEvent } from '../events.js'
import type { Catalog } from '../i18n/en.js'
import { fillText } from './locale.js'
import { describeError } from './messages.js'
import type { PageAccount } from './page-session.js'
import { errorWords, isSafeIcon, shortAddress } from './session-view.js'

const accountStyles = css`
  @layer tokentags {
    /* The account chip and its menu (every widget, once the page's wallet is connected). */
    .account {
      position: relative;
      justify-self: end;
    }

    .account-button {
      display: inline-flex;
      align-items: center;
      gap: 0.375rem;
      min-height: 2rem;
      padding: 0.25rem 0.625rem;
      border: 1px solid var(--_border);
      border-radius: 999px;
      background: var(--_background);
      color: var(--_text);
      font-size: 0.875em;
    }

    .account-menu {
      position: absolute;
      inset-inline-end: 0;
      z-index: 1;
      min-width: 11rem;
      margin: 0.25rem 0 0;
      padding: 0.25rem;
      list-style: none;
      border: 1px solid var(--_border);
      border-radius: calc(var(--_radius) * 0.75);
      background: var(--_background);
      box-shadow: 0 4px 16px rgb(0 0 0 / 0.15);
    }

    .menu-item {
      display: block;
      width: 100%;
      padding: 0.5rem 0.75rem;
      border: 0;
      border-radius: calc(var(--_radius) * 0.5);
      background: transparent;
      color: var(--_text);
      text-align: start;
    }

    .menu-item:hover,
    .menu-item:focus-visible {
      background: color-mix(in srgb, var(--_accent) 12%, transparent);
    }
  }
`

/** Adds the chip's styles to a widget's shadow root (its own styles stay first; the page's still win by layer). */
export function adoptAccountStyles(host: HTMLElement): void {
  const root = host.shadowRoot
  const sheet = accountStyles.styleSheet
  if (!root || !sheet || root.adoptedStyleSheets.includes(sheet)) return
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
}

/** What a widget's account chip shows and what its controls do (see `ControllerBinding.account`). */
export interface AccountChipView {
  account: PageAccount
  open: boolean
  toggle: () => void
  onButtonKey: (event: KeyboardEvent) => void
  onMenuKey: (event: KeyboardEvent) => void
  onFocusOut: (event: FocusEvent) => void
  switchAccount: () => void
  disconnect: () => void
}

type Focus = 'first' | 'last' | 'button'

/**
 * One widget's account menu: whether it is open, where focus goes after the next render, and the handlers of its
 * controls. The widget renders `render(account, t)` and calls `placeFocus` after each render.
 */
export class AccountMenu {
  #open = false
  #focus?: Focus

  constructor(
    private readonly host: HTMLElement & { requestUpdate(): void },
    private readonly account: () => PageAccount | undefined,
    private readonly catalog: () => Catalog,
  ) {}

  render(account: PageAccount, t: Catalog): TemplateResult {
    return accountChip(
      {
        account,
        open: this.#open,
        toggle: this.#toggle,
        onButtonKey: this.#onButtonKey,
        onMenuKey: this.#onMenuKey,
        onFocusOut: this.#onFocusOut,
        switchAccount: this.#switchAccount,
        disconnect: this.#disconnect,
      },
      t,
    )
  }

  close(): void {
    this.#open = false
  }

  /** Moves focus where the last action asked (a menu item, or back to the chip); true if it did. */
  placeFocus(root: ShadowRoot | null): boolean {
    const focus = this.#focus
    this.#focus = undefined
    if (!focus || !root) return false
    const items = [...root.querySelectorAll<HTMLElement>('[role="menuitem"]')]
    const wanted =
      focus === 'button'
        ? root.querySelector<HTMLElement>('#account-button')
        : focus === 'first'
          ? items[0]
          : items.at(-1)
    wanted?.focus()
    return !!wanted
  }

  #set(open: boolean, focus?: Focus): void {
    this.#open = open
    this.#focus = focus
    this.host.requestUpdate()
  }

  #toggle = (): void => this.#set(!this.#open, this.#open ? 'button' : 'first')

  #onButtonKey = (event: KeyboardEvent): void => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return
    event.preventDefault()
    this.#set(true, event.key === 'ArrowDown' ? 'first' : 'last')
  }

  #onMenuKey = (event: KeyboardEvent): void => {
    const menu = event.currentTarget as HTMLElement
    const items = [...menu.querySelectorAll<HTMLElement>('[role="menuitem"]')]
    const at = items.indexOf((menu.getRootNode() as ShadowRoot).activeElement as HTMLElement)
    const move = (index: number) => items[(index + items.length) % items.length]?.focus()
    switch (event.key) {
      case 'ArrowDown':
        move(at + 1)
        break
      case 'ArrowUp':
        move(at - 1)
        break
      case 'Home':
        move(0)
        break
      case 'End':
        move(items.length - 1)
        break
      case 'Escape':
        this.#set(false, 'button')
        break
      case 'Tab':
        // Tab leaves the menu where the browser takes focus.
        this.#set(false)
        return
      default:
        return
    }
    event.preventDefault()
  }

  #onFocusOut = (event: FocusEvent): void => {
    const chip = event.currentTarget as HTMLElement
    if (this.#open && !chip.contains(event.relatedTarget as Node | null)) this.#set(false)
  }

  #switchAccount = (): void => {
    const account = this.account()
    this.#set(false, 'button')
    account?.switchAccount().catch(this.#report)
  }

  /** A failed switch or disconnect: the session is unchanged, the page hears why (the visitor's own "no" aside). */
  #report = (error: unknown): void => {
    const described = describeError(error)
    if (described.code === 'USER_REJECTED') return
    const { message } = errorWords(described, this.catalog())
    this.host.dispatchEvent(new TokenErrorEvent({ code: described.code, message }))
  }

  #disconnect = (): void => {
    const account = this.account()
    this.#set(false)
    account?.disconnect().catch(this.#report)
  }
}

/**
 * The connected account: the wallet's icon (else its name) and the short address, a menu button (WAI-ARIA menu
 * button: arrow keys move, Escape closes and focus returns) with "Switch account" and "Disconnect".
 */
function accountChip(view: AccountChipView, t: Catalog): TemplateResult {
  const { account } = view
  const c = t.common
  const short = shortAddress(account.address)
  return html`<div part="account" class="account" @focusout=${view.onFocusOut}>
    <button
      part="account-button"
      class="account-button"
      id="account-button"
      type="button"
      aria-haspopup="menu"
      aria-expanded=${view.open ? 'true' : 'false'}
      aria-controls=${view.open ? 'account-menu' : nothing}
      aria-label=${fillText(c.accountOf, { wallet: account.walletName, address: short })}
      title=${account.address}
      @click=${view.toggle}
      @keydown=${view.onButtonKey}
    >
      ${
        isSafeIcon(account.walletIcon)
          ? html`<img part="icon" src=${account.walletIcon} alt="" width="16" height="16" />`
          : html`<span>${account.walletName}</span>`
      }
      <code dir="ltr">${short}</code>
    </button>
    ${
      view.open
        ? html`<ul part="account-menu" class="account-menu" id="account-menu" role="menu" aria-labelledby="account-button" @keydown=${view.onMenuKey}>
            <li role="none"><button part="menu-item" class="menu-item" type="button" role="menuitem" tabindex="-1" @click=${view.switchAccount}>${c.switchAccount}</button></li>
            <li role="none"><button part="menu-item" class="menu-item" type="button" role="menuitem" tabindex="-1" @click=${view.disconnect}>${c.disconnect}</button></li>
          </ul>`
        : nothing
    }
  </div>`
}

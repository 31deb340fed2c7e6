import { LitElement, type PropertyValues, type ReactiveController, type TemplateResult } from 'lit'
import { TokenErrorEvent, TokenStatusEvent, TokenSuccessEvent, type Via } from '../events.js'
import { type Catalog, en } from '../i18n/en.js'
import type { AccountMenu } from './account-menu.js'
import { getPageConfig, watchPageConfig } from './config.js'
import { DEV_MODE, warnOnce } from './dev.js'
import { catalogIfLoaded, loadCatalog, type ResolvedLocale, requestedLocale, resolveLocale } from './locale.js'
import { messageFor } from './messages.js'
import { pageAccount, type SessionNetwork, watchPageAccounts } from './page-session.js'
import { errorWords } from './session-view.js'
import { VERSION } from './version.js'

/** The funnel's chunk (issue 16), imported once for every widget of the page. */
let analytics: Promise<typeof import('./analytics.js')> | undefined

export type ThemeMode = 'light' | 'dark' | 'auto'

// Every connected widget, to re-resolve `lang` when the page changes one.
const widgets = new Set<TokenTagsElement>()
let langObserver: MutationObserver | undefined

function watchLang(): void {
  if (langObserver || typeof MutationObserver === 'undefined') return
  langObserver = new MutationObserver(() => {
    for (const widget of widgets) widget.requestUpdate()
  })
  langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true })
}

/**
 * What every visible TokenTags widget shares: the `locale` and `theme` attributes, the
 * language's words (`this.t`, loaded lazily), `Intl` formatting locale (`this.intlLocale`)
 * and `dir` on the host for right-to-left languages. Subclasses render with `this.t`.
 */
export class TokenTagsElement extends LitElement {
  static readonly version = VERSION

  static override properties = {
    locale: { type: String },
    theme: { type: String, reflect: true },
  }

  /** BCP 47 tag; default: the closest `lang` up the tree, then `<html lang>`, then the browser's. */
  declare locale: string | null
  /** `light`, `dark` or `auto` (follows `prefers-color-scheme`, the default). */
  declare theme: 'light' | 'dark' | 'auto' | null

  /** The words of the current language. */
  protected t: Catalog = en
  /** The locale for `Intl` number and date formats. */
  protected intlLocale = 'en'

  #resolved?: ResolvedLocale
  #catalogReady: Promise<unknown> = Promise.resolve()
  #catalogPending = false
  /** Whether `dir` is ours to set (the page did not set it). */
  #ownsDir?: boolean

  constructor() {
    super()
    this.locale = null
    this.theme = null
  }

  /** The language the widget speaks, e.g. `ar` (its catalog) and the `Intl` tag, e.g. `ar-EG`. */
  get resolvedLocale(): ResolvedLocale {
    return this.#resolved ?? { lang: 'en', intl: 'en' }
  }

  /** True while the words of a newly chosen language load: render hidden, so nothing flashes in English. */
  protected get catalogPending(): boolean {
    return this.#catalogPending
  }

  override connectedCallback(): void {
    super.connectedCallback()
    widgets.add(this)
    watchLang()
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    widgets.delete(this)
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed)
    this.#updateLocale()
  }

  /** Waits for the language's words as well as the render. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let ready: Promise<unknown>
    do {
      ready = this.#catalogReady
      await ready
    } while (ready !== this.#catalogReady)
    return super.getUpdateComplete()
  }

  #updateLocale(): void {
    const resolved = resolveLocale(requestedLocale(this, this.locale))
    if (this.#resolved?.lang === resolved.lang && this.#resolved.intl === resolved.intl) return
    this.#resolved = resolved
    const apply = (catalog: Catalog) => {
      this.t = catalog
      this.intlLocale = catalog.lang === resolved.lang ? resolved.intl : 'en'
      this.#ownsDir ??= !this.hasAttribute('dir')
      if (this.#ownsDir) this.setAttribute('dir', catalog.dir)
    }
    const ready = catalogIfLoaded(resolved.lang)
    if (ready) {
      this.#catalogPending = false
      apply(ready)
      return
    }
    this.#catalogPending = true
    this.#catalogReady = loadCatalog(resolved.lang).then((catalog) => {
      if (this.#resolved !== resolved) return
      this.#catalogPending = false
      apply(catalog)
      this.requestUpdate()
    })
  }
}

/** How long a widget waits for the page's configuration before a warning says what it waits for. */
const CONFIG_WAIT_WARNING_MS = 5000

/** What every widget's controller does; each widget's adds its own actions (claim, tip, quote and buy). @internal */
export interface WidgetController<S, T> {
  readonly state: S
  subscribe(listener: (state: S) => void): () => void
  start(target: T): void
  stop(): void
  chooseWallet(walletId: string): void
  switchChain(): void
  retry(): void
}

/** How a widget uses a `ControllerBinding`. @internal */
export interface BindingOptions<S, T, C> {
  /** The element's tag, for the warning while the page has no configuration. */
  tag: string
  /** The properties that restart the controller when they change (`controller` always does). */
  restartOn: readonly string[]
  /** Called on every (re)start: the element forgets the visitor's input and reads its attributes (or why not). */
  target(): T | string
  /** The default controller, on `@tokentags/core`. */
  create(): C
  /** The words of the element's language, for the error event. */
  catalog(): Catalog
  /** The element's own reaction to a new state, after the events. */
  changed?(next: S, previous: S): void
}

type Success = { status: 'success'; txHash: string; amount: bigint; via: Via; signature?: string }
type Failure = { status: 'error'; code: string; message: string }
let loadingMenu: Promise<typeof import('./account-menu.js')> | undefined

/** Loads the account chip's chunk once per page copy of the widgets; a failed download may be retried. */
function loadAccountMenu(): Promise<typeof import('./account-menu.js')> {
  loadingMenu ??= import('./account-menu.js').catch((error: unknown) => {
    loadingMenu = undefined
    throw error
  })
  return loadingMenu
}

/** The states that offer wallets: no account chip there. */
const WALLET_STATES = new Set(['no-wallet', 'choose-wallet', 'pairing'])
const isSuccess = (state: { status: string }): state is Success => state.status === 'success'
const isFailure = (state: { status: string }): state is Failure => state.status === 'error'

/**
 * Ties a widget to its controller: the element's `controller`, else a default one the binding creates and owns.
 * It (re)starts the controller when the attributes or the page's configuration change, draws the controller's
 * states into `_state` and announces them (`token-status`, `token-success`, `token-error`), and keeps keyboard
 * users' focus in the widget when the pressed button goes away. `retry`, `switchChain` and `chooseWallet` are the
 * handlers of the buttons every widget has.
 * @internal
 */
export class ControllerBinding<
  S extends { status: string },
  T extends { chainId: number },
  C extends WidgetController<S, T>,
> implements ReactiveController
{
  readonly #host: TokenTagsElement & { controller: C | undefined; _state: S }
  readonly #options: BindingOptions<S, T, C>
  #active?: C
  /** Whether `#active` is the default controller this binding created. */
  #owned = false
  #unsubscribe?: () => void
  #unwatchConfig?: () => void
  #restartNeeded = true
  #hadFocus = false
  #configTimer?: ReturnType<typeof setTimeout>
  /** The network of the widget's target (its page session), once the attributes parsed. */
  #network?: SessionNetwork
  #unwatchAccounts?: () => void
  /** The account chip and its menu: a small chunk, loaded once the page has a session of the widget's network. */
  #menu?: AccountMenu

  constructor(host: TokenTagsElement & { controller: C | undefined; _state: S }, options: BindingOptions<S, T, C>) {
    this.#host = host
    this.#options = options
    host.addController(this)
  }

  /** The controller whose states are drawn. */
  get active(): C | undefined {
    return this.#active
  }

  hostConnected(): void {
    this.#unwatchAccounts = watchPageAccounts(() => {
      if (this.#network && !pageAccount(this.#network)) this.#menu?.close()
      this.#loadMenu()
      this.#host.requestUpdate()
    })
    this.#restartNeeded = true
    this.#unwatchConfig = watchPageConfig(() => {
      if (!this.#host.controller) {
        this.#restartNeeded = true
        this.#host.requestUpdate()
      }
    })
  }

  hostDisconnected(): void {
    this.#unwatchAccounts?.()
    this.#menu?.close()
    this.#unwatchConfig?.()
    this.#detach()
    clearTimeout(this.#configTimer)
  }

  /** Called from the element's `willUpdate`: restarts the controller if needed. */
  willUpdate(changed: PropertyValues): void {
    this.#hadFocus = !!this.#host.shadowRoot?.activeElement
    if (this.#restartNeeded || [...this.#options.restartOn, 'controller'].some((key) => changed.has(key))) {
      this.#restartNeeded = false
      this.#restart()
    }
  }

  hostUpdated(): void {
    // The pressed button often disappears with its state (Claim → "Confirm in your wallet"):
    // keep keyboard users' focus in the widget, on the new action or else on the status line.
    const root = this.#host.shadowRoot
    if (this.#menu?.placeFocus(root)) return
    if (!this.#hadFocus || !root || root.activeElement) return
    const next =
      root.querySelector<HTMLElement>('[part~="action"]') ?? root.querySelector<HTMLElement>('[part~="status"]')
    next?.focus()
  }

  retry = (): void => {
    if (this.#active) this.#active.retry()
    else {
      this.#restartNeeded = true
      this.#host.requestUpdate()
    }
  }

  switchChain = (): void => this.#active?.switchChain()

  chooseWallet = (event: Event): void => {
    const id = (event.currentTarget as HTMLButtonElement).dataset.walletId
    if (id) this.#active?.chooseWallet(id)
  }

  /**
   * The account chip of the page's session of the widget's network: shown by the default controller once connected
   * (a controller of the page's own draws what it wants), not in the states that offer wallets.
   */
  get account(): TemplateResult | undefined {
    const network = this.#network
    const account = network && this.#owned ? pageAccount(network) : undefined
    if (!account || !this.#menu || WALLET_STATES.has(this.#host._state.status)) return undefined
    return this.#menu.render(account, this.#options.catalog())
  }

  #loadMenu(): void {
    if (this.#menu || !this.#network || !pageAccount(this.#network)) return
    loadAccountMenu().then(
      ({ AccountMenu, adoptAccountStyles }) => {
        if (this.#menu) return
        adoptAccountStyles(this.#host)
        this.#menu = new AccountMenu(
          this.#host,
          () => (this.#network ? pageAccount(this.#network) : undefined),
          this.#options.catalog,
        )
        this.#host.requestUpdate()
      },
      () => {
        // The chunk did not download: no chip until the next session change retries.
      },
    )
  }

  #restart(): void {
    clearTimeout(this.#configTimer)
    const target = this.#options.target()
    if (typeof target !== 'string') {
      this.#network = target.chainId === 0 ? 'solana' : 'evm'
      this.#loadMenu()
    }
    if (typeof target === 'string') {
      this.#detach()
      this.#show({ status: 'error', code: 'INVALID_ATTRIBUTE', message: target, retryable: false } as unknown as S)
      return
    }
    const controller = this.#host.controller
    if (controller) {
      this.#attach(controller)
      controller.start(target)
      return
    }
    const config = getPageConfig()
    if (!config) {
      this.#detach()
      this.#show({ status: 'loading' } as unknown as S)
      // Only where warnings exist: in the CDN bundles an empty timer would be left of it (bytes up front).
      if (DEV_MODE)
        this.#configTimer = setTimeout(() => {
          warnOnce(
            'no-config',
            `<${this.#options.tag}> is waiting for a <tokentags-config> element (or configureTokenTags()) on the page.`,
            'widgets/config',
          )
        }, CONFIG_WAIT_WARNING_MS)
      return
    }
    // Chain id 0 is a Solana tip's: no EVM chain to configure.
    if (target.chainId !== 0 && !config.chains.some((chain) => chain.id === target.chainId)) {
      this.#detach()
      this.#show({
        status: 'error',
        code: 'CHAIN_NOT_CONFIGURED',
        message: `${messageFor('CHAIN_NOT_CONFIGURED')} Add "${target.chainId}=<RPC URL>" to the rpc attribute of <tokentags-config>.`,
        retryable: false,
      } as unknown as S)
      return
    }
    if (this.#active && this.#owned) {
      this.#active.start(target)
      return
    }
    const created = this.#options.create()
    this.#attach(created)
    this.#owned = true
    created.start(target)
  }

  #attach(controller: C): void {
    if (this.#active === controller && this.#unsubscribe) return
    this.#detach()
    this.#active = controller
    this.#unsubscribe = controller.subscribe((state) => this.#show(state))
    this.#show(controller.state)
  }

  #detach(): void {
    this.#unsubscribe?.()
    this.#unsubscribe = undefined
    this.#active?.stop()
    this.#active = undefined
    this.#owned = false
  }

  #show(next: S): void {
    const host = this.#host
    const previous = host._state
    host._state = next
    if (previous === next) return
    if (previous.status !== next.status) host.dispatchEvent(new TokenStatusEvent({ status: next.status }))
    if (isSuccess(next) && previous.status !== 'success') {
      host.dispatchEvent(
        new TokenSuccessEvent({
          txHash: next.txHash,
          amount: next.amount,
          via: next.via,
          ...(next.signature && { signature: next.signature }),
        }),
      )
    }
    if (isFailure(next) && (!isFailure(previous) || previous.code !== next.code)) {
      const { message } = errorWords(next, this.#options.catalog())
      host.dispatchEvent(new TokenErrorEvent({ code: next.code, message }))
    }
    this.#options.changed?.(next, previous)
    // The site owner's funnel (issue 16): only with a relay and unless the page says analytics="off" (the chunk
    // reads the rest: bytes up front are the tight budget).
    const config = getPageConfig()
    if (config?.relayUrl && config.analytics !== false) {
      // One promise for every state: its reactions run in the order the states came. A fresh import() per state could
      // hand the chunk a stale state after a newer one (signing, claimable, signing: two submits counted for one).
      // biome-ignore lint/suspicious/noAssignInExpressions: one shared import, on first use
      ;(analytics ??= import('./analytics.js')).then(
        (m) => m.record(config, host, this.#options.tag, next, this.#network),
        // A failed download (offline for a moment): the next state imports it again, not a funnel off for good.
        () => (analytics = undefined),
      )
    }
  }
}

import { LitElement, type PropertyValues } from 'lit'
import { type Catalog, en } from '../i18n/en.js'
import { catalogIfLoaded, loadCatalog, type ResolvedLocale, requestedLocale, resolveLocale } from './locale.js'
import { VERSION } from './version.js'

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

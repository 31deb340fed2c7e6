import { type Catalog, en } from '../i18n/en.js'
import { warnOnce } from './dev.js'

/** Languages with a catalog. English is bundled; the others load on first use, one chunk each. */
export const SUPPORTED_LOCALES = ['en', 'es', 'fr', 'de', 'ar'] as const
export type SupportedLocale = (typeof SUPPORTED_LOCALES)[number]

const loaders: Record<Exclude<SupportedLocale, 'en'>, () => Promise<{ default: Catalog }>> = {
  es: () => import('../i18n/locales/es.js'),
  fr: () => import('../i18n/locales/fr.js'),
  de: () => import('../i18n/locales/de.js'),
  ar: () => import('../i18n/locales/ar.js'),
}

const loaded = new Map<string, Catalog>([['en', en]])
const loading = new Map<string, Promise<Catalog>>()

/** The catalog of `lang` if it is already loaded (English always is). */
export function catalogIfLoaded(lang: SupportedLocale): Catalog | undefined {
  return loaded.get(lang)
}

/** Loads the catalog of `lang` once; English if its chunk cannot be fetched. */
export function loadCatalog(lang: SupportedLocale): Promise<Catalog> {
  const ready = loaded.get(lang)
  if (ready) return Promise.resolve(ready)
  let pending = loading.get(lang)
  if (!pending) {
    pending = loaders[lang as Exclude<SupportedLocale, 'en'>]().then(
      (module) => {
        loaded.set(lang, module.default)
        return module.default
      },
      (error: unknown) => {
        loading.delete(lang)
        warnOnce(`locale-load:${lang}`, `Loading the "${lang}" words failed (${String(error)}); showing English.`)
        return en
      },
    )
    loading.set(lang, pending)
  }
  return pending
}

/** The BCP 47 tag a widget should speak: its `locale`, the closest `lang` up the tree, the page's, the browser's. */
export function requestedLocale(el: Element, attribute: string | null | undefined): string {
  const own = attribute?.trim()
  if (own) return own
  let node: Element | null = el
  while (node) {
    const lang = node.getAttribute('lang')?.trim()
    if (lang) return lang
    node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host || null)
  }
  const page = typeof document === 'undefined' ? '' : document.documentElement.lang.trim()
  if (page) return page
  return (typeof navigator !== 'undefined' && navigator.language) || 'en'
}

export interface ResolvedLocale {
  /** The catalog to use. */
  lang: SupportedLocale
  /** The tag for `Intl` (the requested one when its language has a catalog, e.g. `de-CH`). */
  intl: string
}

/** Picks the catalog for a requested tag: exact language match, else English. */
export function resolveLocale(requested: string): ResolvedLocale {
  let canonical: string
  try {
    canonical = Intl.getCanonicalLocales(requested)[0] ?? 'en'
  } catch {
    warnOnce(`locale:${requested.slice(0, 40)}`, `"${requested.slice(0, 40)}" is not a language tag; using English.`)
    return { lang: 'en', intl: 'en' }
  }
  const language = canonical.split('-')[0]?.toLowerCase() ?? 'en'
  const lang = (SUPPORTED_LOCALES as readonly string[]).includes(language) ? (language as SupportedLocale) : 'en'
  return { lang, intl: lang === language ? canonical : 'en' }
}

/**
 * Fills `{name}` placeholders. Values may be strings or Lit templates, and the words stay text:
 * the result is an array Lit renders part by part, never parsed as HTML.
 */
export function fill<T>(message: string, values: Record<string, T>): (string | T)[] {
  const out: (string | T)[] = []
  const re = /\{(\w+)\}/g
  let last = 0
  for (let match = re.exec(message); match; match = re.exec(message)) {
    if (match.index > last) out.push(message.slice(last, match.index))
    const key = match[1] as string
    out.push(key in values ? (values[key] as T) : match[0])
    last = match.index + match[0].length
  }
  if (last < message.length) out.push(message.slice(last))
  return out
}

/** `fill` for plain text (attributes, event details). */
export function fillText(message: string, values: Record<string, string>): string {
  return fill(message, values).join('')
}

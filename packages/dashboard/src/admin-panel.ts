// What the ledger panels (history, funnel) share: their attributes and load on connect, how they
// read the admin API, how their filter forms become a query, and the look of a panel. A 404 from a ledger route means the relay keeps
// no ledger, and the panel hides itself.
import { css, LitElement, type PropertyDeclarations } from 'lit'

/**
 * GET `${api}${path}` with the operator's token from sessionStorage (`tokenKey`), never from the
 * cache. Undefined on 404; throws with the relay's message on any other refusal.
 */
export async function adminGet<T>(api: string, tokenKey: string, path: string): Promise<T | undefined> {
  let token: string | null = null
  try {
    token = sessionStorage.getItem(tokenKey)
  } catch {}
  const response = await fetch(`${api}${path}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    cache: 'no-store',
  })
  if (response.status === 404) return undefined
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } }
    throw new Error(body.error?.message ?? `the relay answered ${response.status}`)
  }
  return (await response.json()) as T
}

/** The filled-in fields of a filter form as a query string (`?site=…`); empty when none is. */
export function filterQuery(form: HTMLFormElement | null): string {
  const params = new URLSearchParams()
  if (form) {
    for (const [key, value] of new FormData(form)) {
      const text = String(value).trim()
      if (text) params.set(key, text)
    }
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

/** A panel's frame, filter form, tables and bar charts; each panel adds its grid and bar colours. */
export const panelStyles = css`
  @layer tokentags {
    :host { display: block; --_border: var(--tokentags-border, #d1d5db); --_muted: var(--tokentags-muted, #6b7280);
      --_accent: var(--tokentags-accent, #4f46e5); --_danger: var(--tokentags-danger, #b91c1c); }
    :host([hidden]) { display: none; }
    section { border: 1px solid var(--_border); border-radius: 10px; padding: 0.75rem 1rem; margin-top: 1rem; }
    h2 { font-size: 1rem; margin: 0 0 0.5rem; }
    h3 { font-size: 0.9rem; margin: 0.75rem 0 0.25rem; }
    form { display: flex; flex-wrap: wrap; gap: 0.5rem 0.75rem; align-items: end; margin-bottom: 0.5rem; }
    label { display: grid; font-size: 0.8rem; color: var(--_muted); }
    input, select { font: inherit; padding: 0.3rem 0.4rem; border: 1px solid var(--_border); border-radius: 6px; }
    button { font: inherit; padding: 0.3rem 0.8rem; border-radius: 6px; border: 1px solid var(--_accent);
      background: var(--_accent); color: #fff; cursor: pointer; }
    table { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
    th, td { text-align: left; padding: 0.2rem 0.4rem; border-bottom: 1px solid var(--_border); }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    svg.chart { width: 100%; max-width: 640px; height: auto; display: block; }
    svg .grid { stroke: var(--_border); stroke-width: 1; }
    svg .axis { fill: var(--_muted); font-size: 10px; }
    svg .bar { fill: var(--_accent); }
    .muted { color: var(--_muted); }
    .error { color: var(--_danger); }
  }
`

/**
 * A dashboard panel over the admin API: `api` and `token-key` attributes, `absent` once a ledger
 * route answered 404 (the panel renders nothing), `error` for the last failed read; reads on connect.
 */
export abstract class AdminPanel extends LitElement {
  // Typed wide so each panel can declare only its own (Lit merges a subclass's with these).
  static override properties: PropertyDeclarations = {
    api: { type: String },
    tokenKey: { type: String, attribute: 'token-key' },
    absent: { state: true },
    error: { state: true },
  }

  declare api: string
  declare tokenKey: string
  declare absent: boolean
  declare error: string | undefined

  constructor() {
    super()
    this.api = '/admin/api'
    this.tokenKey = 'tokentags.adminToken'
    this.absent = false
    this.error = undefined
  }

  override connectedCallback(): void {
    super.connectedCallback()
    void this.load()
  }

  /** Reads the panel's data under its current filters. */
  abstract load(): Promise<void>

  /** {@link adminGet} with this panel's API base and token. */
  protected get<T>(path: string): Promise<T | undefined> {
    return adminGet<T>(this.api, this.tokenKey, path)
  }
}

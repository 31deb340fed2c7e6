import { css, html, nothing } from 'lit'
import { AdminPanel, filterQuery, panelStyles } from './admin-panel.js'
import { barChart } from './charts.js'
import { formatCount } from './format.js'

type Widget = 'claim' | 'tip' | 'buy'

/** One row of `GET /admin/api/ledger/funnel`: one UTC day, site and widget. */
export interface FunnelRow {
  day: string
  site: string
  widget: Widget
  views: number
  connects: number
  submits: number
  successes: number
  errors: number
}

interface Funnel {
  days: FunnelRow[]
  errors: { widget: Widget; code: string; count: number }[]
}

const WIDGETS: Widget[] = ['claim', 'tip', 'buy']
const STEPS = ['views', 'connects', 'submits', 'successes'] as const
type Totals = Record<(typeof STEPS)[number] | 'errors', number>

/** Sums of one widget's rows over the days and sites read. */
function totals(rows: FunnelRow[], widget: Widget): Totals {
  const sum: Totals = { views: 0, connects: 0, submits: 0, successes: 0, errors: 0 }
  for (const r of rows) {
    if (r.widget !== widget) continue
    for (const key of [...STEPS, 'errors'] as const) sum[key] += r[key]
  }
  return sum
}

/** Share of the views, as people read a funnel ("12 %"); a dash before any view. */
const share = (n: number, views: number) => (views > 0 ? `${Math.round((n / views) * 100)} %` : '—')

/**
 * The widgets' funnel for site owners (issue 16): views → connects → submits → successes, with
 * errors and their codes, per widget kind, over a site and a range of UTC days. Reads
 * `GET /admin/api/ledger/funnel`; hidden when the relay keeps no ledger (404). main.ts defines it.
 *
 * @tag tokentags-funnel
 * @attr api - base of the admin API (default `/admin/api`)
 * @attr token-key - sessionStorage key of the operator's token
 */
export class TokenTagsFunnel extends AdminPanel {
  static override properties = {
    funnel: { state: true },
  }

  declare funnel: Funnel | undefined

  constructor() {
    super()
    this.funnel = undefined
  }

  static override styles = [
    panelStyles,
    css`
      @layer tokentags {
        .charts { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); }
        svg .bar.errors { fill: var(--_danger); }
      }
    `,
  ]

  /** Reads the funnel under the current filters; a 404 means no ledger on this relay. */
  async load(): Promise<void> {
    try {
      const query = filterQuery(this.renderRoot.querySelector<HTMLFormElement>('form#funnel-filters'))
      const funnel = await this.get<Funnel>(`/ledger/funnel${query}`)
      if (funnel === undefined) {
        this.absent = true
        return
      }
      this.funnel = funnel
      this.absent = false
      this.error = undefined
    } catch (error) {
      this.error = `Could not read the funnel: ${(error as Error).message}`
    }
  }

  override render() {
    if (this.absent) return nothing
    return html`<section aria-labelledby="funnel-title">
      <h2 id="funnel-title">Widget funnel</h2>
      <form id="funnel-filters" @submit=${(e: SubmitEvent) => {
        e.preventDefault()
        void this.load()
      }}>
        <label>site<input name="site" size="14" /></label>
        <label>from<input name="from" type="date" /></label>
        <label>to (exclusive)<input name="to" type="date" /></label>
        <button type="submit">Apply</button>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${this.funnel ? this.renderFunnel(this.funnel) : html`<p class="muted">Loading…</p>`}
    </section>`
  }

  private renderFunnel(f: Funnel) {
    const shown = WIDGETS.map((widget) => ({ widget, t: totals(f.days, widget) })).filter(
      ({ t }) => t.views + t.connects + t.submits + t.successes + t.errors > 0,
    )
    if (shown.length === 0) return html`<p class="muted">No widget events under these filters.</p>`
    return html`<div class="charts">
        ${shown.map(
          ({ widget, t }) => html`<div>
            <h3>${widget}</h3>
            ${barChart(
              [
                ...STEPS.map((step) => ({ label: step, value: t[step] })),
                { label: 'errors', value: t.errors, className: 'errors' },
              ],
              `Funnel of ${widget} widgets`,
              (v) => formatCount(v),
            )}
          </div>`,
        )}
      </div>
      <table>
        <thead><tr><th>widget</th><th class="num">views</th><th class="num">connects</th><th class="num">submits</th>
          <th class="num">successes</th><th class="num">errors</th><th class="num">success / views</th></tr></thead>
        <tbody>
          ${shown.map(
            ({ widget, t }) => html`<tr data-figure="funnel" data-widget=${widget} data-views=${String(t.views)}
                data-connects=${String(t.connects)} data-submits=${String(t.submits)}
                data-successes=${String(t.successes)} data-errors=${String(t.errors)}>
              <td>${widget}</td>
              <td class="num">${formatCount(t.views)}</td>
              <td class="num">${formatCount(t.connects)} <span class="muted">${share(t.connects, t.views)}</span></td>
              <td class="num">${formatCount(t.submits)} <span class="muted">${share(t.submits, t.views)}</span></td>
              <td class="num">${formatCount(t.successes)}</td>
              <td class="num">${formatCount(t.errors)}</td>
              <td class="num">${share(t.successes, t.views)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${
        f.errors.length === 0
          ? nothing
          : html`<h3>Widget errors by code</h3>
            <table>
              <thead><tr><th>widget</th><th>code</th><th class="num">count</th></tr></thead>
              <tbody>
                ${f.errors.map(
                  (e) => html`<tr data-figure="funnel-error" data-widget=${e.widget} data-code=${e.code}
                      data-count=${String(e.count)}>
                    <td>${e.widget}</td><td>${e.code || '(none)'}</td><td class="num">${formatCount(e.count)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
      }`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tokentags-funnel': TokenTagsFunnel
  }
}

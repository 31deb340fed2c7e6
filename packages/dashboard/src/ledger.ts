import { css, html, nothing } from 'lit'
import { AdminPanel, filterQuery, panelStyles } from './admin-panel.js'
import { barChart } from './charts.js'
import { formatCount, formatEther, formatSol, formatTime } from './format.js'

/** One row of `GET /admin/api/ledger/history` (amounts are decimal strings in wei or lamports). */
export interface HistoryRow {
  day: string
  site: string | null
  kind: 'evm' | 'solana'
  chain: string | null
  requests: number
  confirmed: number
  failed: number
  refused: number
  successRate: number | null
  gas: string
  lamports: string
  fee: string
  p50ConfirmMs: number | null
  p95ConfirmMs: number | null
}

interface History {
  days: HistoryRow[]
  refusals: { code: string; count: number }[]
}

interface Timeline {
  request: Record<string, string | number | null> & { id: string; status: string; kind: string }
  stages: { stage: string; seq: number; at: number; detail: Record<string, unknown> | null }[]
}

const FILTER_STATUSES = ['received', 'queued', 'submitted', 'confirmed', 'failed', 'rejected', 'refused'] as const

/** Sums of `pick` per day, in day order, for the rows of one kind. */
function perDay(rows: HistoryRow[], kind: 'evm' | 'solana', pick: (r: HistoryRow) => number) {
  const days = [...new Set(rows.map((r) => r.day))].sort()
  return days.map((day) => ({
    label: day.slice(5),
    value: rows.filter((r) => r.day === day && r.kind === kind).reduce((sum, r) => sum + pick(r), 0),
  }))
}

const ms = (v: number | null) => (v === null ? '—' : `${(v / 1000).toFixed(1)} s`)

/**
 * The ledger's history in the operator dashboard: per day and site, EVM beside Solana, refusals by
 * code, filters, and a request's timeline by id. Hidden when the relay keeps no ledger (404).
 * main.ts defines it.
 *
 * @tag tokentags-ledger
 * @attr api - base of the admin API (default `/admin/api`)
 * @attr token-key - sessionStorage key of the operator's token
 */
export class TokenTagsLedger extends AdminPanel {
  static override properties = {
    history: { state: true },
    timeline: { state: true },
  }

  declare history: History | undefined
  declare timeline: Timeline | undefined

  constructor() {
    super()
    this.history = undefined
    this.timeline = undefined
  }

  static override styles = [
    panelStyles,
    css`
      @layer tokentags {
        .charts { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); }
        svg .bar.sol { fill: #9333ea; }
        svg .bar.refused { fill: #b45309; }
        .mono { font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
      }
    `,
  ]

  private query(): string {
    return filterQuery(this.renderRoot.querySelector<HTMLFormElement>('form#filters'))
  }

  /** Reads the history under the current filters; a 404 means no ledger on this relay. */
  async load(): Promise<void> {
    try {
      const history = await this.get<History>(`/ledger/history${this.query()}`)
      this.absent = history === undefined
      this.history = history
      this.error = undefined
    } catch (error) {
      this.error = `Could not read the ledger: ${(error as Error).message}`
    }
  }

  private async showTimeline(event: SubmitEvent) {
    event.preventDefault()
    const id = this.renderRoot.querySelector<HTMLInputElement>('#request-id')?.value.trim()
    if (!id) return
    try {
      this.timeline = await this.get<Timeline>(`/ledger/requests/${encodeURIComponent(id)}`)
      this.error = this.timeline ? undefined : `No request ${id} in the ledger.`
    } catch (error) {
      this.error = `Could not read the timeline: ${(error as Error).message}`
    }
  }

  override render() {
    if (this.absent) return nothing
    const h = this.history
    return html`<section aria-labelledby="ledger-title">
      <h2 id="ledger-title">Ledger history</h2>
      <form id="filters" @submit=${(e: SubmitEvent) => {
        e.preventDefault()
        void this.load()
      }}>
        <label>site<input name="site" size="14" /></label>
        <label>chain<input name="chain" size="14" placeholder="8453, solana:devnet" /></label>
        <label>status<select name="status"><option value="">any</option>${FILTER_STATUSES.map(
          (s) => html`<option value=${s}>${s}</option>`,
        )}</select></label>
        <label>from<input name="from" type="date" /></label>
        <label>to (exclusive)<input name="to" type="date" /></label>
        <button type="submit">Apply</button>
      </form>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      ${h ? this.renderHistory(h) : html`<p class="muted">Loading…</p>`}
      <h3>A request's timeline</h3>
      <form @submit=${this.showTimeline}>
        <label>request id<input id="request-id" name="id" size="40" /></label>
        <button type="submit">Show</button>
      </form>
      ${this.timeline ? this.renderTimeline(this.timeline) : nothing}
    </section>`
  }

  private renderHistory(h: History) {
    const rows = h.days
    return html`<div class="charts">
        <div>
          <h3>EVM: sponsored fees per day (ETH)</h3>
          ${barChart(
            perDay(rows, 'evm', (r) => Number(r.fee) / 1e18),
            'EVM fees per day in ether',
            (v) => `${v} ETH`,
          )}
        </div>
        <div>
          <h3>Solana: fees per day (SOL)</h3>
          ${barChart(
            perDay(rows, 'solana', (r) => Number(r.fee) / 1e9).map((b) => ({ ...b, className: 'sol' })),
            'Solana fees per day in SOL',
            (v) => `${v} SOL`,
          )}
        </div>
        <div>
          <h3>Refusals by code</h3>
          ${
            h.refusals.length === 0
              ? html`<p class="muted">None.</p>`
              : barChart(
                  h.refusals.map((r) => ({ label: r.code, value: r.count, className: 'refused' })),
                  'Refusals by code',
                  (v) => formatCount(v),
                )
          }
        </div>
      </div>
      <table>
        <thead><tr><th>day</th><th>site</th><th>chain</th><th class="num">requests</th><th class="num">confirmed</th>
          <th class="num">failed</th><th class="num">refused</th><th class="num">success</th><th class="num">gas</th>
          <th class="num">lamports</th><th class="num">fee</th><th class="num">p50</th><th class="num">p95</th></tr></thead>
        <tbody>
          ${rows.map(
            (r) => html`<tr data-figure="ledger-day" data-day=${r.day} data-site=${r.site ?? ''} data-kind=${r.kind}
                data-chain=${r.chain ?? ''} data-requests=${String(r.requests)} data-fee=${r.fee}>
              <td>${r.day}</td><td>${r.site ?? '—'}</td><td>${r.chain ?? '—'}</td>
              <td class="num">${formatCount(r.requests)}</td><td class="num">${formatCount(r.confirmed)}</td>
              <td class="num">${formatCount(r.failed)}</td><td class="num">${formatCount(r.refused)}</td>
              <td class="num">${r.successRate === null ? '—' : `${(r.successRate * 100).toFixed(1)} %`}</td>
              <td class="num">${r.kind === 'evm' ? formatCount(Number(r.gas)) : '—'}</td>
              <td class="num">${r.kind === 'solana' ? formatCount(Number(r.lamports)) : '—'}</td>
              <td class="num">${r.kind === 'evm' ? formatEther(r.fee) : formatSol(r.fee)}</td>
              <td class="num">${ms(r.p50ConfirmMs)}</td><td class="num">${ms(r.p95ConfirmMs)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${rows.length === 0 ? html`<p class="muted">No requests under these filters.</p>` : nothing}`
  }

  private renderTimeline(t: Timeline) {
    const r = t.request
    return html`<p data-figure="timeline" data-id=${r.id} data-status=${r.status}>
        <span class="mono">${r.id}</span> · ${r.kind} · ${r.chain ?? '—'} · ${r.site ?? '—'} · <strong>${r.status}</strong>
        ${r.txHash ? html` · <span class="mono">${r.txHash}</span>` : nothing}
      </p>
      <table>
        <thead><tr><th>time (UTC)</th><th>stage</th><th>detail</th></tr></thead>
        <tbody>
          ${t.stages.map(
            (s) => html`<tr data-figure="stage" data-stage=${s.stage}>
              <td>${formatTime(s.at)}</td><td>${s.stage}${s.seq > 0 ? ` #${s.seq}` : ''}</td>
              <td class="mono">${s.detail ? JSON.stringify(s.detail) : ''}</td>
            </tr>`,
          )}
        </tbody>
      </table>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tokentags-ledger': TokenTagsLedger
  }
}

import { css, html, LitElement, nothing, type PropertyValues } from 'lit'
import { barChart, gauge, lineChart, type Series } from './charts.js'
import { formatCount, formatEther, formatSol, formatTime, shortAddress } from './format.js'
import { TokenTagsFunnel } from './funnel.js'
import { TokenTagsLedger } from './ledger.js'

const TOKEN_KEY = 'tokentags.adminToken'
const STATUSES = ['queued', 'submitted', 'confirmed', 'failed', 'rejected'] as const

/** What `GET /admin/api/overview` answers (integers in wei are decimal strings). */
export interface Overview {
  at: number
  store: string
  lowBalanceWei: string
  requests: { byStatus: Record<string, number>; history: { at: number; byStatus: Record<string, number> }[] }
  errors: { byCode: Record<string, number> }
  gas: { bySite: { site: string; chainId: number; wei: number }[]; days: string[] }
  chains: {
    chainId: number
    queue: { depth: number; oldestAt?: number }
    inFlight: number
    requests: Record<string, number>
    relayers: { address: string; held: boolean; balanceWei?: string; source: string; low: boolean }[]
    /** This chain's threshold (the operator alerts' too); relays before it had only the top-level one. */
    lowBalanceWei?: string
  }[]
  sites: {
    key: string
    paused: boolean
    dailyBudgetWei?: string
    /** The site's Solana budget (its `lamportsPerDay`); present only when the relay sponsors Solana. */
    dailyBudgetLamports?: string
    today: {
      day: string
      usedWei: string
      spentWei: string
      remainingWei?: string
      /** Lamports reserved plus spent today, and what the budget has left; with `dailyBudgetLamports`. */
      usedLamports?: string
      remainingLamports?: string
    }
    gasByDay: { day: string; spentWei: string }[]
  }[]
  /** The Solana fee payer, when the relay sponsors Solana (lamports as decimal strings). */
  solana?: { chain: string; feePayer: string; balanceLamports?: string; lowBalanceLamports: string; low: boolean }
  failures: {
    at: number
    source: 'api' | 'request'
    status?: number
    code: string
    message: string
    site?: string
    id?: string
    chainId?: number
  }[]
}

type Phase = 'signed-out' | 'loading' | 'ready'

const weiNumber = (wei: string | undefined) => (wei === undefined ? 0 : Number(wei) / 1e18)

type SiteToday = Overview['sites'][number]

/** A site's Solana figures today, when the relay answered them (it does only when it sponsors Solana). */
function lamportsToday(site: SiteToday): { used: string; remaining?: string; budget: string } | undefined {
  const budget = site.dailyBudgetLamports
  const used = site.today.usedLamports
  if (budget === undefined || used === undefined) return undefined
  return {
    used,
    budget,
    ...(site.today.remainingLamports === undefined ? {} : { remaining: site.today.remainingLamports }),
  }
}

// To the lamport (9 decimals): a day's Solana fees are a few thousand lamports each, which 6 decimals would cut.
const sol = (lamports: string | undefined) => formatSol(lamports, 9)

/** The exact count for a cell's tooltip: "12,345 lamports". */
function lamportsTitle(lamports: string | undefined): string {
  if (lamports === undefined) return ''
  try {
    return `${BigInt(lamports).toLocaleString('en-US')} lamports`
  } catch {
    return `${lamports} lamports`
  }
}

/**
 * The relay's operator dashboard. Asks for the operator's bearer token (kept in sessionStorage
 * only), then polls `/admin/api/overview` and draws it; charts are inline SVG.
 *
 * @tag tokentags-dashboard
 * @attr api - base of the admin API (default `/admin/api`)
 * @attr interval - polling period in ms (default 5000)
 */
export class TokenTagsDashboard extends LitElement {
  static override properties = {
    api: { type: String },
    interval: { type: Number },
    phase: { state: true },
    data: { state: true },
    error: { state: true },
  }

  declare api: string
  declare interval: number
  declare phase: Phase
  declare data: Overview | undefined
  declare error: string | undefined
  private timer: ReturnType<typeof setInterval> | undefined

  constructor() {
    super()
    this.api = '/admin/api'
    this.interval = 5000
    this.phase = 'signed-out'
    this.data = undefined
    this.error = undefined
  }

  static override styles = css`
    @layer tokentags {
      :host { display: block; color-scheme: light dark; --_accent: var(--tokentags-accent, #4f46e5);
        --_text: var(--tokentags-text, CanvasText); --_muted: var(--tokentags-muted, #6b7280);
        --_border: var(--tokentags-border, #d1d5db); --_danger: var(--tokentags-danger, #b91c1c);
        --_warn: #b45309; --_ok: #047857; font: inherit; color: var(--_text); }
      header { display: flex; align-items: center; justify-content: space-between; gap: 1rem;
        padding: 0.75rem 1.25rem; border-bottom: 1px solid var(--_border); }
      h1 { font-size: 1.15rem; margin: 0; }
      h2 { font-size: 1rem; margin: 0 0 0.5rem; }
      main { padding: 1rem 1.25rem; display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); }
      section { border: 1px solid var(--_border); border-radius: 10px; padding: 0.75rem 1rem; min-width: 0; }
      section.wide, tokentags-ledger, tokentags-funnel { grid-column: 1 / -1; }
      form { max-width: 24rem; margin: 3rem auto; display: grid; gap: 0.75rem; }
      input { font: inherit; padding: 0.4rem 0.5rem; border: 1px solid var(--_border); border-radius: 6px; }
      button { font: inherit; padding: 0.4rem 0.9rem; border-radius: 6px; border: 1px solid var(--_accent);
        background: var(--_accent); color: #fff; cursor: pointer; }
      button.secondary { background: transparent; color: var(--_accent); }
      button.small { padding: 0 0.5rem; font-size: 0.8rem; margin-inline-start: 0.5rem; }
      button:focus-visible, input:focus-visible { outline: 3px solid var(--_accent); outline-offset: 2px; }
      table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
      th, td { text-align: left; padding: 0.25rem 0.4rem; border-bottom: 1px solid var(--_border); vertical-align: top; }
      td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
      .figures { display: flex; flex-wrap: wrap; gap: 0.75rem 1.25rem; margin: 0 0 0.5rem; padding: 0; list-style: none; }
      .figures dt { color: var(--_muted); font-size: 0.8rem; }
      .figures dd { margin: 0; font-size: 1.3rem; font-variant-numeric: tabular-nums; }
      .error { color: var(--_danger); }
      .muted { color: var(--_muted); }
      .badge { display: inline-block; padding: 0 0.4rem; border-radius: 999px; font-size: 0.75rem; border: 1px solid currentColor; }
      .badge.low, .badge.paused { color: var(--_danger); }
      .badge.held { color: var(--_ok); }
      .legend { display: flex; gap: 0.75rem; font-size: 0.8rem; flex-wrap: wrap; }
      .swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin-right: 0.25em; }
      svg.chart { width: 100%; max-width: 640px; height: auto; display: block; }
      svg .grid { stroke: var(--_border); stroke-width: 1; }
      svg .axis { fill: var(--_muted); font-size: 10px; }
      svg .series { stroke-width: 2; }
      svg .bar { fill: var(--_accent); }
      svg .track { fill: var(--_border); }
      svg .fill.ok { fill: var(--_ok); } svg .fill.warn { fill: var(--_warn); } svg .fill.danger { fill: var(--_danger); }
      .s-queued { stroke: #6b7280; fill: #6b7280; background: #6b7280; }
      .s-submitted { stroke: #2563eb; fill: #2563eb; background: #2563eb; }
      .s-confirmed { stroke: #047857; fill: #047857; background: #047857; }
      .s-failed { stroke: #b91c1c; fill: #b91c1c; background: #b91c1c; }
      .s-rejected { stroke: #b45309; fill: #b45309; background: #b45309; }
      svg.gauge { width: 200px; height: 12px; vertical-align: middle; }
      .mono { font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
    }
  `

  override connectedCallback(): void {
    super.connectedCallback()
    if (this.token()) void this.load()
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback()
    this.stopPolling()
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('phase')) {
      if (this.phase === 'ready') this.startPolling()
      else this.stopPolling()
      if (this.phase === 'signed-out') this.renderRoot.querySelector<HTMLInputElement>('input')?.focus()
    }
  }

  private token(): string | null {
    try {
      return sessionStorage.getItem(TOKEN_KEY)
    } catch {
      return null
    }
  }

  private startPolling() {
    this.stopPolling()
    this.timer = setInterval(() => void this.load(), this.interval)
  }

  private stopPolling() {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
  }

  /** Fetches the overview; a refused token signs the operator out. */
  async load(): Promise<void> {
    const token = this.token()
    if (!token) {
      this.phase = 'signed-out'
      return
    }
    if (this.phase === 'signed-out') this.phase = 'loading'
    try {
      const response = await fetch(`${this.api}/overview`, {
        headers: { authorization: `Bearer ${token}` },
        cache: 'no-store',
      })
      if (response.status === 401 || response.status === 404) {
        sessionStorage.removeItem(TOKEN_KEY)
        this.data = undefined
        this.error =
          response.status === 401
            ? 'That token was refused.'
            : 'The admin API is off on this relay (no admin token set).'
        this.phase = 'signed-out'
        return
      }
      if (!response.ok) throw new Error(`the relay answered ${response.status}`)
      this.data = (await response.json()) as Overview
      this.error = undefined
      this.phase = 'ready'
    } catch (error) {
      this.error = `Could not load the figures: ${(error as Error).message}`
      if (!this.data) this.phase = 'signed-out'
    }
  }

  /** Pauses or resumes a site on every instance (`POST /admin/api/sites/:key/pause|resume`). */
  private async setPaused(key: string, paused: boolean) {
    const token = this.token()
    if (!token) return
    const response = await fetch(`${this.api}/sites/${encodeURIComponent(key)}/${paused ? 'pause' : 'resume'}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    })
    if (!response.ok)
      this.error = `Could not ${paused ? 'pause' : 'resume'} ${key}: the relay answered ${response.status}`
    await this.load()
  }

  private signIn(event: SubmitEvent) {
    event.preventDefault()
    const input = this.renderRoot.querySelector<HTMLInputElement>('#token')
    const token = input?.value.trim()
    if (!token) return
    sessionStorage.setItem(TOKEN_KEY, token)
    this.error = undefined
    void this.load()
  }

  private signOut() {
    sessionStorage.removeItem(TOKEN_KEY)
    this.data = undefined
    this.phase = 'signed-out'
  }

  override render() {
    return html`<header>
        <h1>TokenTags relay</h1>
        ${
          this.phase === 'ready' && this.data
            ? html`<span class="muted" role="status">Updated ${formatTime(this.data.at)} UTC · store ${this.data.store}</span>
              <span><button class="secondary" @click=${() => void this.load()}>Refresh</button>
              <button class="secondary" @click=${this.signOut}>Sign out</button></span>`
            : nothing
        }
      </header>
      ${this.phase === 'ready' && this.data ? this.renderData(this.data) : this.renderSignIn()}`
  }

  private renderSignIn() {
    return html`<form @submit=${this.signIn} aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Operator sign-in</h2>
      <label for="token">Operator token (TOKENTAGS_ADMIN_TOKEN)</label>
      <input id="token" name="token" type="password" autocomplete="off" required />
      <p class="muted">Kept in this tab's session storage only.</p>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <button type="submit">${this.phase === 'loading' ? 'Signing in…' : 'Sign in'}</button>
    </form>`
  }

  private renderData(d: Overview) {
    const t0 = d.requests.history[0]?.at ?? d.at
    const series: Series[] = STATUSES.map((status) => ({
      name: status,
      className: `s-${status}`,
      points: d.requests.history.map((h) => ({ x: (h.at - t0) / 1000, y: h.byStatus[status] ?? 0 })),
    }))
    // One figure when every chain shares its threshold; otherwise each chain's.
    const thresholds = d.chains.map((c) => ({ chainId: c.chainId, wei: BigInt(c.lowBalanceWei ?? d.lowBalanceWei) }))
    const sameThreshold = new Set(thresholds.map((t) => t.wei)).size <= 1
    const lowNote = sameThreshold
      ? formatEther(thresholds[0]?.wei ?? BigInt(d.lowBalanceWei))
      : thresholds.map((t) => `${formatEther(t.wei)} on chain ${t.chainId}`).join(', ')
    return html`<main>
      ${this.error ? html`<p class="error wide" role="alert">${this.error}</p>` : nothing}
      <section aria-labelledby="requests-title">
        <h2 id="requests-title">Requests by status</h2>
        <dl class="figures">
          ${STATUSES.map(
            (s) =>
              html`<div><dt>${s}</dt><dd data-figure="requests" data-status=${s} data-value=${String(d.requests.byStatus[s] ?? 0)}>${formatCount(d.requests.byStatus[s] ?? 0)}</dd></div>`,
          )}
        </dl>
        ${lineChart(series, 'Requests by status since this page opened (cumulative)')}
        <div class="legend">${STATUSES.map((s) => html`<span><span class=${`swatch s-${s}`}></span>${s}</span>`)}</div>
        <p class="muted">Requests that entered each status, counted by this relay process since it started (a confirmed request also counts as queued and submitted); sampled on each refresh.</p>
      </section>

      <section aria-labelledby="queue-title">
        <h2 id="queue-title">Queue</h2>
        <table>
          <thead><tr><th>chain</th><th class="num">queued</th><th class="num">in flight</th><th>oldest</th></tr></thead>
          <tbody>
            ${d.chains.map(
              (c) => html`<tr>
                <td>${c.chainId}</td>
                <td class="num" data-figure="queue-depth" data-chain=${String(c.chainId)} data-value=${String(c.queue.depth)}>${formatCount(c.queue.depth)}</td>
                <td class="num">${c.inFlight}</td>
                <td>${c.queue.oldestAt ? `${Math.round((d.at - c.queue.oldestAt) / 1000)} s ago` : '—'}</td>
              </tr>`,
            )}
          </tbody>
        </table>
        <h2>API errors by code</h2>
        ${
          Object.keys(d.errors.byCode).length === 0
            ? html`<p class="muted">None.</p>`
            : html`<table><tbody>${Object.entries(d.errors.byCode).map(
                ([code, n]) =>
                  html`<tr><td>${code}</td><td class="num" data-figure="errors" data-code=${code} data-value=${String(n)}>${formatCount(n)}</td></tr>`,
              )}</tbody></table>`
        }
      </section>

      <section aria-labelledby="relayers-title">
        <h2 id="relayers-title">Relayer balances</h2>
        <table>
          <thead><tr><th>chain</th><th>relayer</th><th class="num">balance</th><th></th></tr></thead>
          <tbody>
            ${d.chains.flatMap((c) =>
              c.relayers.map(
                (r) => html`<tr data-figure="relayer" data-relayer=${r.address.toLowerCase()}>
                  <td>${c.chainId}</td>
                  <td class="mono" title=${r.address}>${shortAddress(r.address)}</td>
                  <td class="num" data-figure="balance" data-value=${r.balanceWei ?? ''}>${formatEther(r.balanceWei, 4)}</td>
                  <td>
                    ${r.low ? html`<span class="badge low" role="img" aria-label="warning">Low balance</span>` : nothing}
                    ${r.held ? html`<span class="badge held">sending</span>` : nothing}
                  </td>
                </tr>`,
              ),
            )}
            ${
              d.solana
                ? html`<tr data-figure="solana-fee-payer" data-relayer=${d.solana.feePayer}>
                  <td>${d.solana.chain}</td>
                  <td class="mono" title=${d.solana.feePayer}>${shortAddress(d.solana.feePayer)} (fee payer)</td>
                  <td class="num" data-figure="balance" data-value=${d.solana.balanceLamports ?? ''}>${formatSol(d.solana.balanceLamports, 4)}</td>
                  <td>${d.solana.low ? html`<span class="badge low" role="img" aria-label="warning">Low balance</span>` : nothing}</td>
                </tr>`
                : nothing
            }
          </tbody>
        </table>
        <p class="muted">Warning below ${lowNote}${d.solana ? `; the Solana fee payer below ${formatSol(d.solana.lowBalanceLamports)}` : ''}.</p>
      </section>

      <section class="wide" aria-labelledby="gas-title">
        <h2 id="gas-title">Sponsored gas per site and day</h2>
        <table>
          <thead>
            <tr><th>site</th><th class="num">total (this process)</th>${d.gas.days.map((day) => html`<th class="num">${day.slice(5)}</th>`)}</tr>
          </thead>
          <tbody>
            ${d.sites.map((s) => {
              const total = d.gas.bySite.filter((g) => g.site === s.key).reduce((sum, g) => sum + g.wei, 0)
              return html`<tr>
                <td>${s.key}</td>
                <td class="num" data-figure="gas" data-site=${s.key} data-value=${String(total)}>${formatEther(total)}</td>
                ${s.gasByDay.map(
                  (g) =>
                    html`<td class="num" data-figure="gas-day" data-site=${s.key} data-day=${g.day} data-value=${g.spentWei}>${formatEther(g.spentWei)}</td>`,
                )}
              </tr>`
            })}
          </tbody>
        </table>
        ${barChart(
          d.gas.days.map((day) => ({
            label: day.slice(5),
            value: d.sites.reduce((sum, s) => sum + weiNumber(s.gasByDay.find((g) => g.day === day)?.spentWei), 0),
          })),
          'Sponsored gas per day, all sites, in ether',
          (v) => `${v.toFixed(6)} ETH`,
        )}
        <p class="muted">Gas is settled against daily budgets: sites without a <code>dailyBudgetWei</code> show —.</p>
      </section>

      ${this.renderBudgets(d)}

      <section class="wide" aria-labelledby="failures-title">
        <h2 id="failures-title">Recent failures</h2>
        ${
          d.failures.length === 0
            ? html`<p class="muted">None since this relay started.</p>`
            : html`<table>
              <thead><tr><th>time (UTC)</th><th>what</th><th>site</th><th>code</th><th>reason</th></tr></thead>
              <tbody>
                ${d.failures.map(
                  (f) => html`<tr data-figure="failure" data-code=${f.code}>
                    <td>${formatTime(f.at)}</td>
                    <td>${f.source === 'api' ? `refused (${f.status})` : `request ${f.id?.slice(0, 8) ?? ''}`}</td>
                    <td>${f.site ?? '—'}</td>
                    <td>${f.code}</td>
                    <td>${f.message}</td>
                  </tr>`,
                )}
              </tbody>
            </table>`
        }
      </section>
      <tokentags-ledger api=${this.api} token-key=${TOKEN_KEY}></tokentags-ledger>
      <tokentags-funnel api=${this.api} token-key=${TOKEN_KEY}></tokentags-funnel>
    </main>`
  }

  /**
   * Today's budget per site: the wei, and beneath them the lamports when the relay sponsors Solana.
   * The state cell spans both rows because one pause flag covers both networks.
   */
  private renderBudgets(d: Overview) {
    const sponsorsSolana = d.solana !== undefined || d.sites.some((s) => s.dailyBudgetLamports !== undefined)
    return html`<section class="wide" aria-labelledby="budgets-title">
      <h2 id="budgets-title">Site budgets today</h2>
      <table>
        <thead><tr><th>site</th><th>state</th>${sponsorsSolana ? html`<th>network</th>` : nothing}<th>used of budget</th><th class="num">used</th><th class="num">spent</th><th class="num">left</th><th class="num">budget</th></tr></thead>
        ${d.sites.map((s) => {
          const lamports = lamportsToday(s)
          const rows = lamports ? 2 : 1
          return html`<tbody>
            <tr data-figure="budget" data-site=${s.key} data-used=${s.today.usedWei} data-spent=${s.today.spentWei}>
              <td rowspan=${rows}>${s.key}</td>
              <td rowspan=${rows}>
                ${s.paused ? html`<span class="badge paused">paused</span>` : 'active'}
                <button class="secondary small" @click=${() => void this.setPaused(s.key, !s.paused)}
                  aria-label=${`${s.paused ? 'Resume' : 'Pause'} ${s.key}`} aria-describedby="pause-note">${s.paused ? 'Resume' : 'Pause'}</button>
              </td>
              ${sponsorsSolana ? html`<td>EVM</td>` : nothing}
              <td>${s.dailyBudgetWei ? gauge(weiNumber(s.today.usedWei), weiNumber(s.dailyBudgetWei), `${s.key}: EVM budget used today`) : html`<span class="muted">no budget</span>`}</td>
              <td class="num">${formatEther(s.today.usedWei)}</td>
              <td class="num">${formatEther(s.today.spentWei)}</td>
              <td class="num">${s.today.remainingWei === undefined ? '—' : formatEther(s.today.remainingWei)}</td>
              <td class="num">${s.dailyBudgetWei ? formatEther(s.dailyBudgetWei) : '—'}</td>
            </tr>
            ${
              lamports
                ? html`<tr data-figure="budget-lamports" data-site=${s.key} data-used=${lamports.used} data-remaining=${lamports.remaining ?? ''} data-budget=${lamports.budget}>
                  <td>Solana</td>
                  <td>${gauge(Number(lamports.used), Number(lamports.budget), `${s.key}: Solana budget used today`)}</td>
                  <td class="num" title=${lamportsTitle(lamports.used)}>${sol(lamports.used)}</td>
                  <td class="num muted" title="Solana's used counts lamports reserved and spent together">—</td>
                  <td class="num" title=${lamportsTitle(lamports.remaining)}>${sol(lamports.remaining)}</td>
                  <td class="num" title=${lamportsTitle(lamports.budget)}>${sol(lamports.budget)}</td>
                </tr>`
                : nothing
            }
          </tbody>`
        })}
      </table>
      <p class="muted" id="pause-note">${
        sponsorsSolana
          ? 'Pause turns away the site’s new requests on every relay instance, on both networks: EVM requests, Solana transactions and Solana Pay tips.'
          : 'Pause turns away the site’s new requests on every relay instance.'
      } Resume takes them again.</p>
      ${
        sponsorsSolana
          ? html`<p class="muted">Solana’s used is lamports reserved plus spent today: a transaction that never landed gives its reservation back.</p>`
          : nothing
      }
    </section>`
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'tokentags-dashboard': TokenTagsDashboard
  }
}

// Defined here, not in ledger.ts: the package has no side effects, a bare import would be dropped.
if (!customElements.get('tokentags-ledger')) customElements.define('tokentags-ledger', TokenTagsLedger)
if (!customElements.get('tokentags-funnel')) customElements.define('tokentags-funnel', TokenTagsFunnel)
if (!customElements.get('tokentags-dashboard')) customElements.define('tokentags-dashboard', TokenTagsDashboard)

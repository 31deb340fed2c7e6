import type { SqlClient, SqlDriver } from './driver.js'
import { MIGRATIONS, type Migration } from './migrations.js'
import { beginWrite, foldedHistory, prune, refusalCounts } from './retention.js'
import type {
  FunnelBatch,
  FunnelErrorCount,
  FunnelFilter,
  FunnelRow,
  FunnelWidget,
  HistoryRow,
  Ledger,
  LedgerEntry,
  LedgerFilter,
  LedgerKind,
  LedgerRequest,
  LedgerStage,
  LedgerStageRow,
  LedgerStatus,
  PruneResult,
  RefusalCount,
  RequestTimeline,
  StageEvent,
} from './types.js'
import { FUNNEL_KINDS, FUNNEL_WIDGETS, LEDGER_STATUSES, LedgerUnavailableError, STAGES } from './types.js'

/** The status a stage implies when its event names none. */
const STAGE_STATUS: Record<LedgerStage, LedgerStatus> = {
  received: 'received',
  refused: 'refused',
  admitted: 'queued',
  simulated: 'queued',
  batched: 'queued',
  submitted: 'submitted',
  replaced: 'submitted',
  confirmed: 'confirmed',
  failed: 'failed',
  settled: 'confirmed',
}

/** A status only moves forward; a final one (rank 3) never changes, whatever order events arrive in. */
const STATUS_RANK: Record<LedgerStatus, number> = {
  received: 0,
  queued: 1,
  submitted: 2,
  confirmed: 3,
  failed: 3,
  rejected: 3,
  refused: 3,
}

const FINAL_RANK = 3

/** Stages written at the same instant, in the order they happen (the relay simulates, then admits). */
const TIMELINE_ORDER: LedgerStage[] = [
  'received',
  'refused',
  'simulated',
  'admitted',
  'batched',
  'submitted',
  'replaced',
  'confirmed',
  'failed',
  'settled',
]

// "newer": this event may set the status and the fields that follow it (code, transaction hash).
const NEWER = `(EXCLUDED.status_rank > ledger_requests.status_rank OR (EXCLUDED.status_rank = ledger_requests.status_rank
  AND ledger_requests.status_rank < ${FINAL_RANK} AND EXCLUDED.updated_at >= ledger_requests.updated_at))`

// One statement per stage: the request's row is merged only when the stage row is new (`FROM stage`
// is empty for a stage written before, whose effect on the row was applied then). Half the round
// trips of a separate INSERT and upsert: the drainer's work runs in the relay's own process.
const WRITE_EVENT = `WITH stage AS (
  INSERT INTO ledger_stages (request_id, stage, seq, at, detail)
  VALUES ($1, $18, $19, $16::timestamptz, $20::jsonb)
  ON CONFLICT (request_id, stage, seq) DO NOTHING
  RETURNING request_id
)
INSERT INTO ledger_requests (id, kind, site, chain, sender, target, selector, function_name,
  status, status_rank, code, gas, lamports, fee, tx_hash, created_at, updated_at, confirmed_at)
SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text, $10::smallint,
  $11::text, $12::numeric, $13::numeric, $14::numeric, $15::text, $16::timestamptz, $16::timestamptz,
  $17::timestamptz
FROM stage
ON CONFLICT (id) DO UPDATE SET
  site = COALESCE(ledger_requests.site, EXCLUDED.site),
  chain = COALESCE(ledger_requests.chain, EXCLUDED.chain),
  sender = COALESCE(ledger_requests.sender, EXCLUDED.sender),
  target = COALESCE(ledger_requests.target, EXCLUDED.target),
  selector = COALESCE(ledger_requests.selector, EXCLUDED.selector),
  function_name = COALESCE(ledger_requests.function_name, EXCLUDED.function_name),
  status = CASE WHEN ${NEWER} THEN EXCLUDED.status ELSE ledger_requests.status END,
  code = CASE WHEN ${NEWER} THEN COALESCE(EXCLUDED.code, ledger_requests.code) ELSE ledger_requests.code END,
  tx_hash = CASE WHEN ${NEWER} THEN COALESCE(EXCLUDED.tx_hash, ledger_requests.tx_hash)
    ELSE COALESCE(ledger_requests.tx_hash, EXCLUDED.tx_hash) END,
  status_rank = GREATEST(ledger_requests.status_rank, EXCLUDED.status_rank),
  gas = COALESCE(EXCLUDED.gas, ledger_requests.gas),
  lamports = COALESCE(EXCLUDED.lamports, ledger_requests.lamports),
  fee = COALESCE(EXCLUDED.fee, ledger_requests.fee),
  created_at = LEAST(ledger_requests.created_at, EXCLUDED.created_at),
  updated_at = GREATEST(ledger_requests.updated_at, EXCLUDED.updated_at),
  confirmed_at = COALESCE(ledger_requests.confirmed_at, EXCLUDED.confirmed_at)`

const REQUEST_COLUMNS = `id, kind, site, chain, sender, target, selector, function_name, status, code,
  gas::text AS gas, lamports::text AS lamports, fee::text AS fee, tx_hash, created_at, updated_at, confirmed_at`

const MAX_TEXT = 512
// numeric(78, 0) holds any uint256; a longer number reaches the database and fails the whole batch there.
const DECIMAL = /^[0-9]{1,100}$/

/** Applies the migrations a database lacks, in order, under a lock (relays starting together apply each once). */
export async function migrate(driver: SqlDriver, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return driver.transaction(async (tx) => {
    // The lock comes first: two relays creating the table at once would collide in the catalog.
    await tx.query(`SELECT pg_advisory_xact_lock(7163007)`)
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations')
    const applied = new Set(rows.map((r) => Number(r.version)))
    const now: number[] = []
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue
      for (const statement of splitStatements(migration.sql)) await tx.query(statement)
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ])
      now.push(migration.version)
    }
    return now
  })
}

/** `pg` takes one statement per parameterless query only in simple mode; split so both backends run them alike. */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*\n/)
    .map((s) => s.trim().replace(/;$/, ''))
    .filter((s) => s !== '')
}

/** The ledger on any {@link SqlDriver}; the schema must be migrated ({@link migrate}). */
export class SqlLedger implements Ledger {
  readonly backend: 'postgres' | 'pglite'

  constructor(private readonly driver: SqlDriver) {
    this.backend = driver.backend
  }

  async record(events: readonly LedgerEntry[]): Promise<void> {
    if (events.length === 0) return
    const checked = events.map((e) => (isFunnelBatch(e) ? checkFunnel(e) : checkEvent(e)))
    await this.guard(() =>
      this.driver.transaction(async (tx) => {
        const prunedBefore = await beginWrite(tx)
        for (const entry of checked) {
          if (isFunnelBatch(entry)) await writeFunnel(tx, entry)
          // A stage of a day already folded into the daily aggregates: that day's figures are final.
          else if (entry.at >= prunedBefore) await writeEvent(tx, entry)
        }
      }),
    )
  }

  async funnel(filter: FunnelFilter = {}): Promise<FunnelRow[]> {
    const { where, params } = funnelWhere(filter)
    const { rows } = await this.guard(() =>
      this.driver.query<Record<string, unknown>>(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, site, widget,
          COALESCE(sum(count) FILTER (WHERE kind = 'view'), 0)::bigint::text AS views,
          COALESCE(sum(count) FILTER (WHERE kind = 'connect'), 0)::bigint::text AS connects,
          COALESCE(sum(count) FILTER (WHERE kind = 'submit'), 0)::bigint::text AS submits,
          COALESCE(sum(count) FILTER (WHERE kind = 'success'), 0)::bigint::text AS successes,
          COALESCE(sum(count) FILTER (WHERE kind = 'error'), 0)::bigint::text AS errors
        FROM ledger_funnel ${where}
        GROUP BY day, site, widget ORDER BY day, site, array_position($${params.length + 1}::text[], widget)`,
        [...params, FUNNEL_WIDGETS],
      ),
    )
    return rows.map((r) => ({
      day: String(r.day),
      site: String(r.site),
      widget: r.widget as FunnelWidget,
      views: Number(r.views),
      connects: Number(r.connects),
      submits: Number(r.submits),
      successes: Number(r.successes),
      errors: Number(r.errors),
    }))
  }

  async funnelErrors(filter: FunnelFilter = {}): Promise<FunnelErrorCount[]> {
    const { where, params } = funnelWhere(filter, `kind = 'error'`)
    const { rows } = await this.guard(() =>
      this.driver.query<Record<string, unknown>>(
        `SELECT widget, code, sum(count)::bigint::text AS count FROM ledger_funnel ${where}
        GROUP BY widget, code ORDER BY sum(count) DESC, widget, code`,
        params,
      ),
    )
    return rows.map((r) => ({ widget: r.widget as FunnelWidget, code: String(r.code), count: Number(r.count) }))
  }

  async history(filter: LedgerFilter = {}): Promise<HistoryRow[]> {
    const { where, params } = whereClause(filter)
    const { rows } = await this.guard(() =>
      this.driver.query<Record<string, unknown>>(
        `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, site, kind, chain,
          count(*)::int AS requests,
          (count(*) FILTER (WHERE status = 'confirmed'))::int AS confirmed,
          (count(*) FILTER (WHERE status IN ('failed', 'rejected')))::int AS failed,
          (count(*) FILTER (WHERE status = 'refused'))::int AS refused,
          COALESCE(sum(gas), 0)::text AS gas, COALESCE(sum(lamports), 0)::text AS lamports,
          COALESCE(sum(fee), 0)::text AS fee,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM confirmed_at - created_at) * 1000)
            FILTER (WHERE confirmed_at IS NOT NULL) AS p50,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM confirmed_at - created_at) * 1000)
            FILTER (WHERE confirmed_at IS NOT NULL) AS p95
        FROM ledger_requests ${where}
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 2 NULLS FIRST, 3, 4 NULLS FIRST`,
        params,
      ),
    )
    const folded = await this.guard(() => foldedHistory(this.driver, filter))
    // Folded days all come before the days still kept row by row.
    return [...folded, ...rows].map((r) => {
      const confirmed = Number(r.confirmed)
      const failed = Number(r.failed)
      return {
        day: String(r.day),
        site: (r.site as string | null) ?? null,
        kind: r.kind as LedgerKind,
        chain: (r.chain as string | null) ?? null,
        requests: Number(r.requests),
        confirmed,
        failed,
        refused: Number(r.refused),
        successRate: confirmed + failed === 0 ? null : confirmed / (confirmed + failed),
        gas: String(r.gas),
        lamports: String(r.lamports),
        fee: String(r.fee),
        p50ConfirmMs: r.p50 === null || r.p50 === undefined ? null : Math.round(Number(r.p50)),
        p95ConfirmMs: r.p95 === null || r.p95 === undefined ? null : Math.round(Number(r.p95)),
      }
    })
  }

  async refusals(filter: LedgerFilter = {}): Promise<RefusalCount[]> {
    const { where, params } = whereClause({ ...filter, status: 'refused' })
    return this.guard(() => refusalCounts(this.driver, where, params, filter))
  }

  async prune(options: { before: number }): Promise<PruneResult> {
    return this.guard(() => prune(this.driver, options.before))
  }

  async timeline(id: string): Promise<RequestTimeline | undefined> {
    return this.guard(() =>
      this.driver.transaction(async (tx) => {
        // One snapshot: a drain committing between the two reads showed a row older than its stages.
        await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ')
        const { rows } = await tx.query<Record<string, unknown>>(
          `SELECT ${REQUEST_COLUMNS} FROM ledger_requests WHERE id = $1`,
          [id],
        )
        const row = rows[0]
        if (!row) return undefined
        const stages = await tx.query<Record<string, unknown>>(
          `SELECT stage, seq, at, detail FROM ledger_stages WHERE request_id = $1
        ORDER BY at, array_position($2::text[], stage), seq`,
          [id, TIMELINE_ORDER],
        )
        return {
          request: toRequest(row),
          stages: stages.rows.map(
            (s): LedgerStageRow => ({
              stage: s.stage as LedgerStage,
              seq: Number(s.seq),
              at: toMs(s.at),
              detail: (typeof s.detail === 'string' ? JSON.parse(s.detail) : s.detail) ?? null,
            }),
          ),
        }
      }),
    )
  }

  async *requests(filter: LedgerFilter = {}, pageSize = 500): AsyncIterable<LedgerRequest> {
    let after: { at: string; id: string } | undefined
    for (;;) {
      const { where, params } = whereClause(filter, after)
      params.push(pageSize)
      const { rows } = await this.guard(() =>
        this.driver.query<Record<string, unknown>>(
          `SELECT ${REQUEST_COLUMNS}, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS cursor_at
          FROM ledger_requests ${where} ORDER BY created_at, id LIMIT $${params.length}`,
          params,
        ),
      )
      for (const row of rows) yield toRequest(row)
      const last = rows.at(-1)
      if (!last || rows.length < pageSize) return
      after = { at: `${String(last.cursor_at)}Z`, id: String(last.id) }
    }
  }

  async migrations(): Promise<number[]> {
    const { rows } = await this.guard(() =>
      this.driver.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version'),
    )
    return rows.map((r) => Number(r.version))
  }

  async ping(): Promise<void> {
    await this.guard(() => this.driver.query('SELECT 1'))
  }

  close(): Promise<void> {
    return this.driver.close()
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (error) {
      if (error instanceof LedgerUnavailableError) throw error
      throw new LedgerUnavailableError(`ledger (${this.backend}): ${(error as Error)?.message ?? error}`, {
        cause: error,
      })
    }
  }
}

async function writeEvent(tx: SqlClient, event: StageEvent): Promise<void> {
  const at = new Date(event.at).toISOString()
  const status = event.status ?? STAGE_STATUS[event.stage]
  await tx.query(WRITE_EVENT, [
    event.requestId,
    event.kind,
    event.site ?? null,
    event.chain ?? null,
    event.sender ?? null,
    event.target ?? null,
    event.selector ?? null,
    event.functionName ?? null,
    status,
    STATUS_RANK[status],
    event.code ?? null,
    event.gas ?? null,
    event.lamports ?? null,
    event.fee ?? null,
    event.txHash ?? null,
    at,
    event.stage === 'confirmed' ? at : null,
    event.stage,
    event.seq ?? 0,
    event.detail === undefined ? null : JSON.stringify(event.detail),
  ])
}

const INSERT_FUNNEL_BATCH = `INSERT INTO ledger_funnel_batches (id, at) VALUES ($1, $2::timestamptz)
ON CONFLICT (id) DO NOTHING RETURNING id`

const ADD_FUNNEL_COUNT = `INSERT INTO ledger_funnel (site, day, widget, kind, code, count)
VALUES ($1, ($2::timestamptz AT TIME ZONE 'UTC')::date, $3, $4, $5, $6)
ON CONFLICT (site, day, widget, kind, code) DO UPDATE SET count = ledger_funnel.count + EXCLUDED.count`

function isFunnelBatch(entry: LedgerEntry): entry is FunnelBatch {
  return (entry as { type?: unknown }).type === 'funnel'
}

async function writeFunnel(tx: SqlClient, batch: FunnelBatch): Promise<void> {
  const at = new Date(batch.at).toISOString()
  // Counted before (an outbox drained twice): adding again would double it.
  const inserted = await tx.query(INSERT_FUNNEL_BATCH, [batch.id, at])
  if (inserted.rows.length === 0) return
  for (const c of batch.counts)
    await tx.query(ADD_FUNNEL_COUNT, [batch.site, at, c.widget, c.kind, c.code ?? '', c.count])
}

const FUNNEL_CODE = /^[A-Z][A-Z0-9_]{0,63}$/

function checkFunnel(batch: FunnelBatch): FunnelBatch {
  const problem = funnelProblem(batch)
  if (problem) throw new InvalidStageEventError(`funnel batch ${String(batch.id).slice(0, 80)}: ${problem}`)
  return { ...batch, site: batch.site.slice(0, MAX_TEXT) }
}

function funnelProblem(batch: FunnelBatch): string | undefined {
  if (typeof batch.id !== 'string' || batch.id === '' || batch.id.length > 200) return 'id'
  if (typeof batch.site !== 'string' || batch.site === '') return 'site'
  if (!Number.isFinite(batch.at)) return 'at is not a time'
  if (!Array.isArray(batch.counts)) return 'counts'
  for (const c of batch.counts) {
    if (!(FUNNEL_WIDGETS as readonly string[]).includes(c.widget)) return `unknown widget ${String(c.widget)}`
    if (!(FUNNEL_KINDS as readonly string[]).includes(c.kind)) return `unknown kind ${String(c.kind)}`
    if (c.code !== undefined && !FUNNEL_CODE.test(c.code)) return 'code'
    if (!Number.isSafeInteger(c.count) || c.count < 1) return 'count'
  }
  return undefined
}

/** Days of `[from, to)`: a day counts when any instant of it is in range. */
function funnelWhere(filter: FunnelFilter, extra?: string) {
  const conditions: string[] = extra ? [extra] : []
  const params: unknown[] = []
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
  if (filter.from !== undefined) {
    params.push(day(filter.from))
    conditions.push(`day >= $${params.length}::date`)
  }
  if (filter.to !== undefined) {
    params.push(day(filter.to - 1))
    conditions.push(`day <= $${params.length}::date`)
  }
  if (filter.site !== undefined) {
    params.push(filter.site)
    conditions.push(`site = $${params.length}`)
  }
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params }
}

/** Refuses an event that could not be written (so one bad entry is told apart from an outage). */
export class InvalidStageEventError extends Error {
  override name = 'InvalidStageEventError'
}

function checkEvent(event: StageEvent): StageEvent {
  const problem = eventProblem(event)
  if (problem) throw new InvalidStageEventError(`stage event ${String(event.requestId).slice(0, 80)}: ${problem}`)
  const clip = (s: string | undefined) => (s === undefined ? undefined : s.slice(0, MAX_TEXT))
  return {
    ...event,
    site: clip(event.site),
    chain: clip(event.chain),
    sender: clip(event.sender),
    target: clip(event.target),
    selector: clip(event.selector),
    functionName: clip(event.functionName),
    code: clip(event.code),
    txHash: clip(event.txHash),
  }
}

function eventProblem(event: StageEvent): string | undefined {
  if (typeof event.requestId !== 'string' || event.requestId === '' || event.requestId.length > 200) return 'requestId'
  if (!(STAGES as readonly string[]).includes(event.stage)) return `unknown stage ${String(event.stage)}`
  if (event.kind !== 'evm' && event.kind !== 'solana') return `unknown kind ${String(event.kind)}`
  if (!Number.isFinite(event.at)) return 'at is not a time'
  if (event.seq !== undefined && (!Number.isInteger(event.seq) || event.seq < 0 || event.seq > 2 ** 31 - 1))
    return 'seq'
  if (event.status !== undefined && !LEDGER_STATUSES.includes(event.status)) return `unknown status ${event.status}`
  for (const key of ['gas', 'lamports', 'fee'] as const) {
    const value = event[key]
    if (value !== undefined && !DECIMAL.test(value)) return `${key} is not a decimal integer`
  }
  return undefined
}

function whereClause(filter: LedgerFilter, after?: { at: string; id: string }) {
  const conditions: string[] = []
  const params: unknown[] = []
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value)
    conditions.push(sql(params.length))
  }
  if (filter.from !== undefined) add((n) => `created_at >= $${n}::timestamptz`, new Date(filter.from).toISOString())
  if (filter.to !== undefined) add((n) => `created_at < $${n}::timestamptz`, new Date(filter.to).toISOString())
  if (filter.site !== undefined) add((n) => `site = $${n}`, filter.site)
  if (filter.chain !== undefined) add((n) => `chain = $${n}`, filter.chain)
  if (filter.status !== undefined) add((n) => `status = $${n}`, filter.status)
  if (after) {
    params.push(after.at, after.id)
    conditions.push(`(created_at, id) > ($${params.length - 1}::timestamptz, $${params.length})`)
  }
  return { where: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params }
}

function toMs(value: unknown): number {
  return value instanceof Date ? value.getTime() : new Date(String(value)).getTime()
}

function toRequest(row: Record<string, unknown>): LedgerRequest {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v))
  return {
    id: String(row.id),
    kind: row.kind as LedgerKind,
    site: text(row.site),
    chain: text(row.chain),
    sender: text(row.sender),
    target: text(row.target),
    selector: text(row.selector),
    functionName: text(row.function_name),
    status: row.status as LedgerStatus,
    code: text(row.code),
    gas: text(row.gas),
    lamports: text(row.lamports),
    fee: text(row.fee),
    txHash: text(row.tx_hash),
    createdAt: toMs(row.created_at),
    updatedAt: toMs(row.updated_at),
    confirmedAt: row.confirmed_at === null || row.confirmed_at === undefined ? null : toMs(row.confirmed_at),
  }
}

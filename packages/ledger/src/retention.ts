import type { SqlClient, SqlDriver } from './driver.js'
import type { LedgerFilter, PruneResult } from './types.js'

const DAY_MS = 86_400_000

/**
 * Advisory locks: writers hold `WRITERS` shared while they write, a prune holds it exclusively while
 * it folds one day, so no stage lands in a day being folded (it would be deleted unsummed).
 * `PRUNER` is tried, never waited on: one prune at a time across every relay on the database.
 */
const WRITERS_LOCK = 7163008
const PRUNER_LOCK = 7163009

/** The start of `ms`'s UTC day. */
export function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS
}

/** The first instant a retention of `days` keeps: the start of the UTC day `days` days before `now`. */
export function retentionCutoff(now: number, days: number): number {
  return utcDayStart(now - days * DAY_MS)
}

/**
 * Called at the start of every write transaction: waits while a prune folds a day, then answers the
 * instant before which days are folded (stages dated before it are dropped: their day's aggregate is final).
 */
export async function beginWrite(tx: SqlClient): Promise<number> {
  await tx.query(`SELECT pg_advisory_xact_lock_shared(${WRITERS_LOCK})`)
  const { rows } = await tx.query<{ pruned_before: unknown }>('SELECT pruned_before FROM ledger_retention')
  const at = rows[0]?.pruned_before
  return at === undefined || at === null ? Number.NEGATIVE_INFINITY : toMs(at)
}

// One statement: the rows deleted are exactly the rows summed (a data-modifying CTE sees one snapshot).
// Per status, so a `status` filter still reads old days; p50/p95 are those of the status's rows.
const FOLD_DAY = `WITH gone AS (
  DELETE FROM ledger_requests WHERE created_at >= $1::timestamptz AND created_at < $2::timestamptz
  RETURNING id, kind, site, chain, status, code, gas, lamports, fee, created_at, confirmed_at
),
stages AS (
  DELETE FROM ledger_stages s USING gone WHERE s.request_id = gone.id RETURNING 1
),
daily AS (
  INSERT INTO ledger_daily AS d (day, site, kind, chain, status, requests, timed, gas, lamports, fee,
    p50_confirm_ms, p95_confirm_ms)
  SELECT ($1::timestamptz AT TIME ZONE 'UTC')::date, COALESCE(site, ''), kind, COALESCE(chain, ''), status,
    count(*), count(confirmed_at), COALESCE(sum(gas), 0), COALESCE(sum(lamports), 0), COALESCE(sum(fee), 0),
    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM confirmed_at - created_at) * 1000)
      FILTER (WHERE confirmed_at IS NOT NULL),
    percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM confirmed_at - created_at) * 1000)
      FILTER (WHERE confirmed_at IS NOT NULL)
  FROM gone GROUP BY 2, 3, 4, 5
  ON CONFLICT (day, site, kind, chain, status) DO UPDATE SET
    requests = d.requests + EXCLUDED.requests,
    gas = d.gas + EXCLUDED.gas,
    lamports = d.lamports + EXCLUDED.lamports,
    fee = d.fee + EXCLUDED.fee,
    p50_confirm_ms = CASE WHEN EXCLUDED.timed > d.timed THEN EXCLUDED.p50_confirm_ms ELSE d.p50_confirm_ms END,
    p95_confirm_ms = CASE WHEN EXCLUDED.timed > d.timed THEN EXCLUDED.p95_confirm_ms ELSE d.p95_confirm_ms END,
    timed = d.timed + EXCLUDED.timed
  RETURNING 1
),
refusals AS (
  INSERT INTO ledger_daily_refusals AS r (day, site, kind, chain, code, count)
  SELECT ($1::timestamptz AT TIME ZONE 'UTC')::date, COALESCE(site, ''), kind, COALESCE(chain, ''),
    COALESCE(code, 'UNKNOWN'), count(*)
  FROM gone WHERE status = 'refused' GROUP BY 2, 3, 4, 5
  ON CONFLICT (day, site, kind, chain, code) DO UPDATE SET count = r.count + EXCLUDED.count
  RETURNING 1
)
SELECT (SELECT count(*) FROM gone)::int AS requests, (SELECT count(*) FROM stages)::int AS stages`

const MOVE_WATERMARK = `INSERT INTO ledger_retention (id, pruned_before) VALUES (true, $1::timestamptz)
ON CONFLICT (id) DO UPDATE SET pruned_before = GREATEST(ledger_retention.pruned_before, EXCLUDED.pruned_before)`

/**
 * Folds every UTC day before `before` (rounded down to a day) into the daily aggregates and deletes
 * its requests and stages, one day per transaction, oldest first.
 */
export async function prune(driver: SqlDriver, before: number): Promise<PruneResult> {
  const cutoff = new Date(utcDayStart(before)).toISOString()
  const result: PruneResult = {
    skipped: false,
    prunedBefore: utcDayStart(before),
    days: [],
    requests: 0,
    stages: 0,
    funnelBatches: 0,
  }
  for (;;) {
    const step = await driver.transaction(async (tx) => {
      const { rows: locked } = await tx.query<{ ok: boolean }>(`SELECT pg_try_advisory_xact_lock(${PRUNER_LOCK}) AS ok`)
      if (!locked[0]?.ok) return 'busy' as const
      await tx.query(`SELECT pg_advisory_xact_lock(${WRITERS_LOCK})`)
      const { rows } = await tx.query<{ first: unknown }>(
        'SELECT min(created_at) AS first FROM ledger_requests WHERE created_at < $1::timestamptz',
        [cutoff],
      )
      const first = rows[0]?.first
      if (first === null || first === undefined) {
        await tx.query(MOVE_WATERMARK, [cutoff])
        // Funnel batch ids only guard against an outbox delivering a batch twice, within minutes:
        // past the retention they are dead weight (the funnel's counts per day stay).
        const { rows: gone } = await tx.query<{ n: number }>(
          'WITH gone AS (DELETE FROM ledger_funnel_batches WHERE at < $1::timestamptz RETURNING 1) SELECT count(*)::int AS n FROM gone',
          [cutoff],
        )
        return { done: true as const, funnelBatches: Number(gone[0]?.n ?? 0) }
      }
      const start = utcDayStart(toMs(first))
      const end = new Date(start + DAY_MS).toISOString()
      const folded = await tx.query<{ requests: number; stages: number }>(FOLD_DAY, [
        new Date(start).toISOString(),
        end,
      ])
      await tx.query(MOVE_WATERMARK, [end])
      return {
        done: false as const,
        day: new Date(start).toISOString().slice(0, 10),
        requests: Number(folded.rows[0]?.requests ?? 0),
        stages: Number(folded.rows[0]?.stages ?? 0),
      }
    })
    if (step === 'busy') return { ...result, skipped: true }
    if (step.done) return { ...result, funnelBatches: step.funnelBatches }
    result.days.push(step.day)
    result.requests += step.requests
    result.stages += step.stages
  }
}

/** Conditions on a daily table: UTC days that meet `[from, to)`, site, chain, and status when the table has one. */
function dailyWhere(filter: LedgerFilter, params: unknown[], withStatus: boolean): string {
  const conditions: string[] = []
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value)
    conditions.push(sql(params.length))
  }
  const dayStart = `(day::timestamp AT TIME ZONE 'UTC')`
  if (filter.from !== undefined)
    add((n) => `${dayStart} + interval '1 day' > $${n}::timestamptz`, new Date(filter.from).toISOString())
  if (filter.to !== undefined) add((n) => `${dayStart} < $${n}::timestamptz`, new Date(filter.to).toISOString())
  if (filter.site !== undefined) add((n) => `site = $${n}`, filter.site)
  if (filter.chain !== undefined) add((n) => `chain = $${n}`, filter.chain)
  if (withStatus && filter.status !== undefined) add((n) => `status = $${n}`, filter.status)
  return conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''
}

/** History rows of folded days, in the columns and order of the live history query. */
export async function foldedHistory(driver: SqlDriver, filter: LedgerFilter): Promise<Record<string, unknown>[]> {
  const params: unknown[] = []
  const where = dailyWhere(filter, params, true)
  const { rows } = await driver.query<Record<string, unknown>>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, NULLIF(site, '') AS site, kind, NULLIF(chain, '') AS chain,
      sum(requests)::int AS requests,
      COALESCE(sum(requests) FILTER (WHERE status = 'confirmed'), 0)::int AS confirmed,
      COALESCE(sum(requests) FILTER (WHERE status IN ('failed', 'rejected')), 0)::int AS failed,
      COALESCE(sum(requests) FILTER (WHERE status = 'refused'), 0)::int AS refused,
      sum(gas)::text AS gas, sum(lamports)::text AS lamports, sum(fee)::text AS fee,
      (array_agg(p50_confirm_ms ORDER BY timed DESC) FILTER (WHERE timed > 0))[1] AS p50,
      (array_agg(p95_confirm_ms ORDER BY timed DESC) FILTER (WHERE timed > 0))[1] AS p95
    FROM ledger_daily ${where}
    GROUP BY day, site, kind, chain ORDER BY 1, 2 NULLS FIRST, 3, 4 NULLS FIRST`,
    params,
  )
  return rows
}

/** Refusal counts of live rows (`liveWhere` over `ledger_requests`, its `params`) and of folded days together. */
export async function refusalCounts(
  driver: SqlDriver,
  liveWhere: string,
  params: unknown[],
  filter: LedgerFilter,
): Promise<{ code: string; count: number }[]> {
  const all = [...params]
  const folded = dailyWhere(filter, all, false)
  const { rows } = await driver.query<{ code: string; count: number }>(
    `SELECT code, sum(count)::int AS count FROM (
      SELECT COALESCE(code, 'UNKNOWN') AS code, count(*) AS count FROM ledger_requests ${liveWhere} GROUP BY 1
      UNION ALL
      SELECT code, sum(count) AS count FROM ledger_daily_refusals ${folded} GROUP BY 1
    ) AS both_kinds GROUP BY 1 ORDER BY 2 DESC, 1`,
    all,
  )
  return rows.map((r) => ({ code: String(r.code), count: Number(r.count) }))
}

function toMs(value: unknown): number {
  return value instanceof Date ? value.getTime() : new Date(String(value)).getTime()
}

import { once } from 'node:events'
import { LEDGER_STATUSES, type Ledger, type LedgerFilter, requestsCsv } from '@tokentags/ledger'
import { Router } from 'express'
import { z } from 'zod'
import { notFound, upstreamUnavailable } from '../errors.js'
import { requestLog } from '../http/context.js'
import { parseInput } from '../http/errors.js'
import { requireAdmin } from '../routes/admin.js'

/** A time as ISO 8601 (`2026-12-05`, `2026-12-05T10:00:00Z`) or milliseconds since the epoch. */
const time = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const ms = /^[0-9]{1,15}$/.test(value) ? Number(value) : Date.parse(value)
    if (!Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: 'not an ISO 8601 time or milliseconds since the epoch' })
      return z.NEVER
    }
    return ms
  })

const csvQuerySchema = z.object({
  from: time.optional(),
  to: time.optional(),
  site: z.string().min(1).max(128).optional(),
  chain: z.string().min(1).max(64).optional(),
  status: z.enum(LEDGER_STATUSES as [string, ...string[]]).optional(),
})

const FLUSH_BYTES = 64 * 1024

function toFilter(query: z.infer<typeof csvQuerySchema>): LedgerFilter {
  return {
    ...(query.from === undefined ? {} : { from: query.from }),
    ...(query.to === undefined ? {} : { to: query.to }),
    ...(query.site === undefined ? {} : { site: query.site }),
    ...(query.chain === undefined ? {} : { chain: query.chain }),
    ...(query.status === undefined ? {} : { status: query.status as LedgerFilter['status'] }),
  }
}

const NO_LEDGER = 'this relay keeps no ledger (give it one: TOKENTAGS_DATABASE_URL, or the dev stack)'
const requestIdSchema = z.object({ id: z.string().min(1).max(128) })

async function fromDatabase<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (error) {
    throw upstreamUnavailable('the ledger database does not answer; retry later', error)
  }
}

/**
 * `GET /admin/api/requests.csv` (bearer token): the ledger's requests as CSV, oldest first, filtered
 * by `from`, `to`, `site`, `chain`, `status`, streamed page by page. 404 `NOT_FOUND` when this relay keeps
 * no ledger, 503 `UPSTREAM_UNAVAILABLE` when its database does not answer.
 */
export function ledgerRoutes(deps: { ledger: Ledger | undefined; adminToken: string | undefined }): Router {
  const router = Router()
  // The dashboard's history: per UTC day, site, kind and chain, with the refusals by code, one filter for both.
  router.get('/admin/api/ledger/history', requireAdmin(deps.adminToken), async (req, res) => {
    const filter = toFilter(parseInput(csvQuerySchema, req.query, 'query'))
    const ledger = deps.ledger
    if (!ledger) throw notFound(NO_LEDGER)
    const [days, refusals] = await fromDatabase(() => Promise.all([ledger.history(filter), ledger.refusals(filter)]))
    res.setHeader('cache-control', 'no-store')
    res.json({ filter, days, refusals })
  })
  router.get('/admin/api/ledger/requests/:id', requireAdmin(deps.adminToken), async (req, res) => {
    const { id } = parseInput(requestIdSchema, req.params, 'path')
    const ledger = deps.ledger
    if (!ledger) throw notFound(NO_LEDGER)
    const timeline = await fromDatabase(() => ledger.timeline(id))
    if (!timeline) throw notFound(`no request ${id} in the ledger`)
    res.setHeader('cache-control', 'no-store')
    res.json(timeline)
  })
  router.get('/admin/api/requests.csv', requireAdmin(deps.adminToken), async (req, res) => {
    const query = parseInput(csvQuerySchema, req.query, 'query')
    if (!deps.ledger) {
      throw notFound(NO_LEDGER)
    }
    const filter = toFilter(query)
    const rows = requestsCsv(deps.ledger, filter)[Symbol.asyncIterator]()
    // The first page is read before any byte is sent: a database outage is then a clean JSON 503.
    let first: IteratorResult<string>
    try {
      first = await rows.next()
    } catch (error) {
      throw upstreamUnavailable('the ledger database does not answer; retry later', error)
    }
    res.status(200)
    res.setHeader('content-type', 'text/csv; charset=utf-8')
    res.setHeader('content-disposition', 'attachment; filename="requests.csv"')
    res.setHeader('cache-control', 'no-store')
    let buffer = first.done ? '' : first.value
    try {
      for (let next = await rows.next(); !next.done; next = await rows.next()) {
        buffer += next.value
        if (buffer.length >= FLUSH_BYTES) {
          const flushed = res.write(buffer)
          buffer = ''
          if (!flushed) await once(res, 'drain')
        }
        if (res.destroyed) return
      }
      res.end(buffer)
    } catch (error) {
      // Headers are gone: cutting the stream is the only way to tell the client the file is incomplete.
      requestLog(res).error({ err: error }, 'requests.csv stopped')
      res.destroy(error as Error)
    }
  })
  return router
}

import { randomUUID } from 'node:crypto'
import type { FunnelBatch, FunnelFilter, Ledger } from '@tokentags/ledger'
import express, { type RequestHandler, Router } from 'express'
import { z } from 'zod'
import type { ResolvedSite } from '../config.js'
import { forbidden, notFound, RelayError, upstreamUnavailable } from '../errors.js'
import { clientAddressKey } from '../http/clientAddress.js'
import { cors, SITE_HEADER, siteAllowsOrigin } from '../http/cors.js'
import { parseInput } from '../http/errors.js'
import { consumeOrRefuse } from '../http/rateLimit.js'
import { securityHeaders } from '../http/security.js'
import type { LedgerOutbox } from '../ledger/outbox.js'
import { requireAdmin } from '../routes/admin.js'
import type { RateLimitStore } from '../store/rateLimits/types.js'
import type { ResolvedEventsConfig } from './config.js'
import { parseEventBatch } from './schema.js'

export interface EventsRoutesDeps {
  sites: ReadonlyMap<string, ResolvedSite>
  /** Its rate limiters count batches across instances. */
  rateLimits: RateLimitStore
  config: ResolvedEventsConfig
  /** Where counted batches wait for the database, and the ledger that reads them; no funnel without it. */
  ledger?: { ledger: Ledger; outbox: LedgerOutbox; drainer: { notify(): void } } | undefined
  adminToken?: string | undefined
  now?: () => number
}

const NO_FUNNEL = 'this relay keeps no funnel: it has no ledger (TOKENTAGS_DATABASE_URL, or the dev stack)'

/**
 * `POST /v1/events` (the widgets' funnel) and `GET /admin/api/ledger/funnel`. Mounted ahead of the
 * relay's API recorders: a beacon is not a request to sponsor, and its refusals are no ledger rows.
 */
export function eventsRoutes(deps: EventsRoutesDeps): Router {
  const router = Router()
  const now = deps.now ?? Date.now
  const { perIp, perSite, maxEvents, maxBodyBytes } = deps.config
  const ipLimiter = perIp ? deps.rateLimits.rateLimiter({ keyPrefix: 'events-ip', ...perIp }) : undefined
  const siteLimiter = perSite ? deps.rateLimits.rateLimiter({ keyPrefix: 'events-site', ...perSite }) : undefined
  // Any content type is read as text: `sendBeacon` sends `text/plain` (no preflight), `fetch` may send JSON.
  const readText = express.text({ type: () => true, limit: maxBodyBytes })

  const admit: RequestHandler = async (req, res, next) => {
    const funnel = deps.ledger
    if (!funnel) throw notFound(NO_FUNNEL)
    await consumeOrRefuse(ipLimiter, clientAddressKey(req.ip ?? req.socket.remoteAddress), 'this address')
    // `sendBeacon` cannot set a header: the key may come in the query string instead.
    const fromQuery = typeof req.query.site === 'string' ? req.query.site : undefined
    const key = req.get(SITE_HEADER) ?? fromQuery
    const site = key === undefined ? undefined : deps.sites.get(key)
    if (!site) {
      throw new RelayError(
        401,
        'UNKNOWN_SITE',
        key === undefined
          ? `missing ${SITE_HEADER} header (or ?site=)`
          : `unknown site key ${JSON.stringify(key.slice(0, 64))}`,
      )
    }
    const origin = req.get('origin')
    if (origin === undefined) {
      if (!site.allowNoOrigin)
        throw forbidden('ORIGIN_NOT_ALLOWED', 'this site does not accept events without an Origin')
    } else if (!siteAllowsOrigin(site, origin)) {
      throw forbidden('ORIGIN_NOT_ALLOWED', `origin ${origin.slice(0, 100)} is not allowed for this site`)
    }
    // Only for known keys: a script cycling through made-up keys creates no limiter entries.
    await consumeOrRefuse(siteLimiter, site.key, 'this site')
    res.locals.eventsSite = site.key
    next()
  }

  router.post('/v1/events', securityHeaders, cors(deps.sites), admit, readText, async (req, res) => {
    const funnel = deps.ledger as NonNullable<EventsRoutesDeps['ledger']>
    const text = typeof req.body === 'string' ? req.body : ''
    const { counts, events } = parseEventBatch(text, maxEvents)
    const batch: FunnelBatch = {
      type: 'funnel',
      id: randomUUID(),
      site: String(res.locals.eventsSite),
      at: now(),
      counts,
    }
    let kept: number
    try {
      // Beside the stage events: the drainer writes both through ledger.record (once each, by id).
      kept = await funnel.outbox.push([batch])
    } catch (error) {
      throw new RelayError(503, 'STORE_UNAVAILABLE', 'the relay cannot reach its store; try again shortly', {
        cause: error,
      })
    }
    // A bounded outbox full (the database long gone): say so rather than 202 for a batch not kept.
    if (kept < 1) throw upstreamUnavailable('the ledger is behind; events are not counted now')
    funnel.drainer.notify()
    res.status(202).json({ accepted: events })
  })

  router.get('/admin/api/ledger/funnel', requireAdmin(deps.adminToken), async (req, res) => {
    const query = parseInput(funnelQuerySchema, req.query, 'query')
    const ledger = deps.ledger?.ledger
    if (!ledger) throw notFound(NO_FUNNEL)
    const filter: FunnelFilter = {
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
      ...(query.site === undefined ? {} : { site: query.site }),
    }
    let read: [Awaited<ReturnType<Ledger['funnel']>>, Awaited<ReturnType<Ledger['funnelErrors']>>]
    try {
      read = await Promise.all([ledger.funnel(filter), ledger.funnelErrors(filter)])
    } catch (error) {
      throw upstreamUnavailable('the ledger database does not answer; retry later', error)
    }
    res.setHeader('cache-control', 'no-store')
    res.json({ filter, days: read[0], errors: read[1] })
  })
  return router
}

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

const funnelQuerySchema = z.object({
  from: time.optional(),
  to: time.optional(),
  site: z.string().min(1).max(128).optional(),
})

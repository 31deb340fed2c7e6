import type { RequestHandler } from 'express'
import { normalizeOrigin, type ResolvedSite } from '../config.js'
import { forbidden } from '../errors.js'

export const SITE_HEADER = 'x-tokentags-site'

export function siteAllowsOrigin(site: ResolvedSite, origin: string): boolean {
  return site.anyOrigin || site.origins.has(normalizeOrigin(origin))
}

/**
 * CORS by site policy. `Access-Control-Allow-Origin` echoes the origin only when the site named by
 * `x-tokentags-site` allows it. Preflights and requests without that header (EventSource cannot send
 * one) are checked against the union of all sites' origins; the submit route then enforces the
 * named site's own list.
 */
export function cors(sites: ReadonlyMap<string, ResolvedSite>): RequestHandler {
  const anySite = (origin: string) => [...sites.values()].some((site) => siteAllowsOrigin(site, origin))
  return (req, res, next) => {
    const origin = req.get('origin')
    let allowed = false
    if (origin !== undefined) {
      const siteKey = req.get(SITE_HEADER)
      const site = siteKey === undefined ? undefined : sites.get(siteKey)
      allowed = site ? siteAllowsOrigin(site, origin) : anySite(origin)
      res.vary('Origin')
      if (allowed) {
        res.setHeader('Access-Control-Allow-Origin', origin)
        res.setHeader('Access-Control-Expose-Headers', 'x-request-id')
      }
    }
    if (req.method !== 'OPTIONS') {
      next()
      return
    }
    if (origin !== undefined && !allowed) {
      next(forbidden('ORIGIN_NOT_ALLOWED', `origin ${origin} is not allowed by any site`))
      return
    }
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
    res.setHeader('Access-Control-Allow-Headers', `content-type, ${SITE_HEADER}, x-request-id`)
    res.setHeader('Access-Control-Max-Age', '600')
    res.status(204).end()
  }
}

import type { RequestHandler } from 'express'
import type { ResolvedSite } from '../config.js'
import { forbidden, RelayError } from '../errors.js'
import { SITE_HEADER, siteAllowsOrigin } from './cors.js'

/** Resolves the site named by `x-tokentags-site` and checks the page's `Origin` against it. */
export function requireSite(sites: ReadonlyMap<string, ResolvedSite>): RequestHandler {
  return (req, res, next) => {
    const key = req.get(SITE_HEADER)
    const site = key === undefined ? undefined : sites.get(key)
    if (!site) {
      throw new RelayError(
        401,
        'UNKNOWN_SITE',
        key === undefined ? `missing ${SITE_HEADER} header` : `unknown site key ${JSON.stringify(key.slice(0, 64))}`,
      )
    }
    const origin = req.get('origin')
    if (origin === undefined) {
      if (!site.allowNoOrigin)
        throw forbidden('ORIGIN_NOT_ALLOWED', 'this site does not accept requests without an Origin')
    } else if (!siteAllowsOrigin(site, origin)) {
      throw forbidden('ORIGIN_NOT_ALLOWED', `origin ${origin} is not allowed for this site`)
    }
    res.locals.site = site
    next()
  }
}

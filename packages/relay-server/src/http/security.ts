import type { RequestHandler } from 'express'

/**
 * Headers for a JSON API that no page should frame, sniff or cache. CORP stays `cross-origin`:
 * widgets on other origins read the answers (CORS decides which).
 */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('x-content-type-options', 'nosniff')
  res.setHeader('x-frame-options', 'DENY')
  res.setHeader('referrer-policy', 'no-referrer')
  res.setHeader('content-security-policy', "default-src 'none'; frame-ancestors 'none'")
  res.setHeader('cross-origin-resource-policy', 'cross-origin')
  res.setHeader('cache-control', 'no-store')
  next()
}

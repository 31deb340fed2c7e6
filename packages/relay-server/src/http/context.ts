import { randomUUID } from 'node:crypto'
import type { RequestHandler, Response } from 'express'
import type { Logger } from 'pino'
import type { ResolvedSite } from '../config.js'
import type { RelayMetrics } from '../metrics.js'

/** The logger of the current HTTP request (carries its `reqId`). */
export function requestLog(res: Response): Logger {
  return res.locals.log as Logger
}

export function requestSite(res: Response): ResolvedSite {
  return res.locals.site as ResolvedSite
}

const REQUEST_ID = /^[\w.:-]{1,64}$/

/** Gives each HTTP request an id (`x-request-id`, echoed back) and a child logger, and logs it on finish. */
export function requestContext(logger: Logger, metrics?: RelayMetrics): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id')
    const reqId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID()
    res.locals.requestId = reqId
    // Made on first use: a child logger costs more than a whole policy check, and at the usual
    // levels most requests never log.
    let log: Logger | undefined
    Object.defineProperty(res.locals, 'log', {
      get: () => {
        log ??= logger.child({ reqId })
        return log
      },
    })
    res.setHeader('x-request-id', reqId)
    const started = performance.now()
    res.on('finish', () => {
      const seconds = (performance.now() - started) / 1000
      // The matched route pattern, never the raw path: ids in labels would explode cardinality.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched'
      metrics?.httpRequest(req.method, route, res.statusCode, seconds)
      const quiet = req.path === '/metrics' || req.path === '/v1/health'
      const level = quiet ? 'debug' : 'info'
      if (!logger.isLevelEnabled(level)) return
      requestLog(res)[level](
        {
          method: req.method,
          path: req.originalUrl,
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        },
        'http request',
      )
    })
    next()
  }
}

import express, { type Express } from 'express'
import type { AppDeps } from './deps.js'
import { requestContext } from './http/context.js'
import { cors } from './http/cors.js'
import { errorHandler, notFoundHandler } from './http/errors.js'
import { requireSite } from './http/site.js'
import { jsonReplacer } from './json.js'
import { configRoute } from './routes/config.js'
import { getRequestRoute } from './routes/getRequest.js'
import { healthRoute } from './routes/health.js'
import { metricsRoute } from './routes/metrics.js'
import { requestEventsRoute } from './routes/requestEvents.js'
import { submitRequestRoute } from './routes/submitRequest.js'

/** The relay's HTTP API as an express app; it neither listens nor starts batchers. */
export function createApp(deps: AppDeps): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('json replacer', jsonReplacer)
  app.set('trust proxy', false)

  app.use(requestContext(deps.logger))
  app.use(cors(deps.sites))
  app.use(express.json({ limit: deps.limits.maxBodyBytes, strict: true }))

  app.get('/v1/health', healthRoute(deps))
  app.get('/v1/config', configRoute(deps))
  app.post('/v1/evm/:chainId/requests', requireSite(deps.sites), submitRequestRoute(deps))
  app.get('/v1/requests/:id', getRequestRoute(deps))
  app.get('/v1/requests/:id/events', requestEventsRoute(deps))
  app.get('/metrics', metricsRoute(deps))

  app.use(notFoundHandler)
  app.use(errorHandler(deps.logger, deps.metrics))
  return app
}

import express, { type Express, type Router } from 'express'
import { createDashboard } from './dashboard/routes.js'
import type { AppDeps } from './deps.js'
import { embedRoutes } from './embed/routes.js'
import { createEvmNetwork } from './evm/network.js'
import { requestContext } from './http/context.js'
import { cors } from './http/cors.js'
import { errorHandler, notFoundHandler } from './http/errors.js'
import { securityHeaders } from './http/security.js'
import { requireSite } from './http/site.js'
import { jsonReplacer } from './json.js'
import type { RelayLedger } from './ledger/setup.js'
import { networkRegistry } from './network/registry.js'
import { adminRoutes } from './routes/admin.js'
import { configRoute } from './routes/config.js'
import { getRequestRoute } from './routes/getRequest.js'
import { healthRoute } from './routes/health.js'
import { metricsRoute } from './routes/metrics.js'
import { requestEventsRoute } from './routes/requestEvents.js'
import { submitRequestRoute } from './routes/submitRequest.js'
import { createSolanaNetwork } from './solana/network.js'
import { solanaPayRoutes } from './solana/payRoutes.js'
import { solanaRoutes } from './solana/routes.js'
import { evmStoresOf } from './store/types.js'

/**
 * The relay's HTTP API as an express app; it neither listens nor starts batchers. `ledger` adds the
 * ledger's recorder and `GET /admin/api/requests.csv`; `events` the widgets' funnel (`eventsRoutes`).
 */
export function createApp(deps: AppDeps, ledger?: RelayLedger['http'], events?: Router): Express {
  const app = express()
  app.disable('x-powered-by')
  app.set('json replacer', jsonReplacer)
  // Off unless the operator names the proxies: otherwise anyone could pick their own "IP" for
  // the per-IP limit with an X-Forwarded-For header.
  app.set('trust proxy', deps.trustProxy ?? false)
  // Every API answer is `cache-control: no-store`: hashing each body for an ETag is wasted work.
  app.set('etag', false)

  app.use(requestContext(deps.logger, deps.metrics))
  // The widgets' funnel (`POST /v1/events`) ahead of the recorders: a beacon is no request to sponsor.
  if (events) app.use(events)
  const stores = deps.stores ?? evmStoresOf(deps.store)
  const dashboard = createDashboard({ ...deps, stores })
  app.use(dashboard.recorder)
  if (ledger) app.use(ledger.recorder)
  app.use(securityHeaders)
  // Solana Pay and Actions are open to every origin (a phone wallet has none): ahead of site CORS.
  app.use(solanaPayRoutes(deps))
  app.use(cors(deps.sites))
  app.use(express.json({ limit: deps.limits.maxBodyBytes, strict: true }))

  const evm =
    deps.networks?.evm ??
    createEvmNetwork({ stores, errorAbis: deps.errorAbis, now: deps.now ?? Date.now, limits: deps.limits })
  const solana = deps.networks?.solana ?? (deps.solana ? createSolanaNetwork(deps.solana) : undefined)
  app.use(solanaRoutes(deps, solana))
  app.get('/v1/health', healthRoute({ ...deps, stores }))
  app.get('/v1/config', configRoute(deps))
  app.post('/v1/evm/:chainId/requests', requireSite(deps.sites), submitRequestRoute({ ...deps, stores }, evm))
  // One status route and event stream for every network: each id resolves to the network owning its shape.
  const networks = networkRegistry([evm, ...(solana ? [solana] : [])])
  app.get('/v1/requests/:id', getRequestRoute(networks))
  app.get('/v1/requests/:id/events', requestEventsRoute(networks))
  app.get('/metrics', metricsRoute({ ...deps, stores }))
  if (ledger) app.use(ledger.routes)
  app.use(adminRoutes({ ...deps, stores }))
  app.use(dashboard.routes)
  app.use(embedRoutes(deps))

  app.use(notFoundHandler)
  app.use(errorHandler(deps.logger, deps.metrics))
  return app
}

import type { RequestHandler } from 'express'
import type { AppDeps } from '../deps.js'

/** `GET /metrics`: Prometheus text exposition. */
export function metricsRoute(deps: AppDeps): RequestHandler {
  return async (_req, res) => {
    const depths = new Map<number, number>()
    await Promise.all(
      [...deps.chains.keys()].map(async (chainId) => {
        depths.set(chainId, (await deps.store.queueStats(chainId)).depth)
      }),
    )
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.render(depths))
  }
}

import type { RequestHandler } from 'express'
import type { AppDeps } from '../deps.js'
import type { EvmStores } from '../store/types.js'

/** `GET /metrics`: Prometheus text exposition (queue depths read from the queue store). */
export function metricsRoute(
  deps: Pick<AppDeps, 'chains' | 'metrics'> & { stores: Pick<EvmStores, 'queue'> },
): RequestHandler {
  return async (_req, res) => {
    const depths = new Map<number, number>()
    await Promise.all(
      [...deps.chains.keys()].map(async (chainId) => {
        depths.set(chainId, (await deps.stores.queue.queueStats(chainId)).depth)
      }),
    )
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.render(depths))
  }
}

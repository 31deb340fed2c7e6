import type { RequestHandler } from 'express'
import { notFound } from '../errors.js'
import { parseInput } from '../http/errors.js'
import { streamStatus } from '../http/statusStream.js'
import type { NetworkRegistry } from '../network/registry.js'
import { requestView } from '../view.js'
import { requestParamsSchema } from './getRequest.js'

/**
 * `GET /v1/requests/:id/events` on every network: server-sent events, each `event: status` with the
 * request's JSON (as `GET /v1/requests/:id`). Sends the current state at once and closes after a
 * final status.
 */
export function requestEventsRoute(networks: NetworkRegistry): RequestHandler {
  return async (req, res) => {
    const { id } = parseInput(requestParamsSchema, req.params, 'id')
    const network = networks.owner(id)
    if (!network || !(await network.view(id))) throw notFound(`no request ${id}`)
    await streamStatus(res, id, { get: network.view, subscribe: network.subscribe }, requestView)
  }
}

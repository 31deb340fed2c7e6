import type { RequestHandler } from 'express'
import type { AppDeps } from '../deps.js'
import { notFound } from '../errors.js'
import { parseInput } from '../http/errors.js'
import { streamStatus } from '../http/statusStream.js'
import { toRequestView } from '../view.js'
import { requestParamsSchema } from './getRequest.js'

/**
 * `GET /v1/requests/:id/events`: server-sent events, each `event: status` with the request's JSON.
 * Sends the current state at once and closes after a final status.
 */
export function requestEventsRoute(deps: AppDeps): RequestHandler {
  return async (req, res) => {
    const { id } = parseInput(requestParamsSchema, req.params, 'id')
    if (!(await deps.store.get(id))) throw notFound(`no request ${id}`)
    await streamStatus(res, id, deps.store, toRequestView)
  }
}

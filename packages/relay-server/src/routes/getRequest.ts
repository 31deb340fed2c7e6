import type { RequestHandler } from 'express'
import { z } from 'zod'
import type { AppDeps } from '../deps.js'
import { notFound } from '../errors.js'
import { parseInput } from '../http/errors.js'
import { toRequestView } from '../view.js'

export const requestParamsSchema = z.object({ id: z.string().min(1).max(128) })

/** `GET /v1/requests/:id` → `{ id, status, txHash?, blockNumber?, error? }`. */
export function getRequestRoute(deps: AppDeps): RequestHandler {
  return async (req, res) => {
    const { id } = parseInput(requestParamsSchema, req.params, 'id')
    const record = await deps.store.get(id)
    if (!record) throw notFound(`no request ${id}`)
    res.json(toRequestView(record))
  }
}

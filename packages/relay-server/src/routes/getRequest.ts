import type { RequestHandler } from 'express'
import { z } from 'zod'
import { notFound } from '../errors.js'
import { parseInput } from '../http/errors.js'
import type { NetworkRegistry } from '../network/registry.js'
import { requestView } from '../view.js'

export const requestParamsSchema = z.object({ id: z.string().min(1).max(128) })

/**
 * `GET /v1/requests/:id` on every network: `{ id, status, txHash?, blockNumber?, error? }` for an EVM
 * request, `{ id, status, signature, slot?, error? }` for a Solana one. An id no registered network
 * owns is as unknown as one with no record.
 */
export function getRequestRoute(networks: NetworkRegistry): RequestHandler {
  return async (req, res) => {
    const { id } = parseInput(requestParamsSchema, req.params, 'id')
    const request = await networks.owner(id)?.view(id)
    if (!request) throw notFound(`no request ${id}`)
    res.json(requestView(request))
  }
}

import type { RequestHandler } from 'express'
import type { AppDeps } from '../deps.js'
import { notFound } from '../errors.js'
import { parseInput } from '../http/errors.js'
import { toJson } from '../json.js'
import { isFinalStatus, type RequestStatus, type StoredRequest } from '../store/types.js'
import { toRequestView } from '../view.js'
import { requestParamsSchema } from './getRequest.js'

const HEARTBEAT_MS = 15_000
const RANK: Record<RequestStatus, number> = { queued: 0, submitted: 1, confirmed: 2, failed: 2, rejected: 2 }

/**
 * `GET /v1/requests/:id/events`: server-sent events, each `event: status` with the request's JSON.
 * Sends the current state at once and closes after a final status.
 */
export function requestEventsRoute(deps: AppDeps): RequestHandler {
  return async (req, res) => {
    const { id } = parseInput(requestParamsSchema, req.params, 'id')
    if (!(await deps.store.get(id))) throw notFound(`no request ${id}`)

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    })
    res.write('retry: 2000\n\n')

    let closed = false
    let lastRank = -1
    let unsubscribe: (() => Promise<void>) | undefined
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS)
    const finish = () => {
      if (closed) return
      closed = true
      clearInterval(heartbeat)
      void unsubscribe?.()
      res.end()
    }
    // Status changes only move forward; a stale or repeated one (seen twice across the
    // subscribe/read race) is dropped.
    const send = (record: StoredRequest) => {
      if (closed || RANK[record.status] <= lastRank) return
      lastRank = RANK[record.status]
      res.write(`event: status\ndata: ${toJson(toRequestView(record))}\n\n`)
      if (isFinalStatus(record.status)) finish()
    }
    res.on('close', finish)

    unsubscribe = await deps.store.subscribe(id, send)
    if (closed) {
      void unsubscribe()
      return
    }
    const current = await deps.store.get(id)
    if (current) send(current)
  }
}

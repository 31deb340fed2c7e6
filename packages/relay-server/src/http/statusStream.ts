import type { Response } from 'express'
import { toJson } from '../json.js'
import { isFinalStatus, type RequestStatus } from '../store/status.js'

const HEARTBEAT_MS = 15_000
const RANK: Record<RequestStatus, number> = { queued: 0, submitted: 1, confirmed: 2, failed: 2, rejected: 2 }

/** Where a stream's records come from: the network owning the request (`network/types.ts`). */
export interface StatusSource<R extends { status: RequestStatus }> {
  subscribe(id: string, listener: (record: R) => void): Promise<() => Promise<void>>
  get(id: string): Promise<R | undefined>
}

/**
 * Server-sent events for one request (`GET /v1/requests/:id/events`): each `event: status` carries
 * `view(record)`; the current state goes out at once and the stream ends after a final status.
 * The caller has checked the request exists.
 */
export async function streamStatus<R extends { status: RequestStatus }>(
  res: Response,
  id: string,
  source: StatusSource<R>,
  view: (record: R) => unknown,
): Promise<void> {
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
  const send = (record: R) => {
    if (closed || RANK[record.status] <= lastRank) return
    lastRank = RANK[record.status]
    res.write(`event: status\ndata: ${toJson(view(record))}\n\n`)
    if (isFinalStatus(record.status)) finish()
  }
  res.on('close', finish)

  unsubscribe = await source.subscribe(id, send)
  if (closed) {
    void unsubscribe()
    return
  }
  const current = await source.get(id)
  if (current) send(current)
}

import { randomUUID } from 'node:crypto'
import type { StageEvent } from '@tokentags/ledger'
import type { RequestHandler } from 'express'
import { SITE_HEADER } from '../http/cors.js'
import type { StageSink } from './observe.js'

export interface LedgerRecorderOptions {
  sink: StageSink
  /** Solana cluster of `/v1/solana/*` rows. */
  solanaChain?: string
  now?: () => number
  /** Most refusals written per second by this process (default 200): a flood of bad calls must not flood the outbox. */
  maxRefusalsPerSecond?: number
}

/**
 * Middleware (mounted before the API routes, like the dashboard's `ActivityLog` recorder) that writes
 * `received` for every submission the relay accepted (202 with an id, at the time the call arrived)
 * and `refused` with its code for every 4xx answer to a `POST /v1/*`; it never changes what is sent.
 */
export function ledgerRecorder(options: LedgerRecorderOptions): RequestHandler {
  const now = options.now ?? Date.now
  const limit = options.maxRefusalsPerSecond ?? 200
  let second = 0
  let refusals = 0
  return (req, res, next) => {
    if (req.method !== 'POST' || !req.path.startsWith('/v1/')) {
      next()
      return
    }
    const arrived = now()
    const json = res.json.bind(res)
    res.json = (body: unknown) => {
      try {
        const event = observe(req.path, req.get(SITE_HEADER), res.statusCode, body, arrived)
        if (event?.stage === 'refused') {
          const s = Math.floor(arrived / 1000)
          if (s !== second) {
            second = s
            refusals = 0
          }
          if (++refusals <= limit) void options.sink([event])
        } else if (event) void options.sink([event])
      } catch {}
      return json(body)
    }
    next()
  }

  function observe(path: string, site: string | undefined, status: number, body: unknown, at: number) {
    const evm = /^\/v1\/evm\/(\d{1,12})\/requests$/.exec(path)
    const solana = path.startsWith('/v1/solana/')
    const where: Pick<StageEvent, 'kind' | 'chain'> = evm
      ? { kind: 'evm', chain: evm[1] as string }
      : solana
        ? { kind: 'solana', chain: options.solanaChain ?? 'solana:devnet' }
        : { kind: 'evm' }
    const siteKey = site === undefined ? {} : { site: site.slice(0, 64) }
    if (status === 202 && body && typeof body === 'object' && 'id' in body) {
      const id = String((body as { id: unknown }).id)
      return { requestId: id, stage: 'received' as const, at, ...where, ...siteKey, status: 'received' as const }
    }
    if (status < 400 || status >= 500 || !body || typeof body !== 'object' || !('error' in body)) return undefined
    const error = (body as { error: { code?: unknown; message?: unknown } }).error
    return {
      // A refused call is never stored by the relay: it gets an id of its own here.
      requestId: `ref_${randomUUID()}`,
      stage: 'refused' as const,
      at,
      ...where,
      ...siteKey,
      status: 'refused' as const,
      code: String(error?.code ?? 'UNKNOWN').slice(0, 64),
      detail: { httpStatus: status, path: path.slice(0, 80), message: String(error?.message ?? '').slice(0, 300) },
    }
  }
}

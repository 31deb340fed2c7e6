import type { RequestHandler } from 'express'
import { SITE_HEADER } from '../http/cors.js'

/** A refused API call or a request that ended `failed` / `rejected`. */
export interface FailureRecord {
  at: number
  source: 'api' | 'request'
  status?: number
  code: string
  message: string
  site?: string
  id?: string
  chainId?: number
  path?: string
}

export interface AcceptedRecord {
  id: string
  at: number
  site?: string
  chainId?: number
}

/** Bounded memory of what this process answered: recent refusals and accepted request ids. */
export class ActivityLog {
  readonly failures: FailureRecord[] = []
  readonly accepted: AcceptedRecord[] = []
  /** Ids whose final failure is already in `failures`. */
  private readonly reported = new Set<string>()

  constructor(
    private readonly maxFailures = 100,
    private readonly maxAccepted = 200,
  ) {}

  failure(record: FailureRecord): void {
    if (record.id !== undefined) {
      if (this.reported.has(record.id)) return
      this.reported.add(record.id)
    }
    this.failures.push(record)
    while (this.failures.length > this.maxFailures) {
      const dropped = this.failures.shift()
      if (dropped?.id !== undefined) this.reported.delete(dropped.id)
    }
  }

  accept(record: AcceptedRecord): void {
    this.accepted.push(record)
    if (this.accepted.length > this.maxAccepted) this.accepted.shift()
  }

  /**
   * Middleware (mounted before the API routes) that notes error answers and accepted ids of the
   * public API by wrapping `res.json`; it never changes what is sent.
   */
  recorder(): RequestHandler {
    return (req, res, next) => {
      if (!req.path.startsWith('/v1/')) {
        next()
        return
      }
      const json = res.json.bind(res)
      res.json = (body: unknown) => {
        try {
          this.observe(req.method, req.path, req.get(SITE_HEADER), res.statusCode, body)
        } catch {}
        return json(body)
      }
      next()
    }
  }

  private observe(method: string, path: string, site: string | undefined, status: number, body: unknown): void {
    const chain = /^\/v1\/evm\/(\d+)\/requests$/.exec(path)
    const siteKey = site?.slice(0, 64)
    if (status === 202 && method === 'POST' && chain && body && typeof body === 'object' && 'id' in body) {
      this.accept({
        id: String((body as { id: unknown }).id),
        at: Date.now(),
        ...(siteKey === undefined ? {} : { site: siteKey }),
        chainId: Number(chain[1]),
      })
      return
    }
    if (status < 400 || !body || typeof body !== 'object' || !('error' in body)) return
    const error = (body as { error: { code?: unknown; message?: unknown } }).error
    this.failure({
      at: Date.now(),
      source: 'api',
      status,
      code: String(error?.code ?? 'UNKNOWN'),
      message: String(error?.message ?? '').slice(0, 300),
      ...(siteKey === undefined ? {} : { site: siteKey }),
      ...(chain ? { chainId: Number(chain[1]) } : {}),
      path: `${method} ${path.slice(0, 80)}`,
    })
  }
}

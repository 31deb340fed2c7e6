import type { SolanaRequestView, SolanaSubmitAccepted } from '@tokentags/core/protocol'
import { type RequestHandler, Router } from 'express'
import { z } from 'zod'
import { requireSolanaAttestation } from '../attestation/solana.js'
import { solanaSponsorCheck } from '../attestation/solanaSponsor.js'
import type { AppDeps } from '../deps.js'
import { badRequest, notFound } from '../errors.js'
import { clientAddressKey } from '../http/clientAddress.js'
import { requestLog, requestSite } from '../http/context.js'
import { parseInput } from '../http/errors.js'
import { consumeOrRefuse } from '../http/rateLimit.js'
import { requireSite } from '../http/site.js'
import { streamStatus } from '../http/statusStream.js'
import { submitSolanaBodySchema } from '../http/wireSchemas.js'
import { solanaError } from './policy.js'
import type { SolanaRequestRecord } from './store.js'

/** Ids of Solana requests start with this; the shared status routes leave them to this router. */
export const SOLANA_ID_PREFIX = 'sol_'

/** What `GET /v1/requests/sol_…` and its SSE events carry: the client's `SolanaRequestView`. */
export type { SolanaRequestView }

export function toSolanaRequestView(record: SolanaRequestRecord): SolanaRequestView {
  return {
    id: record.id,
    status: record.status,
    signature: record.signature,
    ...(record.slot === undefined ? {} : { slot: record.slot.toString() }),
    ...(record.error === undefined ? {} : { error: record.error }),
  }
}

/**
 * `POST /v1/solana/transactions`, and `GET /v1/requests/:id` (+ `/events`) for Solana ids; other
 * ids fall through to the shared routes. Mount before them.
 */
export function solanaRoutes(deps: Pick<AppDeps, 'solana' | 'sites' | 'store' | 'limits' | 'now'>): Router {
  const { solana: runtime, sites } = deps
  const router = Router()
  const notConfigured: RequestHandler = () => {
    throw solanaError('SOLANA_NOT_CONFIGURED', 'this relay does not sponsor Solana transactions')
  }
  if (!runtime) {
    router.post('/v1/solana/transactions', notConfigured)
    return router
  }

  const { perIp, perSite } = deps.limits
  const ipLimiter = perIp ? deps.store.rateLimiter({ keyPrefix: 'solana-ip', ...perIp }) : undefined
  const siteLimiter = perSite ? deps.store.rateLimiter({ keyPrefix: 'solana-site', ...perSite }) : undefined
  router.post('/v1/solana/transactions', requireSite(sites), async (req, res) => {
    // Before any work, as for EVM submissions: decoding, checks and the RPC reads are what a flood costs.
    await consumeOrRefuse(ipLimiter, clientAddressKey(req.ip ?? req.socket.remoteAddress), 'this address')
    const site = requestSite(res)
    await consumeOrRefuse(siteLimiter, site.key, 'this site')
    if (req.body === undefined)
      throw badRequest('INVALID_BODY', 'expected a JSON body (content-type: application/json)')
    // Before decoding: a gated site's transactions cost no RPC reads until the attestation passes.
    await requireSolanaAttestation(site, req.body, req.ip)
    const { transaction } = parseInput(submitSolanaBodySchema, req.body)
    const webhook = site.attestation?.sponsorWebhook
    const record = await runtime.submit(
      transaction,
      site.key,
      webhook
        ? {
            beforeAdmit: solanaSponsorCheck({
              webhook,
              site,
              chain: runtime.config.chain,
              feePayer: runtime.signer.address,
              rpc: runtime.rpc,
              origin: req.get('origin'),
              ip: req.ip,
              now: deps.now ?? Date.now,
            }),
          }
        : {},
    )
    requestLog(res).info(
      { requestId: record.id, wallet: record.wallet, signature: record.signature, lamports: record.lamports },
      'solana transaction queued',
    )
    res
      .status(202)
      .json({ id: record.id, status: record.status, signature: record.signature } satisfies SolanaSubmitAccepted)
  })

  const params = z.object({ id: z.string().min(1).max(128) })
  router.get('/v1/requests/:id', async (req, res, next) => {
    const { id } = parseInput(params, req.params, 'id')
    if (!id.startsWith(SOLANA_ID_PREFIX)) return next()
    const record = await runtime.store.get(id)
    if (!record) throw notFound(`no request ${id}`)
    res.json(toSolanaRequestView(record))
  })

  router.get('/v1/requests/:id/events', async (req, res, next) => {
    const { id } = parseInput(params, req.params, 'id')
    if (!id.startsWith(SOLANA_ID_PREFIX)) return next()
    if (!(await runtime.store.get(id))) throw notFound(`no request ${id}`)
    await streamStatus(res, id, runtime.store, toSolanaRequestView)
  })
  return router
}

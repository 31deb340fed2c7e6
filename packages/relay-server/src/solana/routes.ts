import type { SolanaSubmitAccepted } from '@tokentags/core/protocol'
import { type RequestHandler, Router } from 'express'
import { requireSolanaAttestation } from '../attestation/solana.js'
import { solanaSponsorCheck } from '../attestation/solanaSponsor.js'
import type { AppDeps } from '../deps.js'
import { badRequest } from '../errors.js'
import { clientAddressKey } from '../http/clientAddress.js'
import { requestLog, requestSite } from '../http/context.js'
import { parseInput } from '../http/errors.js'
import { consumeOrRefuse } from '../http/rateLimit.js'
import { requireSite } from '../http/site.js'
import { submitSolanaBodySchema } from '../http/wireSchemas.js'
import type { SolanaNetwork } from './network.js'
import { solanaError } from './policy.js'

/** `POST /v1/solana/transactions`; a request's status is the shared `GET /v1/requests/:id` (`solana/network.ts`). */
export function solanaRoutes(
  deps: Pick<AppDeps, 'solana' | 'sites' | 'store' | 'limits' | 'now'>,
  network: SolanaNetwork | undefined,
): Router {
  const { solana: runtime, sites } = deps
  const router = Router()
  const notConfigured: RequestHandler = () => {
    throw solanaError('SOLANA_NOT_CONFIGURED', 'this relay does not sponsor Solana transactions')
  }
  if (!runtime || !network) {
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
    const checked = await network.check({ transaction, siteKey: site.key })
    // Last before admission: a refusal reserves no budget and sends nothing.
    const webhook = site.attestation?.sponsorWebhook
    if (webhook) {
      await solanaSponsorCheck({
        webhook,
        site,
        chain: runtime.config.chain,
        feePayer: runtime.signer.address,
        rpc: runtime.rpc,
        origin: req.get('origin'),
        ip: req.ip,
        now: deps.now ?? Date.now,
      })(checked.prepared)
    }
    const admitted = await network.admit(checked)
    const { prepared } = checked
    requestLog(res).info(
      {
        requestId: admitted.id,
        wallet: prepared.wallet,
        signature: admitted.network.signature,
        lamports: prepared.fee + prepared.rent,
      },
      'solana transaction queued',
    )
    res.status(202).json({
      id: admitted.id,
      status: admitted.status,
      signature: admitted.network.signature,
    } satisfies SolanaSubmitAccepted)
  })

  return router
}

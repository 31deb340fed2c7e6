import type { SubmitAccepted } from '@tokentags/core/protocol'
import type { RequestHandler } from 'express'
import { z } from 'zod'
import { requireHuman } from '../attestation/humanCheck.js'
import { requireSponsorship, sponsorPayload } from '../attestation/sponsorWebhook.js'
import type { AppDeps } from '../deps.js'
import { badRequest, RelayError } from '../errors.js'
import type { ForwardRequestSubmission } from '../evm/check.js'
import type { EvmNetwork } from '../evm/network.js'
import { clientAddressKey } from '../http/clientAddress.js'
import { requestLog, requestSite } from '../http/context.js'
import { parseInput } from '../http/errors.js'
import { consumeOrRefuse } from '../http/rateLimit.js'
import { submitRequestBodySchema } from '../http/wireSchemas.js'
import { DuplicateNonceError, type EvmStores, IpInFlightError, SenderInFlightError } from '../store/types.js'

const submitRequestParamsSchema = z.object({ chainId: z.string() })

/**
 * `POST /v1/evm/:chainId/requests` (header `x-tokentags-site`): parses, has the EVM network check the
 * request (policy, signature, nonce, simulation: `evm/check.ts`), asks the site's attestation, has
 * it admitted and answers `202 { id, status: "queued" }`.
 */
export function submitRequestRoute(
  deps: AppDeps & { stores: Pick<EvmStores, 'rateLimits'> },
  network: EvmNetwork,
): RequestHandler {
  const now = deps.now ?? Date.now
  const { perIp, perSender, perSite, inFlightPerSender, inFlightPerIp } = deps.limits
  const { rateLimits } = deps.stores
  const ipLimiter = perIp ? rateLimits.rateLimiter({ keyPrefix: 'ip', ...perIp }) : undefined
  const siteLimiter = perSite ? rateLimits.rateLimiter({ keyPrefix: 'site', ...perSite }) : undefined
  const senderLimiter = perSender ? rateLimits.rateLimiter({ keyPrefix: 'sender', ...perSender }) : undefined
  // Between the signature and the node work (`evm/check.ts`), made once for every submission.
  const afterSignature = async ({ chain, site, request, body, remoteIp }: ForwardRequestSubmission) => {
    // After the signature: nobody can use up someone else's allowance.
    await consumeOrRefuse(senderLimiter, `${chain.chainId}:${request.from.toLowerCase()}`, 'this sender')
    // Before the simulation: a request the site gates costs no node work until the verifier says a
    // human sent it (one outbound call, no caching: tokens are single-use).
    const humanCheck = site.attestation?.humanCheck
    if (humanCheck) await requireHuman({ check: humanCheck, site, body, remoteIp })
  }
  return async (req, res) => {
    // Before any work: signature recovery and simulation are what a flood would cost.
    const clientKey = clientAddressKey(req.ip ?? req.socket.remoteAddress)
    await consumeOrRefuse(ipLimiter, clientKey, 'this address')
    const site = requestSite(res)
    await consumeOrRefuse(siteLimiter, site.key, 'this site')
    const { chainId: chainParam } = parseInput(submitRequestParamsSchema, req.params, 'chainId')
    const chain = /^[0-9]{1,12}$/.test(chainParam) ? deps.chains.get(Number(chainParam)) : undefined
    if (!chain) {
      const served = [...deps.chains.keys()].join(', ')
      throw badRequest(
        'WRONG_CHAIN',
        `chain ${chainParam.slice(0, 20)} is not served by this relay (served: ${served})`,
      )
    }
    if (req.body === undefined)
      throw badRequest('INVALID_BODY', 'expected a JSON body (content-type: application/json)')
    const { request, signature } = parseInput(submitRequestBodySchema, req.body)

    const checked = await network.check({
      chain,
      site,
      request,
      signature,
      clientKey,
      body: req.body,
      remoteIp: req.ip,
      afterSignature,
    })

    // Last before admission: the site owner is asked only about a request the relay would sponsor.
    const sponsorWebhook = site.attestation?.sponsorWebhook
    if (sponsorWebhook) {
      const payload = sponsorPayload({ site, chainId: chain.chainId, request, origin: req.get('origin'), ip: req.ip })
      await requireSponsorship(sponsorWebhook, payload, now())
    }
    let id: string
    try {
      // Only once admission resolves is the request stored; only then does the client get its 202.
      id = (await network.admit(checked)).id
    } catch (error) {
      if (error instanceof DuplicateNonceError) {
        throw new RelayError(409, 'BAD_NONCE', `nonce ${request.nonce} is already pending`, { cause: error })
      }
      if (error instanceof SenderInFlightError) {
        throw new RelayError(
          429,
          'SENDER_IN_FLIGHT_LIMIT',
          `this sender has ${inFlightPerSender} requests waiting on this chain; try again once they are final`,
        )
      }
      if (error instanceof IpInFlightError) {
        throw new RelayError(
          429,
          'IP_IN_FLIGHT_LIMIT',
          `this address has ${inFlightPerIp} requests waiting on this chain; try again once they are final`,
        )
      }
      throw error
    }
    deps.metrics.status(chain.chainId, 'queued')
    deps.onQueued?.(chain.chainId)
    // Asked of the relay's logger first: the request's own child logger costs more than a check.
    if (deps.logger.isLevelEnabled('info')) {
      requestLog(res).info(
        { requestId: id, chainId: chain.chainId, from: request.from, to: request.to, nonce: request.nonce },
        'request queued',
      )
    }
    res.status(202).json({ id, status: 'queued' } satisfies SubmitAccepted)
  }
}

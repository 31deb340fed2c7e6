import { createHash } from 'node:crypto'
import type { SubmitAccepted } from '@tokentags/core/protocol'
import type { RequestHandler } from 'express'
import { type Hex, hexToBigInt, slice } from 'viem'
import { z } from 'zod'
import { requireHuman } from '../attestation/humanCheck.js'
import { requireSponsorship, sponsorPayload } from '../attestation/sponsorWebhook.js'
import type { AppDeps } from '../deps.js'
import { badRequest, RelayError } from '../errors.js'
import type { ChainRuntime } from '../evm/chain.js'
import { RequestRefusedError } from '../evm/errors.js'
import { requestGas } from '../evm/gas.js'
import { judgeNonce, readSenderNonces } from '../evm/nonces.js'
import { judgeRequestPolicy } from '../evm/policy.js'
import { measureRequestGas, reservationWei } from '../evm/reservation.js'
import { simulateAfterPending } from '../evm/sequential.js'
import { signedBy } from '../evm/signature.js'
import { executesAsIs, simulateForwardRequest } from '../evm/simulate.js'
import { clientAddressKey } from '../http/clientAddress.js'
import { requestLog, requestSite } from '../http/context.js'
import { parseInput } from '../http/errors.js'
import { consumeOrRefuse } from '../http/rateLimit.js'
import { submitRequestBodySchema } from '../http/wireSchemas.js'
import {
  DuplicateNonceError,
  type ForwardRequest,
  IpInFlightError,
  newRequestId,
  SenderInFlightError,
  utcDay,
} from '../store/types.js'

export const submitRequestParamsSchema = z.object({ chainId: z.string() })

// secp256k1 n / 2: OpenZeppelin's ECDSA refuses signatures with a larger s.
const HALF_CURVE_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n

/**
 * `POST /v1/evm/:chainId/requests` (header `x-tokentags-site`): checks policy, signature, nonce and
 * a simulation, stores the request and answers `202 { id, status: "queued" }`.
 */
export function submitRequestRoute(deps: AppDeps): RequestHandler {
  const now = deps.now ?? Date.now
  const { perIp, perSender, perSite, inFlightPerSender, inFlightPerIp } = deps.limits
  const ipLimiter = perIp ? deps.store.rateLimiter({ keyPrefix: 'ip', ...perIp }) : undefined
  const siteLimiter = perSite ? deps.store.rateLimiter({ keyPrefix: 'site', ...perSite }) : undefined
  const senderLimiter = perSender ? deps.store.rateLimiter({ keyPrefix: 'sender', ...perSender }) : undefined
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

    const refusal = judgeRequestPolicy({
      request,
      site,
      chainId: chain.chainId,
      maxGasPerRequest: chain.maxGasPerRequest,
      nowSeconds: BigInt(Math.floor(now() / 1000)),
      maxDeadlineSeconds: deps.limits.maxDeadlineSeconds,
    })
    if (refusal) throw new RequestRefusedError(refusal)

    await verifySignature(chain, request, signature)
    // After the signature: nobody can use up someone else's allowance.
    await consumeOrRefuse(senderLimiter, `${chain.chainId}:${request.from.toLowerCase()}`, 'this sender')
    // After the local checks, before the simulation: a request the site gates costs no node work
    // until the verifier says a human sent it (one outbound call, no caching: tokens are single-use).
    const humanCheck = site.attestation?.humanCheck
    if (humanCheck) await requireHuman({ check: humanCheck, site, body: req.body, remoteIp: req.ip })
    // Beside the simulation (one JSON-RPC batch): what the request really needs, whatever it declared.
    const measuring = measureRequestGas(chain, request)
    if (!(await fastPath(chain, request, signature, deps.errorAbis))) {
      await checkNonce(deps, chain, request)
      // Simulated as it will run, after the pending ones: the forwarder's nonce pinned to the
      // request's, whatever the chain says at the moment of the call (a later read could differ).
      await simulateForwardRequest(chain, { request, signature, pinNonce: true, errorAbis: deps.errorAbis })
      // And on top of the sender's pending ones: alone it may pass where after them it reverts.
      await simulateAfterPending(deps.store, chain, { request, errorAbis: deps.errorAbis })
    }

    const measuredGas = await measuring
    // Last before the reservation: the site owner is asked only about a request the relay would sponsor.
    const sponsorWebhook = site.attestation?.sponsorWebhook
    if (sponsorWebhook) {
      const payload = sponsorPayload({ site, chainId: chain.chainId, request, origin: req.get('origin'), ip: req.ip })
      await requireSponsorship(sponsorWebhook, payload, now())
    }
    const id = newRequestId(chain.chainId)
    const day = utcDay(now())
    const budgeted = site.dailyBudgetWei !== undefined && chain.fees.maxFeePerGas !== undefined
    // Measured gas plus a batch's fixed part at today's fee with a bounded margin (evm/reservation.ts);
    // without a measurement, the declared worst case at that fee.
    const amountWei = budgeted
      ? await reservationWei(chain, request, signature, measuredGas ?? requestGas(request))
      : undefined
    try {
      // One atomic step: duplicate nonce, paused site, sender quota, budget reservation, enqueue.
      // Only once it resolves is the request stored; only then does the client get its 202.
      await deps.store.enqueue({
        id,
        chainId: chain.chainId,
        siteKey: site.key,
        request,
        signature,
        ...(measuredGas === undefined ? {} : { measuredGas }),
        ...(site.dailyBudgetWei !== undefined && amountWei !== undefined
          ? { reservation: { day, limitWei: site.dailyBudgetWei, amountWei } }
          : {}),
        inFlight: {
          ...(inFlightPerSender === false ? {} : { maxPerSender: inFlightPerSender }),
          ...(inFlightPerIp === false ? {} : { ipKey: addressDigest(clientKey), maxPerIp: inFlightPerIp }),
        },
        ...(site.senderDailyQuota !== undefined
          ? {
              quota: {
                key: `${site.key}:${request.from.toLowerCase()}:${day}`,
                limit: site.senderDailyQuota,
                ttlSeconds: 2 * 86_400,
              },
            }
          : {}),
      })
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

/** The in-flight counter's key of a client address: records keep no client address in clear. */
function addressDigest(clientKey: string): string {
  return createHash('sha256').update(clientKey).digest('hex').slice(0, 32)
}

async function verifySignature(chain: ChainRuntime, request: ForwardRequest, signature: Hex): Promise<void> {
  const v = Number.parseInt(signature.slice(130, 132), 16)
  const s = hexToBigInt(slice(signature, 32, 64))
  if ((v !== 27 && v !== 28) || s > HALF_CURVE_ORDER) {
    throw badRequest('BAD_SIGNATURE', 'the signature is not a canonical 65-byte ECDSA signature (v 27/28, low s)')
  }
  let signed: boolean
  try {
    signed = await signedBy(chain.domain, request, signature, request.from)
  } catch (error) {
    throw badRequest('BAD_SIGNATURE', 'the signature cannot be recovered', { cause: error })
  }
  if (!signed) {
    throw badRequest('BAD_SIGNATURE', 'the signature does not match request.from for this chain and forwarder')
  }
}

/**
 * The common case in one RPC call and no store read: a request that simulates successfully as is.
 * The forwarder only accepts a signature over its current `nonces(from)`, so a successful `execute`
 * proves the nonce is the chain's next one. A request already pending here with that nonce is
 * refused by `enqueue`'s duplicate check, atomically; pending requests with lower nonces were
 * executed already (the chain passed them). Anything else takes the full path.
 */
async function fastPath(chain: ChainRuntime, request: ForwardRequest, signature: Hex, errorAbis: AppDeps['errorAbis']) {
  // An unreachable node fails the request here (ChainUnavailableError); anything else takes the full path.
  return executesAsIs(chain, request, signature, errorAbis)
}

/** Applies the nonce rule (`../evm/nonces.ts`) to a request the fast path did not take. */
async function checkNonce(deps: AppDeps, chain: ChainRuntime, request: ForwardRequest): Promise<void> {
  const verdict = judgeNonce(request.nonce, await readSenderNonces(deps.store, chain, request.from))
  switch (verdict.kind) {
    case 'next':
      return
    case 'used':
      throw new RequestRefusedError({
        code: 'BAD_NONCE',
        message: `nonce ${request.nonce} is already used; next is ${verdict.next}`,
      })
    case 'pending':
      throw new RequestRefusedError({
        code: 'BAD_NONCE',
        message: `nonce ${request.nonce} is already pending; next is ${verdict.next}`,
      })
    case 'gap':
      throw new RequestRefusedError({
        code: 'BAD_NONCE',
        message: `nonce ${request.nonce} leaves a gap; next is ${verdict.next}`,
      })
  }
}

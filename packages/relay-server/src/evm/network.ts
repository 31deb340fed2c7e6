import { createHash } from 'node:crypto'
import type { ResolvedLimits } from '../config.js'
import { requestOf, storeView } from '../network/fromRecord.js'
import { createSitePauseGate } from '../network/sitePause.js'
import type { EvmRequestNetwork, Network, NetworkView, RelayRequest } from '../network/types.js'
import type { AdmissionStore } from '../store/admission/types.js'
import { chainOfRequestId, type StoredRequest } from '../store/records.js'
import type { RequestStore } from '../store/requests/types.js'
import { newRequestId, utcDay } from '../store/types.js'
import type { ChainBatcher } from './batcher/batcher.js'
import { type CheckDeps, type CheckedForwardRequest, checkSubmission, type ForwardRequestSubmission } from './check.js'
import { requestGas } from './gas.js'
import { reservationWei } from './reservation.js'

/** An EVM record as the relay's one request model. */
export function evmRequest(record: StoredRequest): RelayRequest<EvmRequestNetwork> {
  return requestOf(record, {
    kind: 'evm',
    chainId: record.chainId,
    ...(record.txHash === undefined ? {} : { txHash: record.txHash }),
    ...(record.blockNumber === undefined ? {} : { blockNumber: record.blockNumber }),
  })
}

/** EVM forward requests: ids `<chainId>-<uuid>` (`newRequestId`), records in the requests store. */
export function evmNetwork(store: Pick<RequestStore, 'get' | 'subscribe'>): NetworkView<EvmRequestNetwork> {
  return storeView('evm', (id) => chainOfRequestId(id) !== undefined, store, evmRequest)
}

/** EVM forward requests through their whole lifecycle: checked, admitted, then sent and tracked by the batchers. */
export type EvmNetwork = Network<EvmRequestNetwork, ForwardRequestSubmission, CheckedForwardRequest>

export interface EvmNetworkDeps extends Omit<CheckDeps, 'requests' | 'maxDeadlineSeconds'> {
  /** Admission stores a request; the requests store serves the checks (pending ones) and the views. */
  stores: {
    admission: Pick<AdmissionStore, 'enqueue' | 'siteState'>
    requests: Pick<RequestStore, 'get' | 'subscribe' | 'pendingNonces' | 'pendingRequests'>
  }
  limits: Pick<ResolvedLimits, 'maxDeadlineSeconds' | 'inFlightPerSender' | 'inFlightPerIp'>
  /** One per chain: they send and track what admission stored (none: only checks and admission here). */
  batchers?: ReadonlyMap<number, ChainBatcher>
}

/** The EVM network: `check` is `check.ts`, `admit` the admission store's `enqueue`, sending the batchers. */
export function createEvmNetwork(deps: EvmNetworkDeps): EvmNetwork {
  const { now, limits } = deps
  const { admission, requests } = deps.stores
  const checkDeps: CheckDeps = {
    sitePause: createSitePauseGate(admission, now),
    requests,
    errorAbis: deps.errorAbis,
    now,
    maxDeadlineSeconds: limits.maxDeadlineSeconds,
  }
  const { inFlightPerSender, inFlightPerIp } = limits
  return {
    ...evmNetwork(requests),
    check: (submission) => checkSubmission(checkDeps, submission),
    async admit({ submission, measuredGas }) {
      const { chain, site, request, signature } = submission
      const id = newRequestId(chain.chainId)
      const day = utcDay(now())
      const budgeted = site.dailyBudgetWei !== undefined && chain.fees.maxFeePerGas !== undefined
      // Measured gas plus a batch's fixed part at today's fee with a bounded margin (reservation.ts);
      // without a measurement, the declared worst case at that fee.
      const amountWei = budgeted
        ? await reservationWei(chain, request, signature, measuredGas ?? requestGas(request))
        : undefined
      // One atomic step: duplicate nonce, paused site, sender quota, budget reservation, enqueue.
      // Only once it resolves is the request stored.
      const record = await admission.enqueue({
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
          ...(inFlightPerIp === false ? {} : { ipKey: addressDigest(submission.clientKey), maxPerIp: inFlightPerIp }),
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
      return evmRequest(record)
    },
    start() {
      for (const batcher of deps.batchers?.values() ?? []) batcher.start()
    },
    async close() {
      await Promise.all([...(deps.batchers?.values() ?? [])].map((batcher) => batcher.stop()))
    },
  }
}

/** The in-flight counter's key of a client address: records keep no client address in clear. */
function addressDigest(clientKey: string): string {
  return createHash('sha256').update(clientKey).digest('hex').slice(0, 32)
}

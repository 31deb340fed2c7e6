// Whether the relay would sponsor a forward request, in the order clients see the refusals: the
// site's policy, the signature, then (past the submitter's gate) the nonce and the simulations.
import { type Abi, type Hex, hexToBigInt, slice } from 'viem'
import type { ResolvedSite } from '../config.js'
import type { SitePauseGate } from '../network/sitePause.js'
import type { RequestStore } from '../store/requests/types.js'
import type { ForwardRequest } from '../store/types.js'
import type { ChainRuntime } from './chain.js'
import { RequestRefusedError } from './errors.js'
import { signedBy } from './hotPath/signature.js'
import { judgeNonce, readSenderNonces } from './nonces.js'
import { judgeRequestPolicy } from './policy.js'
import { simulateAfterPending } from './sequential.js'
import { simulateAsIs, simulateForwardRequest } from './simulate.js'

// secp256k1 n / 2: OpenZeppelin's ECDSA refuses signatures with a larger s.
const HALF_CURVE_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n

/** A signed forward request as submitted to one chain for one site. */
export interface ForwardRequestSubmission {
  chain: ChainRuntime
  site: ResolvedSite
  request: ForwardRequest
  signature: Hex
  /** The client's address key (`http/clientAddress.ts`): the in-flight limit per address counts by it. */
  clientKey: string
  /** The JSON body as received: a gated site's human check reads its token there. */
  body: unknown
  remoteIp: string | undefined
  /**
   * Runs once the signature is proven and before any node work: what a forged request must not use
   * up (the sender's rate limit) and what gates node work (a site's human check).
   */
  afterSignature?: (submission: ForwardRequestSubmission) => Promise<void>
}

/** A submission the relay would sponsor, with the gas it measured (undefined when the node gave none). */
export interface CheckedForwardRequest {
  submission: ForwardRequestSubmission
  measuredGas: bigint | undefined
}

export interface CheckDeps {
  /** Refuses a paused site's request before any other check or node work (admission checks again). */
  sitePause?: SitePauseGate
  /** The sender's pending requests (nonce rule, sequential simulation) are read there. */
  requests: Pick<RequestStore, 'pendingNonces' | 'pendingRequests'>
  errorAbis: readonly Abi[]
  /** Clock in milliseconds. */
  now: () => number
  maxDeadlineSeconds: number
}

/** The site's rules for `request` on `chain` (no I/O); throws `RequestRefusedError` with the first one broken. */
export function checkForwardRequest(
  request: ForwardRequest,
  site: ResolvedSite,
  chain: ChainRuntime,
  nowMs: number,
  maxDeadlineSeconds: number,
): void {
  const refusal = judgeRequestPolicy({
    request,
    site,
    chainId: chain.chainId,
    maxGasPerRequest: chain.maxGasPerRequest,
    nowSeconds: BigInt(Math.floor(nowMs / 1000)),
    maxDeadlineSeconds,
  })
  if (refusal) throw new RequestRefusedError(refusal)
}

/**
 * The site's pause, policy, signature, the submission's gate, then nonce and simulation; resolves to the checked
 * request or throws the refusal (`RequestRefusedError` for policy, signature and nonce, `SimulationFailedError`, …).
 */
export async function checkSubmission(
  deps: CheckDeps,
  submission: ForwardRequestSubmission,
): Promise<CheckedForwardRequest> {
  const { chain, request, signature } = submission
  await deps.sitePause?.assertOpen(submission.site.key)
  checkForwardRequest(request, submission.site, chain, deps.now(), deps.maxDeadlineSeconds)
  await verifySignature(chain, request, signature)
  if (submission.afterSignature) await submission.afterSignature(submission)
  // One node call simulates the request and measures what it really needs, whatever it declared.
  const asIs = await simulateAsIs(chain, request, signature)
  if (asIs.executes) return { submission, measuredGas: asIs.measuredGas }
  await checkNonce(deps.requests, chain, request)
  // Simulated (and measured) as it will run, after the pending ones: the forwarder's nonce pinned to
  // the request's, whatever the chain says at the moment of the call (a later read could differ).
  const measuredGas = await simulateForwardRequest(chain, {
    request,
    signature,
    pinNonce: true,
    errorAbis: deps.errorAbis,
  })
  // And on top of the sender's pending ones: alone it may pass where after them it reverts.
  await simulateAfterPending(deps.requests, chain, { request, errorAbis: deps.errorAbis })
  return { submission, measuredGas }
}

async function verifySignature(chain: ChainRuntime, request: ForwardRequest, signature: Hex): Promise<void> {
  const v = Number.parseInt(signature.slice(130, 132), 16)
  const s = hexToBigInt(slice(signature, 32, 64))
  if ((v !== 27 && v !== 28) || s > HALF_CURVE_ORDER) {
    throw new RequestRefusedError({
      code: 'BAD_SIGNATURE',
      message: 'the signature is not a canonical 65-byte ECDSA signature (v 27/28, low s)',
    })
  }
  let signed: boolean
  try {
    signed = await signedBy(chain.domain, request, signature, request.from)
  } catch (error) {
    throw new RequestRefusedError(
      { code: 'BAD_SIGNATURE', message: 'the signature cannot be recovered' },
      { cause: error },
    )
  }
  if (!signed) {
    throw new RequestRefusedError({
      code: 'BAD_SIGNATURE',
      message: 'the signature does not match request.from for this chain and forwarder',
    })
  }
}

/** Applies the nonce rule (`nonces.ts`) to a request the fast path (`simulateAsIs`) did not take. */
async function checkNonce(
  requests: Pick<RequestStore, 'pendingNonces'>,
  chain: ChainRuntime,
  request: ForwardRequest,
): Promise<void> {
  const verdict = judgeNonce(request.nonce, await readSenderNonces(requests, chain, request.from))
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

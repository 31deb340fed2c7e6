// What the EVM side can fail with, in its own terms; `http/errors.ts` alone turns these into statuses.
import type { PolicyCode } from './policy.js'
import type { DecodedRevert } from './revert.js'

/** The chain's node cannot be reached: nothing is known about the request, neither accepted nor refused. */
export class ChainUnavailableError extends Error {
  override name = 'ChainUnavailableError'
  readonly chainId: number

  constructor(chainId: number, options: { cause?: unknown } = {}) {
    super(`cannot reach chain ${chainId}`, options.cause === undefined ? undefined : { cause: options.cause })
    this.chainId = chainId
  }
}

/** The forwarded call would revert as the chain stands; `revert` names the reason when it can be decoded. */
export class SimulationFailedError extends Error {
  override name = 'SimulationFailedError'
  readonly revert: DecodedRevert

  constructor(revert: DecodedRevert, options: { cause?: unknown } = {}) {
    super(
      `the request would revert: ${revert.message}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    )
    this.revert = revert
  }
}

/** The request breaks a rule (policy, signature or nonce): refused before it is stored, whatever the chain says. */
export class RequestRefusedError extends Error {
  override name = 'RequestRefusedError'
  readonly code: PolicyCode | 'BAD_SIGNATURE' | 'BAD_NONCE'

  constructor(
    refusal: { code: PolicyCode | 'BAD_SIGNATURE' | 'BAD_NONCE'; message: string },
    options: { cause?: unknown } = {},
  ) {
    super(refusal.message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = refusal.code
  }
}

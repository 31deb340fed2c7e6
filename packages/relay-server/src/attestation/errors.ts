// What attestation (human check, sponsorship webhook) can fail with, in its own terms; `http/errors.ts` alone turns
// these into statuses.

/** The request does not carry what the site requires, or the verifier or the site owner said no. */
export type AttestationRefusalCode = 'HUMAN_CHECK_REQUIRED' | 'HUMAN_CHECK_FAILED' | 'SPONSOR_DECLINED'

/** The human-check verifier or the sponsorship endpoint gave no usable answer in time. */
export type AttestationUnavailableCode = 'HUMAN_CHECK_UNAVAILABLE' | 'SPONSOR_UNAVAILABLE'

/** The site's attestation refuses this request: it is not sponsored, whatever the chain says. */
export class AttestationRefusedError extends Error {
  override name = 'AttestationRefusedError'
  readonly code: AttestationRefusalCode

  constructor(code: AttestationRefusalCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
  }
}

/** Attestation failed closed because its verifier did not answer: nothing is known about the request. */
export class AttestationUnavailableError extends Error {
  override name = 'AttestationUnavailableError'
  readonly code: AttestationUnavailableCode

  constructor(code: AttestationUnavailableCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
  }
}

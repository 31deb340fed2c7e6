/** Stable error codes of the relay's HTTP API (`{ error: { code, message } }`). */
export type RelayErrorCode =
  | 'INVALID_JSON'
  | 'INVALID_BODY'
  | 'INVALID_EVENTS'
  | 'TOO_MANY_EVENTS'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNKNOWN_SITE'
  | 'ORIGIN_NOT_ALLOWED'
  | 'WRONG_CHAIN'
  | 'EXPIRED'
  | 'DEADLINE_TOO_FAR'
  | 'TARGET_NOT_ALLOWED'
  | 'SELECTOR_NOT_ALLOWED'
  | 'CALLDATA_NOT_ALLOWED'
  | 'ARGUMENT_NOT_ALLOWED'
  | 'VALUE_NOT_ALLOWED'
  | 'GAS_TOO_HIGH'
  | 'BAD_SIGNATURE'
  | 'BAD_NONCE'
  | 'SIMULATION_FAILED'
  | 'NOT_FOUND'
  | 'UPSTREAM_UNAVAILABLE'
  | 'STORE_UNAVAILABLE'
  | 'RATE_LIMITED'
  | 'QUOTA_EXCEEDED'
  | 'SENDER_IN_FLIGHT_LIMIT'
  | 'IP_IN_FLIGHT_LIMIT'
  | 'SENDER_BACKLOG'
  | 'BUDGET_EXCEEDED'
  | 'SITE_PAUSED'
  | 'UNAUTHORIZED'
  | 'HUMAN_CHECK_REQUIRED'
  | 'HUMAN_CHECK_FAILED'
  | 'HUMAN_CHECK_UNAVAILABLE'
  | 'SPONSOR_DECLINED'
  | 'SPONSOR_UNAVAILABLE'
  | 'INTERNAL'

export interface RelayErrorOptions {
  cause?: unknown
  /** Extra machine-readable fields, logged but not sent to clients. */
  details?: Record<string, unknown>
}

/** An error with an HTTP status and a stable code; the error middleware renders it as JSON. */
export class RelayError extends Error {
  override name = 'RelayError'
  readonly status: number
  readonly code: RelayErrorCode
  readonly details: Record<string, unknown> | undefined

  constructor(status: number, code: RelayErrorCode, message: string, options: RelayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.status = status
    this.code = code
    this.details = options.details
  }
}

export const badRequest = (code: RelayErrorCode, message: string, options?: RelayErrorOptions) =>
  new RelayError(400, code, message, options)
export const forbidden = (code: RelayErrorCode, message: string, options?: RelayErrorOptions) =>
  new RelayError(403, code, message, options)
export const notFound = (message = 'not found') => new RelayError(404, 'NOT_FOUND', message)
export const upstreamUnavailable = (message: string, cause?: unknown) =>
  new RelayError(503, 'UPSTREAM_UNAVAILABLE', message, { cause })

/**
 * A loggable summary of an error that never includes RPC URLs or request bodies (viem's full
 * messages carry both; RPC URLs often embed API keys).
 */
export function safeError(error: unknown): { type: string; message: string; code?: string; cause?: unknown } {
  if (error instanceof RelayError) {
    return {
      type: error.name,
      code: error.code,
      message: error.message,
      ...(error.cause === undefined ? {} : { cause: safeError(error.cause) }),
    }
  }
  if (error instanceof Error) {
    const viem = error as Error & { shortMessage?: string; details?: string }
    if (typeof viem.shortMessage === 'string') {
      const details = viem.details && !viem.details.includes('://') ? ` (${viem.details})` : ''
      return { type: error.name, message: `${viem.shortMessage}${details}` }
    }
    return { type: error.name, message: error.message.replaceAll(/\w+:\/\/\S+/g, '<url>') }
  }
  return { type: typeof error, message: String(error) }
}

/** Removes credentials and paths from an RPC URL before it can reach a message or a log line. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.host}`
  } catch {
    return '<invalid url>'
  }
}

import type { RelayErrorCode } from '@tokentags/core/protocol'

// The codes are the client's list (`RELAY_ERROR_CODES` in `@tokentags/core/protocol`, grouped by what a client does
// with each): a code outside it does not compile, and core classifies every one of them.
export type { RelayErrorCode }

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

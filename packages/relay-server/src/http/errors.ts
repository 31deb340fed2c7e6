import type { RelayErrorBody } from '@tokentags/core/protocol'
import type { ErrorRequestHandler, RequestHandler } from 'express'
import type { Logger } from 'pino'
import type { z } from 'zod'
import {
  type AttestationRefusalCode,
  AttestationRefusedError,
  AttestationUnavailableError,
} from '../attestation/errors.js'
import { badRequest, notFound, RelayError, safeError, upstreamUnavailable } from '../errors.js'
import { ChainUnavailableError, RequestRefusedError, SimulationFailedError } from '../evm/errors.js'
import { SenderBacklogError } from '../evm/sequential.js'
import type { RelayMetrics } from '../metrics.js'
import { type SolanaPayErrorCode, SolanaPayRefusedError } from '../solana/payParams.js'
import { type SolanaErrorCode, SolanaRefusedError } from '../solana/policy.js'
import { SolanaUnavailableError } from '../solana/rpc.js'
import { BudgetExceededError, QuotaExceededError, SitePausedError, StoreUnavailableError } from '../store/types.js'

/** Parses `value` with `schema` or throws `400 INVALID_BODY` naming the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.output<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const path = issue && issue.path.length > 0 ? issue.path.join('.') : what
  throw badRequest('INVALID_BODY', `${path}: ${issue?.message ?? 'invalid'}`)
}

/** The JSON 404 that goes after every route. */
export const notFoundHandler: RequestHandler = (req) => {
  throw notFound(`no route for ${req.method} ${req.path}`)
}

interface BodyParserError {
  type?: string
  status?: number
}

/** Refusals by rule: 403 when the site's policy forbids it, 409 for a nonce, 400 for the rest. */
const REFUSAL_STATUS: Record<RequestRefusedError['code'], number> = {
  VALUE_NOT_ALLOWED: 403,
  TARGET_NOT_ALLOWED: 403,
  SELECTOR_NOT_ALLOWED: 403,
  CALLDATA_NOT_ALLOWED: 403,
  ARGUMENT_NOT_ALLOWED: 403,
  EXPIRED: 400,
  DEADLINE_TOO_FAR: 400,
  GAS_TOO_HIGH: 400,
  BAD_SIGNATURE: 400,
  BAD_NONCE: 409,
}

/**
 * Solana refusals: 403 when the site's policy or the fee payer's safety forbids it, 409 a transaction already taken,
 * 413 too large, 422 a failing simulation, 404 no Solana on this relay, 400 for the rest.
 */
const SOLANA_REFUSAL_STATUS: Record<SolanaErrorCode, number> = {
  SOLANA_NOT_CONFIGURED: 404,
  INVALID_TRANSACTION: 400,
  TRANSACTION_TOO_LARGE: 413,
  LOOKUP_TABLES_NOT_ALLOWED: 400,
  FEE_PAYER_MISMATCH: 400,
  FEE_PAYER_AS_SOURCE: 403,
  FEE_PAYER_WRITABLE: 403,
  INSTRUCTION_NOT_ALLOWED: 403,
  TOKEN_ACCOUNT_OWNER_NOT_LISTED: 403,
  TOKEN_ACCOUNT_MINT_NOT_LISTED: 403,
  TRANSFER_BELOW_MINIMUM: 403,
  MINT_EXTENSION_NOT_ALLOWED: 403,
  NO_WALLET_SIGNER: 400,
  TOO_MANY_SIGNERS: 403,
  PROGRAM_NOT_ALLOWED: 403,
  COMPUTE_LIMIT_TOO_HIGH: 400,
  PRIORITY_FEE_TOO_HIGH: 400,
  BAD_SIGNATURE: 400,
  BLOCKHASH_EXPIRED: 400,
  DUPLICATE_TRANSACTION: 409,
  SIMULATION_FAILED: 422,
}

/**
 * Solana Pay's refusals of a link or an account: 403 what the site does not take, 422 what the chain's state refuses
 * (balances, rent, the mint), 400 for the rest.
 */
const SOLANA_PAY_REFUSAL_STATUS: Record<SolanaPayErrorCode, number> = {
  PAY_NOT_ENABLED: 403,
  RECIPIENT_NOT_ALLOWED: 403,
  MINT_NOT_ALLOWED: 403,
  INVALID_ADDRESS: 400,
  INVALID_ACCOUNT: 400,
  INVALID_AMOUNT: 400,
  AMOUNT_TOO_PRECISE: 400,
  INVALID_MEMO: 400,
  MEMO_TOO_LONG: 400,
  INVALID_REFERENCE: 400,
  INVALID_MINT: 422,
  INSUFFICIENT_FUNDS: 422,
  TIP_BELOW_RENT: 422,
  RECIPIENT_TOKEN_ACCOUNT_MISSING: 422,
}

/** Attestation's refusals: 400 a missing human-check token, 403 a verifier's or a site owner's no. */
const ATTESTATION_REFUSAL_STATUS: Record<AttestationRefusalCode, number> = {
  HUMAN_CHECK_REQUIRED: 400,
  HUMAN_CHECK_FAILED: 403,
  SPONSOR_DECLINED: 403,
}

/** The one map from domain errors to an HTTP status and code; anything unknown is a 500. */
export function toRelayError(error: unknown): RelayError {
  return toDomainRelayError(error) ?? toBodyOrInternalError(error)
}

/** A relay error for the errors the relay's own code throws (domain errors, `RelayError`s), else undefined. */
export function toDomainRelayError(error: unknown): RelayError | undefined {
  if (error instanceof RelayError) return error
  if (error instanceof SolanaRefusedError) {
    return new RelayError(SOLANA_REFUSAL_STATUS[error.code], error.code, error.message, {
      cause: error.cause,
    })
  }
  if (error instanceof SolanaPayRefusedError) {
    return new RelayError(SOLANA_PAY_REFUSAL_STATUS[error.code], error.code, error.message)
  }
  // The log keeps what the node answered (a transport error, a JSON-RPC error); the message says it already.
  if (error instanceof SolanaUnavailableError) return upstreamUnavailable(error.message, error.cause ?? error)
  if (error instanceof ChainUnavailableError) return upstreamUnavailable(error.message, error)
  if (error instanceof RequestRefusedError) {
    return new RelayError(REFUSAL_STATUS[error.code], error.code, error.message, { cause: error.cause })
  }
  if (error instanceof AttestationRefusedError) {
    return new RelayError(ATTESTATION_REFUSAL_STATUS[error.code], error.code, error.message, { cause: error.cause })
  }
  // Fails closed on a silent verifier, as an outage under its own code: the client may try again.
  if (error instanceof AttestationUnavailableError) {
    return new RelayError(503, error.code, error.message, { cause: error.cause })
  }
  if (error instanceof SimulationFailedError) {
    return new RelayError(422, 'SIMULATION_FAILED', error.message, {
      cause: error,
      details: { errorName: error.revert.name, data: error.revert.data },
    })
  }
  // Admission's refusals, one code per rule on both networks (issue 12): the error's message says which budget.
  if (error instanceof BudgetExceededError) return new RelayError(429, 'BUDGET_EXCEEDED', error.message)
  if (error instanceof QuotaExceededError) return new RelayError(429, 'QUOTA_EXCEEDED', error.message)
  if (error instanceof SitePausedError) return new RelayError(403, 'SITE_PAUSED', error.message)
  if (error instanceof SenderBacklogError) {
    return new RelayError(429, 'SENDER_BACKLOG', error.message, {
      details: { pending: error.pending, limit: error.limit },
    })
  }
  // An outage, never the client's fault: and never a 202 for something not stored.
  if (error instanceof StoreUnavailableError) {
    return new RelayError(503, 'STORE_UNAVAILABLE', 'the relay cannot reach its store; try again shortly', {
      cause: error,
    })
  }
  return undefined
}

function toBodyOrInternalError(error: unknown): RelayError {
  const { type, status } = (error ?? {}) as BodyParserError
  switch (type) {
    case 'entity.parse.failed':
      return badRequest('INVALID_JSON', 'the body is not valid JSON', { cause: error })
    case 'entity.too.large':
      return new RelayError(413, 'PAYLOAD_TOO_LARGE', 'the body is too large', { cause: error })
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new RelayError(415, 'UNSUPPORTED_MEDIA_TYPE', 'unsupported body encoding', { cause: error })
  }
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new RelayError(status, 'INVALID_BODY', 'the body could not be read', { cause: error })
  }
  return new RelayError(500, 'INTERNAL', 'internal error', { cause: error })
}

/** Renders every error as `{ error: { code, message } }` with its HTTP status. */
export function errorHandler(logger: Logger, metrics: RelayMetrics): ErrorRequestHandler {
  return (error, _req, res, _next) => {
    const relayError = toRelayError(error)
    const log = (res.locals.log as Logger | undefined) ?? logger
    // Unknown errors are bugs: log them whole (stack included); known ones only in safe form.
    const known =
      error instanceof RelayError ||
      error instanceof ChainUnavailableError ||
      error instanceof SimulationFailedError ||
      error instanceof SolanaUnavailableError ||
      error instanceof AttestationUnavailableError
    if (!known && relayError.status >= 500) {
      const stack = error instanceof Error ? error.stack?.slice(error.stack.indexOf('\n    at')) : undefined
      log.error({ error: safeError(error), stack }, 'unhandled error')
    } else if (relayError.status >= 500) log.error({ error: safeError(relayError) }, relayError.message)
    else log.info({ code: relayError.code, details: relayError.details }, relayError.message)
    metrics.httpError(relayError.code)
    if (res.headersSent) {
      res.end()
      return
    }
    const reason = relayError.details?.errorName
    const retryAfterMs = relayError.details?.retryAfterMs
    if (typeof retryAfterMs === 'number')
      res.setHeader('retry-after', String(Math.max(1, Math.ceil(retryAfterMs / 1000))))
    if (relayError.status === 503) res.setHeader('retry-after', '1')
    res.status(relayError.status).json({
      error: {
        code: relayError.code,
        message: relayError.message,
        ...(typeof reason === 'string' ? { reason } : {}),
      },
    } satisfies RelayErrorBody)
  }
}

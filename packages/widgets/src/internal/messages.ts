import { en } from '../i18n/en.js'

/**
 * Error codes a widget can show. The core's codes (see `@tokentags/core`) plus the
 * widget's own: `INVALID_ATTRIBUTE` (an attribute does not parse) and
 * `CHAIN_NOT_CONFIGURED` (no RPC URL for the widget's chain).
 */
export type WidgetErrorCode = CatalogCode | LazyWordsCode

/**
 * Codes whose words travel with the state from the lazy chunk that shows them (so the up-front English catalog stays
 * small): `UNSUPPORTED_MINT` (a Solana tip of a Token-2022 mint the relay and core refuse; token-tip/solana-api.ts).
 */
type LazyWordsCode = 'UNSUPPORTED_MINT'

type CatalogCode =
  | 'INVALID_ATTRIBUTE'
  | 'CHAIN_NOT_CONFIGURED'
  | 'INVALID_PARAMETER'
  | 'NO_WALLET'
  | 'WALLET_NOT_CONNECTED'
  | 'USER_REJECTED'
  | 'WRONG_CHAIN'
  | 'CHAIN_SWITCH_FAILED'
  | 'RELAY_UNREACHABLE'
  | 'RELAY_REJECTED'
  | 'RELAY_ORIGIN_NOT_ALLOWED'
  | 'WRONG_CONTRACT'
  | 'TRANSACTION_FAILED'
  | 'NOTHING_TO_CLAIM'
  | 'SLIPPAGE'
  | 'SALE_NOT_OPEN'
  | 'SALE_CAP_EXCEEDED'
  | 'GASLESS_UNSUPPORTED'
  | 'HUMAN_CHECK_REQUIRED'
  | 'HUMAN_CHECK_FAILED'
  | 'TIMEOUT'
  | 'READ_FAILED'
  | 'ABORTED'
  | 'UNKNOWN'

const MESSAGES: Record<CatalogCode, string> = en.errors

/** Readable English words for an error code; unknown codes get a generic sentence. */
export function messageFor(code: string): string {
  return MESSAGES[code as CatalogCode] ?? MESSAGES.UNKNOWN
}

/**
 * Codes a retry cannot fix: the page itself (or the relay's configuration) has to change. `UNSUPPORTED_MINT`: the page
 * names a Token-2022 mint a tip cannot go through (another token is needed).
 */
const SETUP_CODES: ReadonlySet<string> = new Set([
  'INVALID_ATTRIBUTE',
  'CHAIN_NOT_CONFIGURED',
  'INVALID_PARAMETER',
  'WRONG_CONTRACT',
  'RELAY_ORIGIN_NOT_ALLOWED',
  'UNSUPPORTED_MINT',
])

export function isRetryable(code: string): boolean {
  return !SETUP_CODES.has(code)
}

/** Code and words of anything thrown, e.g. a `TokenTagsError` from core. */
export function describeError(error: unknown): { code: string; message: string } {
  const coded = error as { code?: unknown; relayCode?: unknown } | null | undefined
  let code = typeof coded?.code === 'string' ? coded.code : 'UNKNOWN'
  // The relay's own code helps support without leaking anything sensitive.
  const relayCode = coded?.relayCode
  // A refusal with words of its own (the human check of issue 13) is shown as itself.
  if (code === 'RELAY_REJECTED' && /^HUMAN_CHECK_[FR]/.test(relayCode as string)) code = relayCode as string
  let message = messageFor(code)
  if (code === 'RELAY_REJECTED' && typeof relayCode === 'string') message += ` (${relayCode})`
  return { code, message }
}

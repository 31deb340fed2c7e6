/**
 * Error codes a widget can show. The core's codes (see `@tokentags/core`) plus the
 * widget's own: `INVALID_ATTRIBUTE` (an attribute does not parse) and
 * `CHAIN_NOT_CONFIGURED` (no RPC URL for the widget's chain).
 */
export type WidgetErrorCode =
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
  | 'TRANSACTION_FAILED'
  | 'NOTHING_TO_CLAIM'
  | 'TIMEOUT'
  | 'READ_FAILED'
  | 'ABORTED'
  | 'UNKNOWN'

const MESSAGES: Record<WidgetErrorCode, string> = {
  INVALID_ATTRIBUTE: 'This widget is set up incorrectly.',
  CHAIN_NOT_CONFIGURED: 'This network is not configured on this page.',
  INVALID_PARAMETER: 'This widget is set up incorrectly.',
  NO_WALLET: 'No wallet was found in this browser.',
  WALLET_NOT_CONNECTED: 'Your wallet is not connected. Connect it and try again.',
  USER_REJECTED: 'The request was declined in your wallet.',
  WRONG_CHAIN: 'Your wallet is on a different network.',
  CHAIN_SWITCH_FAILED: 'Your wallet could not switch networks. Switch it by hand, then try again.',
  RELAY_UNREACHABLE: 'The gasless service could not be reached. Try again in a moment.',
  RELAY_REJECTED: 'The gasless service declined this request.',
  TRANSACTION_FAILED: 'The transaction failed on the network.',
  NOTHING_TO_CLAIM: 'There is nothing to claim right now.',
  TIMEOUT: 'This is taking too long. Check your wallet, then try again.',
  READ_FAILED: 'The network could not be read. Try again in a moment.',
  ABORTED: 'The request was cancelled.',
  UNKNOWN: 'Something went wrong.',
}

/** Readable words for an error code; unknown codes get a generic sentence. */
export function messageFor(code: string): string {
  return MESSAGES[code as WidgetErrorCode] ?? MESSAGES.UNKNOWN
}

/** Codes a retry cannot fix: the page itself has to change. */
export function isRetryable(code: string): boolean {
  return code !== 'INVALID_ATTRIBUTE' && code !== 'CHAIN_NOT_CONFIGURED' && code !== 'INVALID_PARAMETER'
}

/** Code and words of anything thrown, e.g. a `TokenTagsError` from core. */
export function describeError(error: unknown): { code: string; message: string } {
  const code =
    typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
      ? (error as { code: string }).code
      : 'UNKNOWN'
  let message = messageFor(code)
  // The relay's own code helps support without leaking anything sensitive.
  const relayCode = (error as { relayCode?: unknown } | null)?.relayCode
  if (code === 'RELAY_REJECTED' && typeof relayCode === 'string') message += ` (${relayCode})`
  return { code, message }
}

// What the relay's HTTP API and its clients agree on beyond the forwarder (whose EIP-712 types and ABI are in
// `@tokentags/contracts/forwarder`). The relay imports it from `@tokentags/core/protocol`. Everything but the two
// lists is a type: widgets that import core pay no bytes for the wire shapes.

/** Lifecycle of a relayed request: `queued → submitted → confirmed`, or `failed` / `rejected`. */
export type RequestStatus = 'queued' | 'submitted' | 'confirmed' | 'failed' | 'rejected'

/** The statuses a request never leaves. */
export const FINAL_REQUEST_STATUSES: readonly RequestStatus[] = ['confirmed', 'failed', 'rejected']

/**
 * Every code the relay answers in an error body (`{ error: { code, message } }`), each in one group: what a client
 * does with it. The relay's `RelayError` takes only these; docs/interfaces.md ("Error codes") lists the same groups.
 * The first groups are core's `RelayFailureKind`s, and `relayFailure` classifies each code as its group.
 */
export const RELAY_ERROR_CODES = {
  /** A 5xx: an outage, nothing is known about the request; try again shortly, or pay the gas from the wallet. */
  unreachable: [
    'INTERNAL',
    'STORE_UNAVAILABLE',
    'UPSTREAM_UNAVAILABLE',
    'HUMAN_CHECK_UNAVAILABLE',
    'SPONSOR_UNAVAILABLE',
  ],
  /** The site key does not list the page's origin: the site owner configures it; the wallet can pay. */
  'origin-not-allowed': ['ORIGIN_NOT_ALLOWED'],
  /** The site's daily gas budget or the sender's daily quota is spent (both networks): the wallet can pay. */
  budget: ['BUDGET_EXCEEDED', 'QUOTA_EXCEEDED'],
  /** Too many submissions (`Retry-After` says when to try again): wait, or pay from the wallet. */
  'rate-limited': ['RATE_LIMITED'],
  /** The site key is unknown, paused or unauthorized: the site owner fixes it; the wallet can pay. */
  site: ['UNKNOWN_SITE', 'SITE_PAUSED', 'UNAUTHORIZED'],
  /** The site's rules do not sponsor this call or chain: the wallet can pay. */
  policy: [
    'TARGET_NOT_ALLOWED',
    'SELECTOR_NOT_ALLOWED',
    'CALLDATA_NOT_ALLOWED',
    'ARGUMENT_NOT_ALLOWED',
    'VALUE_NOT_ALLOWED',
    'GAS_TOO_HIGH',
    'WRONG_CHAIN',
  ],
  /**
   * This request, as signed, is refused (its body, signature, nonce, deadline, a failing simulation, a Solana
   * transaction the fee payer must not sign, the sender's requests in flight): the client shows the relay's message
   * and offers no wallet fallback.
   */
  request: [
    'INVALID_JSON',
    'INVALID_BODY',
    'PAYLOAD_TOO_LARGE',
    'UNSUPPORTED_MEDIA_TYPE',
    'NOT_FOUND',
    'EXPIRED',
    'DEADLINE_TOO_FAR',
    'BAD_SIGNATURE',
    'BAD_NONCE',
    'SIMULATION_FAILED',
    'SENDER_IN_FLIGHT_LIMIT',
    'IP_IN_FLIGHT_LIMIT',
    'SENDER_BACKLOG',
    'HUMAN_CHECK_REQUIRED',
    'HUMAN_CHECK_FAILED',
    'SPONSOR_DECLINED',
    'SOLANA_NOT_CONFIGURED',
    'INVALID_TRANSACTION',
    'TRANSACTION_TOO_LARGE',
    'LOOKUP_TABLES_NOT_ALLOWED',
    'FEE_PAYER_MISMATCH',
    'FEE_PAYER_AS_SOURCE',
    'FEE_PAYER_WRITABLE',
    'INSTRUCTION_NOT_ALLOWED',
    'TOKEN_ACCOUNT_OWNER_NOT_LISTED',
    'TOKEN_ACCOUNT_MINT_NOT_LISTED',
    'TRANSFER_BELOW_MINIMUM',
    'MINT_EXTENSION_NOT_ALLOWED',
    'NO_WALLET_SIGNER',
    'TOO_MANY_SIGNERS',
    'PROGRAM_NOT_ALLOWED',
    'COMPUTE_LIMIT_TOO_HIGH',
    'PRIORITY_FEE_TOO_HIGH',
    'BLOCKHASH_EXPIRED',
    'DUPLICATE_TRANSACTION',
  ],
  /** The widgets' funnel batch (`POST /v1/events`) is dropped: nothing to show. */
  funnel: ['INVALID_EVENTS', 'TOO_MANY_EVENTS'],
  /** `/v1/solana/pay/tip` refuses the link or the account: the phone wallet shows the message. */
  'solana-pay': [
    'PAY_NOT_ENABLED',
    'INVALID_ADDRESS',
    'INVALID_ACCOUNT',
    'INVALID_AMOUNT',
    'AMOUNT_TOO_PRECISE',
    'INVALID_MEMO',
    'MEMO_TOO_LONG',
    'INVALID_REFERENCE',
    'RECIPIENT_NOT_ALLOWED',
    'MINT_NOT_ALLOWED',
    'INVALID_MINT',
    'INSUFFICIENT_FUNDS',
    'TIP_BELOW_RENT',
    'RECIPIENT_TOKEN_ACCOUNT_MISSING',
  ],
  /** An embed page or oEmbed answer cannot be made: the host page shows the error page or no card. */
  embed: [
    'INVALID_PARAMETER',
    'CHAIN_NOT_AVAILABLE',
    'WIDGET_UNAVAILABLE',
    'INVALID_URL',
    'NOT_EMBEDDABLE',
    'FORMAT_NOT_SUPPORTED',
  ],
} as const

/** A group of `RELAY_ERROR_CODES`: what a client does with a code. */
export type RelayErrorGroup = keyof typeof RELAY_ERROR_CODES

/** The codes of one group (or several). */
export type RelayErrorCodeOf<G extends RelayErrorGroup> = (typeof RELAY_ERROR_CODES)[G][number]

/** A code of the relay's error bodies. */
export type RelayErrorCode = RelayErrorCodeOf<RelayErrorGroup>

/**
 * Why a request accepted with `202` failed on its way to the chain (`GET /v1/requests/:id`'s `error`), beside the
 * refusals' codes a final request can also carry (`EXPIRED`, `BAD_NONCE`, Solana's `BLOCKHASH_EXPIRED`).
 */
export const REQUEST_FAILURE_CODES = [
  'EXECUTION_REVERTED',
  'BATCH_REVERTED',
  'NOT_EXECUTED',
  'SEND_FAILED',
  'TRANSACTION_FAILED',
  'CONFIRMATION_TIMEOUT',
  'NOT_SUBMITTED',
] as const

export type RequestFailureCode = (typeof REQUEST_FAILURE_CODES)[number]

/** Why a request was refused or failed, as `GET /v1/requests/:id` and 4xx answers carry it. */
export interface RequestError {
  /** A `RelayErrorCode` (refused) or a `RequestFailureCode` (failed). */
  code: string
  message: string
}

/** An error answer of the relay (4xx, 5xx). */
export interface RelayErrorBody {
  error: {
    code: RelayErrorCode
    message: string
    /** A failing simulation's decoded revert name (`422 SIMULATION_FAILED`). */
    reason?: string
  }
}

/** An OpenZeppelin `ForwardRequest` on the wire: integers as decimal strings, bytes and addresses as 0x-hex. */
export interface WireForwardRequest {
  from: `0x${string}`
  to: `0x${string}`
  value: string
  gas: string
  nonce: string
  deadline: string
  data: `0x${string}`
}

/** A human-check token (a site that requires one); read by the relay's human check, beside the body's schema. */
export interface HumanCheckField {
  humanCheck?: string
}

/** Body of `POST /v1/evm/:chainId/requests` (and `humanCheck` for a site that requires it). */
export interface SubmitRequestBody {
  request: WireForwardRequest
  /** The 65-byte EIP-712 signature, 0x-hex. */
  signature: `0x${string}`
}

/** Body of `POST /v1/solana/transactions` (and `humanCheck` for a site that requires it). */
export interface SolanaSubmitBody {
  /** The base64 wire transaction, signed by the wallet, the fee payer's signature slot empty. */
  transaction: string
}

/** `202` answer of `POST /v1/evm/:chainId/requests`. */
export interface SubmitAccepted {
  id: string
  status: 'queued'
}

/** `202` answer of `POST /v1/solana/transactions`. */
export interface SolanaSubmitAccepted {
  id: string
  status: RequestStatus
  /** The transaction's base58 signature. */
  signature: string
}

/** `GET /v1/requests/:id` of an EVM request, and the data of each of its SSE `status` events. */
export interface RequestView {
  id: string
  status: RequestStatus
  txHash?: `0x${string}`
  /** Decimal string. */
  blockNumber?: string
  error?: RequestError
}

/** `GET /v1/requests/sol_…`, and the data of each of its SSE `status` events. */
export interface SolanaRequestView {
  id: string
  status: RequestStatus
  /** Base58 transaction signature. */
  signature: string
  /** Decimal string. */
  slot?: string
  error?: RequestError
}

/** One widget funnel event; only an `error` has a `code` (a widget error code such as `USER_REJECTED`). */
export interface FunnelEvent {
  widget: 'claim' | 'tip' | 'buy'
  kind: 'view' | 'connect' | 'submit' | 'success' | 'error'
  code?: string
}

/** Body of `POST /v1/events` (JSON, sent as text by `sendBeacon`). */
export interface EventsBatch {
  events: FunnelEvent[]
}

import { redactUrls } from './internal/redact.js'
import type { RelayErrorCodeOf } from './protocol.js'

/** Stable codes the widgets map to words. */
export type TokenTagsErrorCode =
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
  | 'TIMEOUT'
  | 'READ_FAILED'
  | 'UNSUPPORTED_MINT'
  | 'ABORTED'
  | 'UNKNOWN'

export interface TokenTagsErrorOptions {
  details?: string | undefined
  docsPath?: string | undefined
  cause?: unknown
}

/** Base of every error core throws: a stable `code`, a short message, details, a docs path and the cause. */
export class TokenTagsError extends Error {
  override name = 'TokenTagsError'
  readonly code: TokenTagsErrorCode
  readonly shortMessage: string
  readonly details: string | undefined
  readonly docsPath: string | undefined

  constructor(code: TokenTagsErrorCode, shortMessage: string, options: TokenTagsErrorOptions = {}) {
    const short = redactUrls(shortMessage)
    const details = options.details === undefined ? undefined : redactUrls(options.details)
    const message = [
      short,
      ...(details ? ['', `Details: ${details}`] : []),
      ...(options.docsPath ? [`Docs: ${options.docsPath}`] : []),
    ].join('\n')
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.shortMessage = short
    this.details = details
    this.docsPath = options.docsPath
  }
}

/** A parameter or a client config value is missing or malformed. */
export class InvalidParameterError extends TokenTagsError {
  override name = 'InvalidParameterError'
  constructor(shortMessage: string, options: TokenTagsErrorOptions = {}) {
    super('INVALID_PARAMETER', shortMessage, { docsPath: '/core/errors#invalid-parameter', ...options })
  }
}

/** No wallet with that id was discovered or configured. */
export class NoWalletError extends TokenTagsError {
  override name = 'NoWalletError'
  readonly walletId: string | undefined
  constructor({ walletId, ...options }: TokenTagsErrorOptions & { walletId?: string | undefined } = {}) {
    super('NO_WALLET', walletId ? `No wallet "${walletId}" is available.` : 'No wallet is available.', {
      docsPath: '/core/errors#no-wallet',
      ...options,
    })
    this.walletId = walletId
  }
}

/** The action needs a connected wallet. */
export class WalletNotConnectedError extends TokenTagsError {
  override name = 'WalletNotConnectedError'
  constructor(options: TokenTagsErrorOptions = {}) {
    super('WALLET_NOT_CONNECTED', 'Connect a wallet first.', {
      docsPath: '/core/errors#wallet-not-connected',
      ...options,
    })
  }
}

/** The user declined the request in the wallet (EIP-1193 code 4001). */
export class UserRejectedError extends TokenTagsError {
  override name = 'UserRejectedError'
  constructor(options: TokenTagsErrorOptions = {}) {
    super('USER_REJECTED', 'The request was rejected in the wallet.', {
      docsPath: '/core/errors#user-rejected',
      ...options,
    })
  }
}

/** The wallet is on another chain than the action needs; offer `switchChain`. */
export class WrongChainError extends TokenTagsError {
  override name = 'WrongChainError'
  readonly expectedChainId: number
  readonly actualChainId: number | undefined
  constructor({
    expectedChainId,
    actualChainId,
    ...options
  }: TokenTagsErrorOptions & { expectedChainId: number; actualChainId?: number | undefined }) {
    super('WRONG_CHAIN', `The wallet is on chain ${actualChainId ?? 'unknown'}, this needs chain ${expectedChainId}.`, {
      docsPath: '/core/errors#wrong-chain',
      ...options,
    })
    this.expectedChainId = expectedChainId
    this.actualChainId = actualChainId
  }
}

/** The wallet refused or failed to switch chains (other than a plain user rejection). */
export class ChainSwitchError extends TokenTagsError {
  override name = 'ChainSwitchError'
  readonly chainId: number
  constructor({ chainId, ...options }: TokenTagsErrorOptions & { chainId: number }) {
    super('CHAIN_SWITCH_FAILED', `The wallet did not switch to chain ${chainId}.`, {
      docsPath: '/core/errors#chain-switch-failed',
      ...options,
    })
    this.chainId = chainId
  }
}

/** The relay could not be reached, or answered 5xx. */
export class RelayUnreachableError extends TokenTagsError {
  override name = 'RelayUnreachableError'
  readonly url: string
  readonly status: number | undefined
  constructor({ url, status, ...options }: TokenTagsErrorOptions & { url: string; status?: number | undefined }) {
    super('RELAY_UNREACHABLE', 'The relay is unreachable.', {
      details: status ? `${url} answered HTTP ${status}` : url,
      docsPath: '/core/errors#relay-unreachable',
      ...options,
    })
    this.url = redactUrls(url)
    this.status = status
  }
  /** Set in `auto` mode when paying the gas from the wallet could do the action instead (see {@link WalletFallback}). */
  walletFallback: WalletFallback | undefined
}

/**
 * The relay does not accept requests from this page's origin: a 403 `ORIGIN_NOT_ALLOWED`, or, in a browser, a CORS
 * refusal (a fetch TypeError while the relay answers a credential-less `no-cors` probe). The site owner has to add
 * the origin to the site key's `origins` in the relay's configuration.
 */
export class RelayOriginNotAllowedError extends TokenTagsError {
  override name = 'RelayOriginNotAllowedError'
  readonly relayCode = 'ORIGIN_NOT_ALLOWED'
  /** The page's origin, when known. */
  readonly origin: string | undefined
  walletFallback: WalletFallback | undefined
  constructor({ origin, ...options }: TokenTagsErrorOptions & { origin?: string | undefined } = {}) {
    super(
      'RELAY_ORIGIN_NOT_ALLOWED',
      origin
        ? `The relay does not accept requests from ${origin}.`
        : 'The relay does not accept requests from this page.',
      {
        details: `Add ${origin ?? "the page's origin"} to the origins of this site key in the relay's configuration.`,
        docsPath: '/core/errors#relay-origin-not-allowed',
        ...options,
      },
    )
    this.origin = origin
  }
}

/** The relay refused the request (a 4xx or a `rejected` status); `relayCode` is the relay's own code. */
export class RelayRejectedError extends TokenTagsError {
  override name = 'RelayRejectedError'
  readonly relayCode: string
  readonly status: number | undefined
  constructor({
    relayCode,
    relayMessage,
    status,
    ...options
  }: TokenTagsErrorOptions & { relayCode: string; relayMessage?: string | undefined; status?: number | undefined }) {
    super('RELAY_REJECTED', `The relay rejected the request (${relayCode}).`, {
      details: relayMessage,
      docsPath: '/core/errors#relay-rejected',
      ...options,
    })
    this.relayCode = relayCode
    this.status = status
  }
  walletFallback: WalletFallback | undefined
}

/** The transaction reverted, failed on chain, or could not be sent. */
export class TransactionFailedError extends TokenTagsError {
  override name = 'TransactionFailedError'
  readonly txHash: `0x${string}` | undefined
  readonly reason: string | undefined
  constructor({
    txHash,
    reason,
    ...options
  }: TokenTagsErrorOptions & { txHash?: `0x${string}` | undefined; reason?: string | undefined } = {}) {
    super('TRANSACTION_FAILED', reason ? `The transaction failed: ${reason}.` : 'The transaction failed.', {
      docsPath: '/core/errors#transaction-failed',
      ...options,
    })
    this.txHash = txHash
    this.reason = reason
  }
}

/** The schedules have nothing claimable right now. */
export class NothingToClaimError extends TokenTagsError {
  override name = 'NothingToClaimError'
  constructor(options: TokenTagsErrorOptions = {}) {
    super('NOTHING_TO_CLAIM', 'Nothing is claimable yet.', { docsPath: '/core/errors#nothing-to-claim', ...options })
  }
}

/** The buy would receive less than its `minOut` (the price moved since the quote). */
export class SlippageError extends TokenTagsError {
  override name = 'SlippageError'
  readonly amountOut: bigint | undefined
  readonly minOut: bigint | undefined
  constructor({
    amountOut,
    minOut,
    ...options
  }: TokenTagsErrorOptions & { amountOut?: bigint | undefined; minOut?: bigint | undefined } = {}) {
    super('SLIPPAGE', 'The price changed: the buy would receive less than the minimum.', {
      details: amountOut !== undefined && minOut !== undefined ? `${amountOut} < minimum ${minOut}` : undefined,
      docsPath: '/core/errors#slippage',
      ...options,
    })
    this.amountOut = amountOut
    this.minOut = minOut
  }
}

/** The sale is not open now: not started, ended or paused. */
export class SaleNotOpenError extends TokenTagsError {
  override name = 'SaleNotOpenError'
  constructor(options: TokenTagsErrorOptions = {}) {
    super('SALE_NOT_OPEN', 'The sale is not open.', { docsPath: '/core/errors#sale-not-open', ...options })
  }
}

/** The buy exceeds what is left for sale or the buyer's own cap. */
export class SaleCapExceededError extends TokenTagsError {
  override name = 'SaleCapExceededError'
  readonly available: bigint | undefined
  constructor({ available, ...options }: TokenTagsErrorOptions & { available?: bigint | undefined } = {}) {
    super('SALE_CAP_EXCEEDED', 'The buy is over the cap.', {
      details: available === undefined ? undefined : `at most ${available} more`,
      docsPath: '/core/errors#sale-cap-exceeded',
      ...options,
    })
    this.available = available
  }
}

/** `gasless: "always"` but this token or action cannot go through the relay (no forwarder, permit or EIP-3009 path). */
export class GaslessUnsupportedError extends TokenTagsError {
  override name = 'GaslessUnsupportedError'
  constructor(options: TokenTagsErrorOptions = {}) {
    super('GASLESS_UNSUPPORTED', 'This cannot be done gaslessly.', {
      docsPath: '/core/errors#gasless-unsupported',
      ...options,
    })
  }
  walletFallback: WalletFallback | undefined
}

/** Waiting for a result took longer than allowed. */
export class TimeoutError extends TokenTagsError {
  override name = 'TimeoutError'
  constructor(options: TokenTagsErrorOptions & { timeoutMs?: number } = {}) {
    super('TIMEOUT', options.timeoutMs ? `No result within ${Math.round(options.timeoutMs / 1000)} s.` : 'Timed out.', {
      docsPath: '/core/errors#timeout',
      ...options,
    })
  }
}

/** A chain read failed: the RPC is down, or the address is not the expected contract. */
export class ReadFailedError extends TokenTagsError {
  override name = 'ReadFailedError'
  constructor(shortMessage: string, options: TokenTagsErrorOptions = {}) {
    super('READ_FAILED', shortMessage, { docsPath: '/core/errors#read-failed', ...options })
  }
}

/**
 * A Token-2022 mint with an extension a tip cannot go through as the visitor means it: a transfer fee or a transfer
 * hook (the recipient would get less, or another program would run on the visitor's signature), a permanent
 * delegate, or amounts that scale. The page must name another token.
 */
export class UnsupportedMintError extends TokenTagsError {
  override name = 'UnsupportedMintError'
  readonly mint: string
  /** The refused extensions' names (`TransferHook`, `TransferFeeConfig`, …). */
  readonly extensions: readonly string[]
  constructor({
    mint,
    extensions,
    ...options
  }: TokenTagsErrorOptions & { mint: string; extensions: readonly string[] }) {
    super('UNSUPPORTED_MINT', `Tips in ${mint} are not supported: the mint has ${extensions.join(', ')}.`, {
      docsPath: '/core/errors#unsupported-mint',
      ...options,
    })
    this.mint = mint
    this.extensions = extensions
  }
}

/** What a contract address was expected to be. */
export type ContractKind = 'vesting-vault' | 'token' | 'sale'

/**
 * The address is not the contract its parameter names: no code there (an account, or another chain), or a contract
 * without the expected interface (e.g. a token given as the vault). Retrying cannot help; the page must change.
 */
export class WrongContractError extends TokenTagsError {
  override name = 'WrongContractError'
  readonly address: `0x${string}`
  readonly chainId: number
  readonly expected: ContractKind
  /** `no-code`: nothing is deployed there; `other-contract`: a contract that does not answer as expected. */
  readonly found: 'no-code' | 'other-contract'
  constructor({
    address,
    chainId,
    expected,
    found,
    ...options
  }: TokenTagsErrorOptions & {
    address: `0x${string}`
    chainId: number
    expected: ContractKind
    found: 'no-code' | 'other-contract'
  }) {
    super('WRONG_CONTRACT', `${address} is not a ${expected.replace('-', ' ')} on chain ${chainId}.`, {
      details: found === 'no-code' ? 'No contract is deployed at that address.' : `That contract is not a ${expected}.`,
      docsPath: '/core/errors#wrong-contract',
      ...options,
    })
    this.address = address
    this.chainId = chainId
    this.expected = expected
    this.found = found
  }
}

/**
 * Paying the gas from the visitor's wallet instead of the relay: offered, never taken, when the relay cannot take a
 * request in `auto` mode. All amounts in wei of the chain's native coin.
 */
export interface WalletFallback {
  /** Estimated gas of the wallet transaction(s). */
  gas: bigint
  /** The gas price the visitor's wallet reports for the chain now. */
  gasPrice: bigint
  /** `gas × gasPrice`. */
  cost: bigint
  /** The account's native balance. */
  balance: bigint
  /** Whether `balance` covers `cost` (and the value the transaction carries, if any). */
  affordable: boolean
}

/**
 * Why the relay could not take a request:
 * - `unreachable`: network error or 5xx;
 * - `origin-not-allowed`: the relay does not list this page's origin (a site owner's setting);
 * - `budget`: the site's gas budget or the visitor's quota is spent (`BUDGET_EXCEEDED`, `QUOTA_EXCEEDED`);
 * - `rate-limited`: `RATE_LIMITED`;
 * - `site`: the site key is unknown, paused or unauthorized;
 * - `policy`: the site's rules do not sponsor this call (target, selector, calldata, argument, value, gas cap) or
 *   this chain;
 * - `unsupported`: the token has no gasless path;
 * - `request`: the request itself is wrong (signature, nonce, expiry, a simulation that reverts): paying the gas
 *   would not help.
 * Each relay code's kind is its group in `RELAY_ERROR_CODES` (`@tokentags/core/protocol`).
 */
export type RelayFailureKind =
  | 'unreachable'
  | 'origin-not-allowed'
  | 'budget'
  | 'rate-limited'
  | 'site'
  | 'policy'
  | 'unsupported'
  | 'request'

export interface RelayFailure {
  kind: RelayFailureKind
  /** The relay's own code for a refusal (e.g. `BUDGET_EXCEEDED`). */
  relayCode: string | undefined
  /** Whether a wallet transaction could do what the relay could not (every kind but `request`). */
  walletCanDoIt: boolean
  /** Set by the action in `auto` mode: the cost of paying the gas from the wallet. */
  walletFallback: WalletFallback | undefined
}

/** The groups of the relay's 4xx codes that a wallet transaction can get past (a 5xx never reaches the table). */
type WalletCanPayGroup = 'budget' | 'rate-limited' | 'site' | 'policy'

/**
 * Every code of those groups, each with its group as its kind (tsc refuses a missing code or another kind), and
 * core's own `CHAIN_NOT_SUPPORTED` (the relay has no config for the chain). Any other 4xx is kind `request`.
 */
const REFUSAL_KINDS: { readonly [G in WalletCanPayGroup as RelayErrorCodeOf<G>]: G } & {
  readonly CHAIN_NOT_SUPPORTED: 'policy'
} = {
  BUDGET_EXCEEDED: 'budget',
  QUOTA_EXCEEDED: 'budget',
  RATE_LIMITED: 'rate-limited',
  UNKNOWN_SITE: 'site',
  SITE_PAUSED: 'site',
  UNAUTHORIZED: 'site',
  TARGET_NOT_ALLOWED: 'policy',
  SELECTOR_NOT_ALLOWED: 'policy',
  CALLDATA_NOT_ALLOWED: 'policy',
  ARGUMENT_NOT_ALLOWED: 'policy',
  VALUE_NOT_ALLOWED: 'policy',
  GAS_TOO_HIGH: 'policy',
  CHAIN_NOT_SUPPORTED: 'policy',
  WRONG_CHAIN: 'policy',
}

/** Classifies an error of a write action: why the relay could not take the request, or undefined if not the relay. */
export function relayFailure(error: unknown): RelayFailure | undefined {
  let kind: RelayFailureKind
  let relayCode: string | undefined
  if (error instanceof RelayUnreachableError) kind = 'unreachable'
  else if (error instanceof RelayOriginNotAllowedError) {
    kind = 'origin-not-allowed'
    relayCode = error.relayCode
  } else if (error instanceof GaslessUnsupportedError) kind = 'unsupported'
  else if (error instanceof RelayRejectedError) {
    relayCode = error.relayCode
    kind = (REFUSAL_KINDS as Readonly<Record<string, RelayFailureKind | undefined>>)[relayCode] ?? 'request'
  } else return undefined
  return { kind, relayCode, walletCanDoIt: kind !== 'request', walletFallback: error.walletFallback }
}

/** The caller aborted through its AbortSignal. A request already sent to the relay or chain may still land. */
export class AbortedError extends TokenTagsError {
  override name = 'AbortedError'
  constructor(options: TokenTagsErrorOptions = {}) {
    super('ABORTED', 'The action was aborted.', { docsPath: '/core/errors#aborted', ...options })
  }
}

/** Anything core could not classify; `cause` has the original. */
export class UnknownError extends TokenTagsError {
  override name = 'UnknownError'
  constructor(options: TokenTagsErrorOptions = {}) {
    super('UNKNOWN', 'Something went wrong.', { docsPath: '/core/errors#unknown', ...options })
  }
}

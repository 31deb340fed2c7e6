/** How a transaction reached the chain: through the gasless relay or sent by the wallet. */
export type Via = 'relay' | 'wallet'

export interface TokenStatusDetail {
  /** The widget's new state, e.g. `claimable`, `signing`, `pending`, `success`, `error`. */
  status: string
}

export interface TokenSuccessDetail {
  /** The transaction: a `0x…` hash on EVM chains, the base58 signature for Solana tips. */
  txHash: string
  /** Solana tips: the base58 transaction signature. */
  signature?: string
  /** Amount in the token's smallest unit. */
  amount: bigint
  via: Via
}

export interface TokenErrorDetail {
  /** Stable SCREAMING_SNAKE code, e.g. `INVALID_ATTRIBUTE`, `USER_REJECTED`. */
  code: string
  /** Readable English sentence shown in the widget. */
  message: string
}

const init = { bubbles: true, composed: true } as const

/** Fired whenever a widget changes state. */
export class TokenStatusEvent extends CustomEvent<TokenStatusDetail> {
  static readonly eventName = 'token-status'
  constructor(detail: TokenStatusDetail) {
    super(TokenStatusEvent.eventName, { ...init, detail })
  }
}

/** Fired once a widget's transaction is confirmed. */
export class TokenSuccessEvent extends CustomEvent<TokenSuccessDetail> {
  static readonly eventName = 'token-success'
  constructor(detail: TokenSuccessDetail) {
    super(TokenSuccessEvent.eventName, { ...init, detail })
  }
}

/** Fired when a widget shows an error. */
export class TokenErrorEvent extends CustomEvent<TokenErrorDetail> {
  static readonly eventName = 'token-error'
  constructor(detail: TokenErrorDetail) {
    super(TokenErrorEvent.eventName, { ...init, detail })
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'token-status': TokenStatusEvent
    'token-success': TokenSuccessEvent
    'token-error': TokenErrorEvent
  }
}

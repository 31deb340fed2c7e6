import type { Via } from '../events.js'
import type { FallbackMode, GaslessMode } from '../internal/config.js'
import type { GaslessErrorState } from '../internal/gasless-fallback.js'
import type { Address, SessionState } from '../internal/wallet-session.js'
import type { SpendBalance } from '../token-tip/tip-state.js'

export type Hash = `0x${string}`

export interface BuyTokenView {
  symbol: string
  decimals: number
}

/** A sale as `<token-buy>` shows it (amounts in base units; times in unix seconds). */
export interface SaleView {
  saleToken: BuyTokenView
  /** What the visitor pays with; `native` for the chain's coin (a wallet transaction, the visitor pays gas). */
  payment: BuyTokenView & { native: boolean }
  /** Payment base units per `priceUnit` sale base units. */
  price: bigint
  priceUnit: bigint
  start: number
  end: number
  totalCap: bigint
  perBuyerCap: bigint
  sold: bigint
  remaining: bigint
  /** The visitor's own purchases and what they can still buy (sale tokens). */
  purchased: bigint
  available: bigint
  /**
   * Read without the visitor's account (no wallet connected yet): `purchased` is 0 and `available` the limit per
   * buyer, not this visitor's own.
   */
  guest?: boolean
  /** Whether the buy goes through the gasless relay. */
  gasless: boolean
  /** The visitor's balance of the payment token, when read: payments above `spendable` are refused before signing. */
  balance?: SpendBalance
}

/** A quote of what a payment buys, through the sale's `quote` view. */
export interface QuoteView {
  amountIn: bigint
  amountOut: bigint
  /** The least the buy accepts (the quote less the slippage allowance). */
  minOut: bigint
}

/**
 * Everything `<token-buy>` can draw. `not-started`, `ended`, `sold-out` and `over-cap` (the visitor's own cap is
 * used up) are states with their own words, not errors.
 */
export type BuyState =
  /** Before a wallet is connected, `facts`: the sale as read through the page's RPC (`guest`). */
  | (SessionState & { facts?: SaleView })
  /** The relay could not take the buy: why, and what paying the gas from the wallet would cost. */
  | GaslessErrorState
  | { status: 'not-started'; sale: SaleView }
  | { status: 'ended'; sale: SaleView }
  | { status: 'sold-out'; sale: SaleView }
  | { status: 'over-cap'; sale: SaleView }
  | { status: 'paused'; sale: SaleView }
  | { status: 'ready'; sale: SaleView; quote?: QuoteView; quoting?: boolean }
  | { status: 'signing'; sale: SaleView; quote: QuoteView }
  | { status: 'pending'; phase: 'queued' | 'submitted'; via: Via; txHash?: Hash; explorerUrl?: string }
  | {
      status: 'success'
      amount: bigint
      token: BuyTokenView
      paid: bigint
      paidToken: BuyTokenView
      txHash: Hash
      via: Via
      explorerUrl?: string
    }

export type BuyStatus = BuyState['status']

export interface BuyTarget {
  sale: Address
  chainId: number
  gasless?: GaslessMode
  /** From the `fallback` attribute; absent means the page's default (`<tokentags-config fallback>`, else `wallet`). */
  fallback?: FallbackMode
  /** Slippage allowance of the minimum-out, in basis points (default 50 = 0.5%). */
  slippageBps?: number
}

/** The seam between `<token-buy>` and the code that talks to wallets and chains. */
export interface BuyController {
  readonly state: BuyState
  subscribe(listener: (state: BuyState) => void): () => void
  start(target: BuyTarget): void
  stop(): void
  chooseWallet(walletId: string): void
  switchChain(): void
  /** Quotes a payment of `amountIn` base units (debounced; `0n` clears the quote). */
  quote(amountIn: bigint): void
  /** Buys with the current quote. */
  buy(): void
  /** The visitor's explicit choice after the relay could not take the buy: send it from the wallet, paying gas. */
  payGas?(): void
  retry(): void
}

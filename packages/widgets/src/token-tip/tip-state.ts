import type { TemplateResult } from 'lit'
import type { Via } from '../events.js'
import type { FallbackMode, GaslessMode } from '../internal/config.js'
import type { WalletLink } from '../internal/deep-links.js'
import type { GaslessErrorState } from '../internal/gasless-fallback.js'
import type { Address, SessionState, SessionWallet } from '../internal/wallet-session.js'

export type Hash = `0x${string}`

/** The token a tip is paid in, as the widget shows it. */
export interface TipToken {
  /** `native` for the chain's coin (or SOL), else the ERC-20 address or `sol:<mint>`. */
  address: string
  symbol: string
  decimals: number
}

/** What the ready state offers. */
export interface TipOffer {
  token: TipToken
  /** The recipient, as given in `to`. */
  recipient: string
  /** Preset amounts in base units, in the order of the `amounts` attribute. */
  presets: bigint[]
  /** Whether the tip goes through the gasless relay (false: the visitor pays gas). */
  gasless: boolean
  /** Paid from any phone wallet through an EIP-681 QR code (the payer's wallet pays the network fee). */
  qr?: boolean
  /** The visitor's balance of the token, when read: amounts above `spendable` are refused before any signature. */
  balance?: SpendBalance
}

/** What the visitor holds of what they spend, in base units. */
export interface SpendBalance {
  value: bigint
  /** Native coin kept back for the network fee the visitor pays (0 when the relay pays it). */
  reserve: bigint
  /** The most an amount may be (`value - reserve`): what Max fills in. */
  spendable: bigint
}

/**
 * Everything `<token-tip>` can draw. The element renders a state and nothing else, so any state can be seeded in
 * tests and stories (see `TipHarness` in `@tokentags/widgets/testing`).
 */
export type TipState =
  | SessionState
  /** The relay could not take the tip: why, and what paying the gas from the wallet would cost. */
  | GaslessErrorState
  /** A Solana tip without a wallet on the page, whose relay serves Solana Pay: "Pay from any phone wallet". */
  | { status: 'no-wallet'; links?: WalletLink[]; solanaPay: true }
  /** The same with WalletConnect as the only wallet (the page has a project id). */
  | { status: 'choose-wallet'; wallets: SessionWallet[]; solanaPay: true }
  | { status: 'unavailable'; reason: string }
  | { status: 'ready'; offer: TipOffer }
  | { status: 'signing'; offer: TipOffer; amount: bigint }
  | {
      status: 'qr'
      offer: TipOffer
      amount: bigint
      /** The EIP-681 payment request the code holds. */
      uri: string
      /** Draws `uri` as a QR code (the on-demand QR encoder's `renderQr`). */
      renderQr: (text: string, label: string) => TemplateResult
    }
  | { status: 'pending'; phase: 'queued' | 'submitted'; via: Via; txHash?: Hash | string; explorerUrl?: string }
  | {
      status: 'success'
      amount: bigint
      token: TipToken
      recipient: string
      /** `0x…` hash, or the base58 signature of a Solana tip. */
      txHash: string
      /** Solana tips: the base58 transaction signature. */
      signature?: string
      via: Via
      explorerUrl?: string
    }

export type TipStatus = TipState['status']

/** What the element asks its controller to work on: the parsed attributes. */
export interface TipTarget {
  /** `0x…` (EVM) or `sol:<base58>` (Solana). */
  to: string
  /** `native`, an ERC-20 address, or `sol:<mint>`. */
  token: 'native' | Address | `sol:${string}`
  /** Whole-token decimal strings from `amounts`, e.g. `["1", "5", "10"]`. */
  amounts: string[]
  /** EVM chain id; 0 for Solana targets. */
  chainId: number
  memo?: string
  /** The TipRouter (needed for memos and for permit / EIP-3009 tokens). */
  router?: Address
  gasless?: GaslessMode
  /** From the `fallback` attribute; absent means the page's default (`<tokentags-config fallback>`, else `wallet`). */
  fallback?: FallbackMode
}

/**
 * The seam between `<token-tip>` and the code that talks to wallets and chains. The default controller uses
 * `@tokentags/core`; tests and stories pass their own.
 */
export interface TipController {
  readonly state: TipState
  subscribe(listener: (state: TipState) => void): () => void
  start(target: TipTarget): void
  stop(): void
  chooseWallet(walletId: string): void
  switchChain(): void
  /** Sends a tip of `amount` base units of the offer's token (or, for a QR offer, shows its code). */
  tip(amount: bigint): void
  /** The visitor's explicit choice after the relay could not take the tip: send it from the wallet, paying gas. */
  payGas?(): void
  /**
   * Offers paying from any phone wallet by a QR code (no wallet on the page needed): EIP-681 for EVM tips, Solana Pay
   * through the relay for Solana tips.
   */
  payByQr?(): void
  /** Tries again; from a QR state, goes back one step. */
  retry(): void
}

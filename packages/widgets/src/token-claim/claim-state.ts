import type { Via } from '../events.js'
import type { FallbackMode, GaslessMode } from '../internal/config.js'
import type { WalletLink } from '../internal/deep-links.js'
import type { GaslessProblem } from '../internal/gasless-fallback.js'
import type { WriteOutcome } from '../internal/wallet-session.js'
import type { PairingState } from '../internal/walletconnect-pairing.js'

export type Address = `0x${string}`
export type Hash = `0x${string}`

/** A token as the widget shows it. */
export interface ClaimToken {
  address: Address
  symbol: string
  decimals: number
}

/** A wallet found through EIP-6963. */
export interface ClaimWallet {
  id: string
  name: string
  /** A data: or https: image URL. */
  icon?: string
}

/** The connected account's vesting in one vault, in the token's smallest unit. */
export interface ClaimSummary {
  token: ClaimToken
  total: bigint
  vested: bigint
  released: bigint
  claimable: bigint
  nextUnlock?: { timestamp: number; amount: bigint }
  /** Whether a claim will go through the gasless relay. */
  gasless?: boolean
}

/**
 * "Check an address" without a wallet: what an address the visitor typed has vested, claimed and can claim now,
 * read through the page's RPC (claiming it still needs that address's wallet).
 */
export type AddressLookup =
  | { status: 'checking'; address: Address }
  | { status: 'found'; address: Address; summary: ClaimSummary }
  | { status: 'failed'; address: Address; code: string; message: string }

/**
 * Everything `<token-claim>` can draw. The element renders a state and nothing
 * else, so any state can be seeded in tests and stories (see `ClaimHarness`).
 */
export type ClaimState =
  | { status: 'loading' }
  /** `links`: on a phone, the wallet apps that can reopen the page (deep links). */
  | { status: 'no-wallet'; links?: WalletLink[]; lookup?: AddressLookup }
  | { status: 'choose-wallet'; wallets: ClaimWallet[]; lookup?: AddressLookup }
  | { status: 'wrong-network'; chainId: number; chainName: string }
  /** A WalletConnect pairing: its QR code (desktop) or wallet-app links (phone), and a cancel button. */
  | PairingState
  | { status: 'nothing-to-claim'; summary: ClaimSummary }
  | { status: 'claimable'; summary: ClaimSummary }
  | { status: 'signing'; summary: ClaimSummary }
  | { status: 'pending'; phase: 'queued' | 'submitted'; via: Via; txHash?: Hash; explorerUrl?: string }
  | { status: 'success'; amount: bigint; token: ClaimToken; txHash: Hash; via: Via; explorerUrl?: string }
  /**
   * `gasless`: the relay could not take the claim; why, and what paying the gas from the wallet would cost. After a
   * claim that failed: who paid (`paid`, `txHash`).
   */
  | ({ status: 'error'; code: string; message: string; retryable: boolean; gasless?: GaslessProblem } & WriteOutcome)

export type ClaimStatus = ClaimState['status']

/** What the element asks its controller to work on. */
export interface ClaimTarget {
  vault: Address
  chainId: number
  /** From the `gasless` attribute; absent means the page's default (`<tokentags-config gasless>`). */
  gasless?: GaslessMode
  /** From the `fallback` attribute; absent means the page's default (`<tokentags-config fallback>`, else `wallet`). */
  fallback?: FallbackMode
}

/**
 * The seam between `<token-claim>` and the code that talks to wallets and chains.
 * The default controller uses `@tokentags/core`; tests and stories pass their own.
 */
export interface ClaimController {
  readonly state: ClaimState
  /** Calls `listener` on every state change; returns the unsubscribe function. */
  subscribe(listener: (state: ClaimState) => void): () => void
  /** Starts (or restarts) work on a vault; called again when attributes change. */
  start(target: ClaimTarget): void
  /** Stops listening to wallets and aborts pending work; the element is gone. */
  stop(): void
  chooseWallet(walletId: string): void
  switchChain(): void
  claim(): void
  /** Reads what `address` has vested, claimed and can claim now, without a wallet (`lookup` of the wallet states). */
  lookup?(address: Address): void
  /** The visitor's explicit choice after the relay could not take the claim: send it from the wallet, paying gas. */
  payGas?(): void
  /** Re-reads after an error or "nothing to claim", or looks for wallets again. */
  retry(): void
}

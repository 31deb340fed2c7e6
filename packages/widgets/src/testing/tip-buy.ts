// Harnesses and sample states for <token-tip> and <token-buy> (see index.ts for the pattern).
import { walletLinks } from '../internal/deep-links.js'
import { messageFor } from '../internal/messages.js'
import { renderQr } from '../internal/qr.js'
import type { SessionWallet } from '../internal/wallet-session.js'
import type { BuyController, BuyState, BuyTarget, QuoteView, SaleView } from '../token-buy/buy-state.js'
import type { Hash, TipController, TipOffer, TipState, TipTarget } from '../token-tip/tip-state.js'

/** What `<token-tip>` asked its controller to do. */
export type TipAction =
  | { type: 'start'; target: TipTarget }
  | { type: 'stop' }
  | { type: 'chooseWallet'; walletId: string }
  | { type: 'switchChain' }
  | { type: 'tip'; amount: bigint }
  | { type: 'payByQr' }
  | { type: 'retry' }

/** What `<token-buy>` asked its controller to do. */
export type BuyAction =
  | { type: 'start'; target: BuyTarget }
  | { type: 'stop' }
  | { type: 'chooseWallet'; walletId: string }
  | { type: 'switchChain' }
  | { type: 'quote'; amountIn: bigint }
  | { type: 'buy' }
  | { type: 'retry' }

class Harness<S, A extends { type: string }, T> {
  state: S
  readonly actions: A[] = []
  target: T | undefined
  onAction: ((action: A, harness: this) => void) | undefined
  #listeners = new Set<(state: S) => void>()

  constructor(initial: S, options: { onAction?: (action: A, harness: Harness<S, A, T>) => void } = {}) {
    this.state = initial
    this.onAction = options.onAction
  }

  /** Draws `state` in every element using this harness. */
  setState(state: S): void {
    this.state = state
    for (const listener of [...this.#listeners]) listener(state)
  }

  actionsOf<K extends A['type']>(type: K): Extract<A, { type: K }>[] {
    return this.actions.filter((a): a is Extract<A, { type: K }> => a.type === type)
  }

  subscribe(listener: (state: S) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  protected record(action: A): void {
    this.actions.push(action)
    this.onAction?.(action, this)
  }
}

/** A `TipController` that draws whatever state it is given and records what the widget asks. */
export class TipHarness extends Harness<TipState, TipAction, TipTarget> implements TipController {
  constructor(
    initial: TipState = tipStates.loading(),
    options: { onAction?: (a: TipAction, h: TipHarness) => void } = {},
  ) {
    super(initial, options as never)
  }
  start(target: TipTarget): void {
    this.target = target
    this.record({ type: 'start', target })
  }
  stop(): void {
    this.record({ type: 'stop' })
  }
  chooseWallet(walletId: string): void {
    this.record({ type: 'chooseWallet', walletId })
  }
  switchChain(): void {
    this.record({ type: 'switchChain' })
  }
  tip(amount: bigint): void {
    this.record({ type: 'tip', amount })
  }
  payByQr(): void {
    this.record({ type: 'payByQr' })
  }
  retry(): void {
    this.record({ type: 'retry' })
  }
}

/** A `BuyController` that draws whatever state it is given and records what the widget asks. */
export class BuyHarness extends Harness<BuyState, BuyAction, BuyTarget> implements BuyController {
  constructor(
    initial: BuyState = buyStates.loading(),
    options: { onAction?: (a: BuyAction, h: BuyHarness) => void } = {},
  ) {
    super(initial, options as never)
  }
  start(target: BuyTarget): void {
    this.target = target
    this.record({ type: 'start', target })
  }
  stop(): void {
    this.record({ type: 'stop' })
  }
  chooseWallet(walletId: string): void {
    this.record({ type: 'chooseWallet', walletId })
  }
  switchChain(): void {
    this.record({ type: 'switchChain' })
  }
  quote(amountIn: bigint): void {
    this.record({ type: 'quote', amountIn })
  }
  buy(): void {
    this.record({ type: 'buy' })
  }
  retry(): void {
    this.record({ type: 'retry' })
  }
}

export const SAMPLE_CREATOR = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
export const SAMPLE_USDC = '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913'
export const SAMPLE_SALE = '0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0'
const SAMPLE_HASH: Hash = '0x9f1c3a7e52b0d4c6a8e1f3b5d7092c4e6a8b0d2f4163857a9cbedf0123456789'
const DEV_ICON =
  'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"%3E%3Crect width="24" height="24" rx="6" fill="%234f46e5"/%3E%3C/svg%3E'
const WALLETS: SessionWallet[] = [
  { id: 'dev.tokentags.wallet', name: 'TokenTags Dev Wallet (dev only)', icon: DEV_ICON },
  { id: 'com.example.wallet', name: 'Example Wallet' },
]
const usdc = 10n ** 6n
const tag = 10n ** 18n
/** A Solana recipient and an SPL mint (6 decimals) for `sol:` tip samples. */
export const SAMPLE_SOLANA_CREATOR = 'sol:9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin'
export const SAMPLE_SOLANA_MINT = 'sol:EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v'
const SAMPLE_SIGNATURE = '5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW'
const SOLANA_WALLETS: SessionWallet[] = [
  { id: 'TokenTags Dev Solana Wallet (dev only)', name: 'TokenTags Dev Solana Wallet (dev only)', icon: DEV_ICON },
  { id: 'Example Solana Wallet', name: 'Example Solana Wallet' },
]
const lamports = 10n ** 9n

/** 0.1, 0.5 and 1 SOL to the sample Solana creator, the fee paid by the relay. */
function sampleSolanaOffer(overrides: Partial<TipOffer> = {}): TipOffer {
  return {
    token: { address: 'native', symbol: 'SOL', decimals: 9 },
    recipient: SAMPLE_SOLANA_CREATOR,
    presets: [lamports / 10n, lamports / 2n, lamports],
    gasless: true,
    ...overrides,
  }
}

/** 1, 5 and 10 USDC to the sample creator, gasless. */
export function sampleOffer(overrides: Partial<TipOffer> = {}): TipOffer {
  return {
    token: { address: SAMPLE_USDC, symbol: 'USDC', decimals: 6 },
    recipient: SAMPLE_CREATOR,
    presets: [1n * usdc, 5n * usdc, 10n * usdc],
    gasless: true,
    ...overrides,
  }
}

/** One sample of every `<token-tip>` state. */
export const tipStates = {
  loading: (): TipState => ({ status: 'loading' }),
  noWallet: (): TipState => ({ status: 'no-wallet' }),
  /** On a phone: links that reopen `pageUrl` in wallet apps (`solana` for a Solana tip's). */
  noWalletPhone: (pageUrl = 'https://creator.example/tips', network: 'evm' | 'solana' = 'evm'): TipState => ({
    status: 'no-wallet',
    links: walletLinks(network, pageUrl),
  }),
  chooseWallet: (wallets: SessionWallet[] = WALLETS): TipState => ({ status: 'choose-wallet', wallets }),
  wrongNetwork: (chainId = 8453, chainName = 'Base'): TipState => ({ status: 'wrong-network', chainId, chainName }),
  unavailable: (): TipState => ({ status: 'unavailable', reason: 'SOLANA_NOT_AVAILABLE' }),
  ready: (offer: Partial<TipOffer> = {}): TipState => ({ status: 'ready', offer: sampleOffer(offer) }),
  readyNative: (): TipState => ({
    status: 'ready',
    offer: sampleOffer({
      token: { address: 'native', symbol: 'ETH', decimals: 18 },
      presets: [tag / 100n, tag / 10n],
      gasless: false,
    }),
  }),
  /** Paying from any phone wallet: the amounts, then the EIP-681 code of 5 USDC on Base. */
  readyQr: (): TipState => ({ status: 'ready', offer: sampleOffer({ gasless: false, qr: true }) }),
  qr: (amount = 5n * usdc): TipState => ({
    status: 'qr',
    offer: sampleOffer({ gasless: false, qr: true }),
    amount,
    uri: `ethereum:${SAMPLE_USDC}@8453/transfer?address=${SAMPLE_CREATOR}&uint256=${amount}`,
    renderQr,
  }),
  signing: (amount = 5n * usdc): TipState => ({ status: 'signing', offer: sampleOffer(), amount }),
  pending: (phase: 'queued' | 'submitted' = 'queued', via: 'relay' | 'wallet' = 'relay'): TipState => ({
    status: 'pending',
    phase,
    via,
    ...(phase === 'submitted' && { txHash: SAMPLE_HASH, explorerUrl: 'https://basescan.org' }),
  }),
  success: (via: 'relay' | 'wallet' = 'relay'): TipState => ({
    status: 'success',
    amount: 5n * usdc,
    token: { address: SAMPLE_USDC, symbol: 'USDC', decimals: 6 },
    recipient: SAMPLE_CREATOR,
    txHash: SAMPLE_HASH,
    via,
    explorerUrl: 'https://basescan.org',
  }),
  /** The relay refused the tip (its policy does not pay for this token): why, and paying the gas as a choice. */
  relayRefused: (affordable = true): TipState => ({
    status: 'error',
    code: 'RELAY_REJECTED',
    message: 'The gasless service does not pay the gas for this action (TARGET_NOT_ALLOWED).',
    retryable: false,
    gasless: {
      kind: 'policy',
      relayCode: 'TARGET_NOT_ALLOWED',
      pay: { cost: 120_000_000_000_000n, affordable, symbol: 'ETH' },
    },
  }),
  error: (code = 'USER_REJECTED', message = messageFor(code), retryable = true): TipState => ({
    status: 'error',
    code,
    message,
    retryable,
  }),
  /** Solana (`to="sol:…"`): Wallet Standard wallets to pick. */
  solanaChooseWallet: (wallets: SessionWallet[] = SOLANA_WALLETS): TipState => ({ status: 'choose-wallet', wallets }),
  /** Solana: 0.1 / 0.5 / 1 SOL, or an SPL mint's offer with `{ token }`. */
  solanaReady: (offer: Partial<TipOffer> = {}): TipState => ({ status: 'ready', offer: sampleSolanaOffer(offer) }),
  solanaReadySpl: (): TipState => ({
    status: 'ready',
    offer: sampleSolanaOffer({
      token: { address: SAMPLE_SOLANA_MINT, symbol: 'EPjFWd…Dt1v', decimals: 6 },
      presets: [1n * usdc, 5n * usdc],
    }),
  }),
  solanaSigning: (amount = lamports / 2n): TipState => ({ status: 'signing', offer: sampleSolanaOffer(), amount }),
  solanaPending: (phase: 'queued' | 'submitted' = 'submitted'): TipState => ({
    status: 'pending',
    phase,
    via: 'relay',
    ...(phase === 'submitted' && { txHash: SAMPLE_SIGNATURE, explorerUrl: 'https://explorer.solana.com' }),
  }),
  solanaSuccess: (): TipState => ({
    status: 'success',
    amount: lamports / 2n,
    token: { address: 'native', symbol: 'SOL', decimals: 9 },
    recipient: SAMPLE_SOLANA_CREATOR,
    txHash: SAMPLE_SIGNATURE,
    signature: SAMPLE_SIGNATURE,
    via: 'relay',
    explorerUrl: 'https://explorer.solana.com/tx/{signature}?cluster=devnet',
  }),
} as const

/** A sale of TAG for USDC at 0.5 USDC, 40,000 of 100,000 left, 1,000 per buyer, closing 2030-01-01. */
export function sampleSale(overrides: Partial<SaleView> = {}): SaleView {
  return {
    saleToken: { symbol: 'TAG', decimals: 18 },
    payment: { symbol: 'USDC', decimals: 6, native: false },
    price: usdc / 2n,
    priceUnit: tag,
    start: Date.UTC(2025, 0, 1) / 1000,
    end: Date.UTC(2030, 0, 1) / 1000,
    totalCap: 100_000n * tag,
    perBuyerCap: 1_000n * tag,
    sold: 60_000n * tag,
    remaining: 40_000n * tag,
    purchased: 0n,
    available: 1_000n * tag,
    gasless: true,
    ...overrides,
  }
}

/** 10 USDC buys 20 TAG, at least 19.9. */
export function sampleQuote(overrides: Partial<QuoteView> = {}): QuoteView {
  return { amountIn: 10n * usdc, amountOut: 20n * tag, minOut: (199n * tag) / 10n, ...overrides }
}

/** One sample of every `<token-buy>` state. */
export const buyStates = {
  loading: (): BuyState => ({ status: 'loading' }),
  noWallet: (): BuyState => ({ status: 'no-wallet' }),
  chooseWallet: (wallets: SessionWallet[] = WALLETS): BuyState => ({ status: 'choose-wallet', wallets }),
  /** No wallet connected yet: the sale's facts (read through the page's RPC) above the wallets. */
  guest: (sale: Partial<SaleView> = {}, wallets: SessionWallet[] = WALLETS): BuyState => ({
    status: 'choose-wallet',
    wallets,
    facts: sampleSale({ guest: true, gasless: false, ...sale }),
  }),
  wrongNetwork: (chainId = 8453, chainName = 'Base'): BuyState => ({ status: 'wrong-network', chainId, chainName }),
  notStarted: (): BuyState => ({ status: 'not-started', sale: sampleSale({ start: Date.UTC(2029, 5, 1) / 1000 }) }),
  ended: (): BuyState => ({ status: 'ended', sale: sampleSale({ end: Date.UTC(2025, 5, 1) / 1000 }) }),
  soldOut: (): BuyState => ({
    status: 'sold-out',
    sale: sampleSale({ sold: 100_000n * tag, remaining: 0n, available: 0n }),
  }),
  overCap: (): BuyState => ({ status: 'over-cap', sale: sampleSale({ purchased: 1_000n * tag, available: 0n }) }),
  paused: (): BuyState => ({ status: 'paused', sale: sampleSale() }),
  ready: (sale: Partial<SaleView> = {}, quote?: QuoteView): BuyState => ({
    status: 'ready',
    sale: sampleSale(sale),
    ...(quote && { quote }),
  }),
  readyNative: (): BuyState => ({
    status: 'ready',
    sale: sampleSale({ payment: { symbol: 'ETH', decimals: 18, native: true }, price: tag / 1000n, gasless: false }),
  }),
  signing: (): BuyState => ({ status: 'signing', sale: sampleSale(), quote: sampleQuote() }),
  pending: (phase: 'queued' | 'submitted' = 'queued', via: 'relay' | 'wallet' = 'relay'): BuyState => ({
    status: 'pending',
    phase,
    via,
    ...(phase === 'submitted' && { txHash: SAMPLE_HASH, explorerUrl: 'https://basescan.org' }),
  }),
  success: (via: 'relay' | 'wallet' = 'relay'): BuyState => ({
    status: 'success',
    amount: 20n * tag,
    token: { symbol: 'TAG', decimals: 18 },
    paid: 10n * usdc,
    paidToken: { symbol: 'USDC', decimals: 6 },
    txHash: SAMPLE_HASH,
    via,
    explorerUrl: 'https://basescan.org',
  }),
  /**
   * The relay refused the buy (its policy does not pay for this sale): why, and paying the gas from the wallet as the
   * visitor's explicit choice, with its cost.
   */
  relayRefused: (affordable = true): BuyState => ({
    status: 'error',
    code: 'RELAY_REJECTED',
    message: 'The gasless service does not pay the gas for this action (TARGET_NOT_ALLOWED).',
    retryable: false,
    gasless: {
      kind: 'policy',
      relayCode: 'TARGET_NOT_ALLOWED',
      pay: { cost: 120_000_000_000_000n, affordable, symbol: 'ETH' },
    },
  }),
  /**
   * A buy that did not complete, saying who paid: `nobody` (nothing was sent), or `wallet` / `relay` with the failed
   * transaction; `partial` when an approval went through first.
   */
  failed: (code = 'TRANSACTION_FAILED', paid: 'nobody' | 'relay' | 'wallet' = 'wallet', partial = false): BuyState => ({
    status: 'error',
    code,
    message: messageFor(code),
    retryable: true,
    paid,
    ...(paid !== 'nobody' && { txHash: SAMPLE_HASH, explorerUrl: 'https://basescan.org' }),
    ...(partial && { partial }),
  }),
  error: (code = 'SLIPPAGE', message = messageFor(code), retryable = true): BuyState => ({
    status: 'error',
    code,
    message,
    retryable,
  }),
} as const

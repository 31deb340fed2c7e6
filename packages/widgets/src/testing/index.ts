/**
 * Test and story helpers for TokenTags widgets. Nothing here touches a wallet or a
 * chain: a harness stands in for the widget's controller, so any state can be drawn.
 *
 * ```ts
 * import '@tokentags/widgets/define'
 * import { ClaimHarness, claimStates } from '@tokentags/widgets/testing'
 *
 * const harness = new ClaimHarness(claimStates.claimable())
 * const el = document.createElement('token-claim')
 * el.setAttribute('vault', SAMPLE_VAULT)
 * el.setAttribute('chain', '8453')
 * el.controller = harness
 * document.body.append(el)
 * el.shadowRoot.querySelector('[part~=action]').click()
 * harness.actions // [{ type: 'start', … }, { type: 'claim' }]
 * harness.setState(claimStates.success())
 * ```
 */
export { resetPageConfig } from '../internal/config.js'

import { walletLinks } from '../internal/deep-links.js'
import { messageFor } from '../internal/messages.js'
import type {
  Address,
  AddressLookup,
  ClaimController,
  ClaimState,
  ClaimSummary,
  ClaimTarget,
  ClaimToken,
  ClaimWallet,
  Hash,
} from '../token-claim/claim-state.js'

/** What a widget asked its controller to do. */
export type ClaimAction =
  | { type: 'start'; target: ClaimTarget }
  | { type: 'stop' }
  | { type: 'chooseWallet'; walletId: string }
  | { type: 'switchChain' }
  | { type: 'claim' }
  | { type: 'lookup'; address: Address }
  | { type: 'retry' }

export interface ClaimHarnessOptions {
  /** Reacts to each action, e.g. `(a, h) => a.type === 'claim' && h.setState(claimStates.signing())`. */
  onAction?: (action: ClaimAction, harness: ClaimHarness) => void
}

/**
 * A `ClaimController` that draws whatever state it is given and records what the
 * widget asks of it. Set it as `element.controller` (before or after connecting).
 */
export class ClaimHarness implements ClaimController {
  state: ClaimState
  /** Every action, in order. */
  readonly actions: ClaimAction[] = []
  /** The target of the last `start`. */
  target: ClaimTarget | undefined
  onAction: ((action: ClaimAction, harness: ClaimHarness) => void) | undefined
  #listeners = new Set<(state: ClaimState) => void>()

  constructor(initial: ClaimState = claimStates.loading(), options: ClaimHarnessOptions = {}) {
    this.state = initial
    this.onAction = options.onAction
  }

  /** Draws `state` in every element using this harness. */
  setState(state: ClaimState): void {
    this.state = state
    for (const listener of [...this.#listeners]) listener(state)
  }

  /** The actions of one type, e.g. `harness.actionsOf('claim').length`. */
  actionsOf<T extends ClaimAction['type']>(type: T): Extract<ClaimAction, { type: T }>[] {
    return this.actions.filter((a): a is Extract<ClaimAction, { type: T }> => a.type === type)
  }

  subscribe(listener: (state: ClaimState) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  start(target: ClaimTarget): void {
    this.target = target
    this.#record({ type: 'start', target })
  }
  stop(): void {
    this.#record({ type: 'stop' })
  }
  chooseWallet(walletId: string): void {
    this.#record({ type: 'chooseWallet', walletId })
  }
  switchChain(): void {
    this.#record({ type: 'switchChain' })
  }
  claim(): void {
    this.#record({ type: 'claim' })
  }
  lookup(address: Address): void {
    this.#record({ type: 'lookup', address })
  }
  retry(): void {
    this.#record({ type: 'retry' })
  }

  #record(action: ClaimAction): void {
    this.actions.push(action)
    this.onAction?.(action, this)
  }
}

/** A well-formed (but fake) vault address for attributes in tests. */
export const SAMPLE_VAULT = '0x5FbDB2315678afecb367f032d93F642f64180aa3'
export const SAMPLE_TX_HASH: Hash = '0x9f1c3a7e52b0d4c6a8e1f3b5d7092c4e6a8b0d2f4163857a9cbedf0123456789'
export const SAMPLE_TOKEN: ClaimToken = {
  address: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
  symbol: 'TAG',
  decimals: 18,
}
const DEV_ICON =
  'data:image/svg+xml,%3Csvg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"%3E%3Crect width="24" height="24" rx="6" fill="%234f46e5"/%3E%3C/svg%3E'
/** An address to check without a wallet (anvil's public dev account #1). */
export const SAMPLE_BENEFICIARY: Address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
export const SAMPLE_WALLETS: ClaimWallet[] = [
  { id: 'dev.tokentags.wallet', name: 'TokenTags Dev Wallet (dev only)', icon: DEV_ICON },
  { id: 'com.example.wallet', name: 'Example Wallet' },
]

const unit = 10n ** 18n

/** 400 of 1,000 TAG vested, 150 claimable, 250 more on 2030-01-01. */
export function sampleSummary(overrides: Partial<ClaimSummary> = {}): ClaimSummary {
  return {
    token: SAMPLE_TOKEN,
    total: 1000n * unit,
    vested: 400n * unit,
    released: 250n * unit,
    claimable: 150n * unit,
    nextUnlock: { timestamp: Date.UTC(2030, 0, 1) / 1000, amount: 250n * unit },
    gasless: true,
    ...overrides,
  }
}

/** One sample of every `<token-claim>` state. */
export const claimStates = {
  loading: (): ClaimState => ({ status: 'loading' }),
  noWallet: (): ClaimState => ({ status: 'no-wallet' }),
  /** On a phone: links that reopen `pageUrl` in EVM wallet apps. */
  noWalletPhone: (pageUrl = 'https://project.example/claim'): ClaimState => ({
    status: 'no-wallet',
    links: walletLinks('evm', pageUrl),
  }),
  chooseWallet: (wallets: ClaimWallet[] = SAMPLE_WALLETS): ClaimState => ({ status: 'choose-wallet', wallets }),
  /** No wallet connected, "Check an address" answered (by default: a sample summary for `SAMPLE_BENEFICIARY`). */
  lookup: (
    lookup: AddressLookup = {
      status: 'found',
      address: SAMPLE_BENEFICIARY,
      summary: sampleSummary({ gasless: false }),
    },
  ): ClaimState => ({ status: 'choose-wallet', wallets: SAMPLE_WALLETS, lookup }),
  wrongNetwork: (chainId = 8453, chainName = 'Base'): ClaimState => ({ status: 'wrong-network', chainId, chainName }),
  nothingToClaim: (summary: Partial<ClaimSummary> = {}): ClaimState => ({
    status: 'nothing-to-claim',
    summary: sampleSummary({ claimable: 0n, released: 400n * unit, ...summary }),
  }),
  claimable: (summary: Partial<ClaimSummary> = {}): ClaimState => ({
    status: 'claimable',
    summary: sampleSummary(summary),
  }),
  signing: (summary: Partial<ClaimSummary> = {}): ClaimState => ({
    status: 'signing',
    summary: sampleSummary(summary),
  }),
  pending: (phase: 'queued' | 'submitted' = 'queued', via: 'relay' | 'wallet' = 'relay'): ClaimState => ({
    status: 'pending',
    phase,
    via,
    ...(phase === 'submitted' && { txHash: SAMPLE_TX_HASH, explorerUrl: 'https://basescan.org' }),
  }),
  success: (
    options: { amount?: bigint; txHash?: Hash; via?: 'relay' | 'wallet'; explorerUrl?: string } = {},
  ): ClaimState => ({
    status: 'success',
    amount: options.amount ?? 150n * unit,
    token: SAMPLE_TOKEN,
    txHash: options.txHash ?? SAMPLE_TX_HASH,
    via: options.via ?? 'relay',
    ...('explorerUrl' in options
      ? options.explorerUrl
        ? { explorerUrl: options.explorerUrl }
        : {}
      : { explorerUrl: 'https://basescan.org' }),
  }),
  /**
   * The relay refused the claim (its policy does not pay for this vault): why, and paying the gas from the wallet as
   * the visitor's explicit choice, with its cost.
   */
  relayRefused: (affordable = true): ClaimState => ({
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
  /** A claim that did not complete, saying who paid: `nobody` (nothing was sent), or `wallet` / `relay` (its transaction). */
  failed: (code = 'USER_REJECTED', paid: 'nobody' | 'relay' | 'wallet' = 'nobody'): ClaimState => ({
    status: 'error',
    code,
    message: messageFor(code),
    retryable: true,
    paid,
    ...(paid !== 'nobody' && { txHash: SAMPLE_TX_HASH, explorerUrl: 'https://basescan.org' }),
  }),
  error: (
    code = 'USER_REJECTED',
    message = 'The request was declined in your wallet.',
    retryable = true,
  ): ClaimState => ({
    status: 'error',
    code,
    message,
    retryable,
  }),
} as const

/** Every sample state, in the order a user meets them. */
export function allClaimStates(): ClaimState[] {
  return [
    claimStates.loading(),
    claimStates.noWallet(),
    claimStates.chooseWallet(),
    claimStates.wrongNetwork(),
    claimStates.nothingToClaim(),
    claimStates.claimable(),
    claimStates.signing(),
    claimStates.pending(),
    claimStates.success(),
    claimStates.error(),
  ]
}

export {
  type BuyAction,
  BuyHarness,
  buyStates,
  SAMPLE_CREATOR,
  SAMPLE_SALE,
  SAMPLE_SOLANA_CREATOR,
  SAMPLE_SOLANA_MINT,
  SAMPLE_USDC,
  sampleOffer,
  sampleQuote,
  sampleSale,
  type TipAction,
  TipHarness,
  tipStates,
} from './tip-buy.js'

import type { CoreApi } from '../internal/core-loader.js'
import { gaslessErrorState, isGaslessError, RELAY_PROBE_MS } from '../internal/gasless-fallback.js'
import { sharedRead } from '../internal/refresh.js'
import { type Address, type CoreClient, WalletSession } from '../internal/wallet-session.js'
import { wrongContract } from '../internal/wrong-contract.js'
import { readSpendBalance } from '../token-tip/balance.js'
import type { SpendBalance } from '../token-tip/tip-state.js'
import type { BuyController, BuyState, BuyTarget, QuoteView, SaleView } from './buy-state.js'

/** How long typing pauses before a quote is read. */
export const QUOTE_DEBOUNCE_MS = 300

type Sale = Awaited<ReturnType<CoreApi['getSale']>>

/**
 * The default `<token-buy>` controller: reads the sale and the visitor's cap through `@tokentags/core`, quotes
 * as the visitor types (debounced, the sale's `quote` view), and buys with the quote's minimum-out.
 */
export class CoreBuyController extends WalletSession<BuyState, BuyTarget> implements BuyController {
  #sale?: SaleView
  #quote?: QuoteView
  #quoteTimer?: ReturnType<typeof setTimeout>
  #quoteRun = 0
  /** `checkRelay`'s answer for the target, undefined while asked: only on true does the sale promise no gas. */
  #relayOk?: boolean
  /** A state that would promise no gas, held back (the card keeps loading) until `checkRelay` answers. */
  #held?: BuyState

  protected override refreshable(): boolean {
    return this.state.status !== 'success' && this.state.status !== 'signing'
  }

  override stop(): void {
    clearTimeout(this.#quoteTimer)
    this.#quoteRun++
    super.stop()
  }

  protected override onReady(core: CoreApi, client: CoreClient, account: Address, run: number): void {
    const target = this.target
    if (!target) return
    if (!this.#sale) this.set({ status: 'loading' })
    this.#probeRelay(core, client)
    sharedRead(`sale:${target.chainId}:${target.sale.toLowerCase()}:${account.toLowerCase()}`, () =>
      core.getSale(client, { chainId: target.chainId, sale: target.sale, buyer: account }),
    )
      // What the visitor pays with: native coin always from the wallet, so its gas is kept back.
      .then(async (sale) => {
        const balance = await readSpendBalance(core, client, target.chainId, sale.paymentToken.address, account, true)
        return [sale, balance] as const
      })
      .then(
        ([sale, balance]) => {
          if (run !== this.run) return
          const mode = target.gasless ?? client.gasless
          const view = toView(sale, !!client.relayUrl && mode !== 'never', balance)
          this.#sale = view
          if (sale.status === 'upcoming') this.set({ status: 'not-started', sale: view })
          else if (sale.status === 'ended') this.set({ status: 'ended', sale: view })
          else if (sale.status === 'sold-out') this.set({ status: 'sold-out', sale: view })
          else if (sale.status === 'paused') this.set({ status: 'paused', sale: view })
          else if (view.available === 0n) this.set({ status: 'over-cap', sale: view })
          else this.set({ status: 'ready', sale: view, ...(this.#quote && { quote: this.#quote }) })
        },
        (error: unknown) => {
          if (run === this.run) this.fail(error)
        },
      )
  }

  quote(amountIn: bigint): void {
    clearTimeout(this.#quoteTimer)
    const quoteRun = ++this.#quoteRun
    const sale = this.#sale
    if (this.state.status !== 'ready' || !sale) return
    if (amountIn <= 0n) {
      this.#quote = undefined
      this.set({ status: 'ready', sale })
      return
    }
    this.set({ status: 'ready', sale, ...(this.#quote && { quote: this.#quote }), quoting: true })
    this.#quoteTimer = setTimeout(() => {
      const core = this.core
      const client = this.client
      const target = this.target
      if (!core || !client || !target) return
      core
        .getBuyQuote(client, {
          chainId: target.chainId,
          sale: target.sale,
          amountIn,
          ...(target.slippageBps !== undefined && { slippageBps: target.slippageBps }),
        })
        .then(
          (quote) => {
            if (quoteRun !== this.#quoteRun || this.state.status !== 'ready') return
            this.#quote = { amountIn: quote.amountIn, amountOut: quote.amountOut, minOut: quote.minOut }
            this.set({ status: 'ready', sale, quote: this.#quote })
          },
          (error: unknown) => {
            if (quoteRun === this.#quoteRun) this.fail(error)
          },
        )
    }, QUOTE_DEBOUNCE_MS)
  }

  buy(gasless?: 'never'): void {
    const core = this.core
    const client = this.client
    const target = this.target
    const sale = this.#sale
    const quote = this.#quote
    const state = this.state
    if (!core || !client || !target || !sale || !quote || this.busy) return
    if (gasless ? !isGaslessError(state) : state.status !== 'ready' || state.quoting) return
    if (quote.amountOut === 0n || quote.amountOut > sale.available) return
    if (sale.balance && quote.amountIn > sale.balance.spendable) return
    this.write(
      () => ({ status: 'signing', sale, quote }),
      (options) =>
        core.buy(client, {
          chainId: target.chainId,
          sale: target.sale,
          amountIn: quote.amountIn,
          minOut: quote.minOut,
          ...((gasless ?? target.gasless) && { gasless: gasless ?? target.gasless }),
          ...options,
        }),
      (result, explorerUrl) => {
        this.#quote = undefined
        return {
          status: 'success',
          amount: quote.amountOut,
          paid: quote.amountIn,
          paidToken: { symbol: sale.payment.symbol, decimals: sale.payment.decimals },
          token: sale.saleToken,
          txHash: result.txHash,
          via: result.via,
          ...(explorerUrl && { explorerUrl }),
        }
      },
    )
  }

  /** The visitor chose to pay the gas after the relay could not take the buy: the same buy from the wallet. */
  payGas(): void {
    const state = this.state
    if (isGaslessError(state) && state.gasless.pay?.affordable) this.buy('never')
  }

  protected override fail(error: unknown): void {
    const core = this.core
    const client = this.client
    const target = this.target
    const offerWallet = (target?.fallback ?? this.config?.fallback ?? 'wallet') === 'wallet'
    const symbol = client?.chains.find((chain) => chain.id === target?.chainId)?.nativeCurrency?.symbol ?? 'ETH'
    const gasless = gaslessErrorState(error, core?.relayFailure(error), offerWallet, symbol)
    if (gasless) {
      this.set(gasless)
      return
    }
    // A read that failed while the sale loads: a `sale` that is not a sale is the page's mistake, not an outage.
    if (this.state.status === 'loading' && core && client && target) {
      const run = this.run
      wrongContract(core, client, target.chainId, target.sale, 'sale').then((wrong) => {
        if (run !== this.run) return
        if (wrong) this.set(wrong)
        else super.fail(error)
      })
      return
    }
    super.fail(error)
  }

  protected override set(state: BuyState): void {
    // The sale promises no gas only once the relay said it serves this page (`#probeRelay`): never promise first and
    // take it back.
    let shown = state
    if ('sale' in state && state.sale.gasless && this.#relayOk !== true) {
      if (this.#relayOk === undefined && state.status !== 'signing') {
        this.#held = state
        return
      }
      shown = { ...state, sale: { ...state.sale, gasless: false } } as BuyState
    }
    this.#held = undefined
    super.set(shown)
  }

  #probeRelay(core: CoreApi, client: CoreClient): void {
    const target = this.target
    if (!target) return
    this.#relayOk = undefined
    core
      .checkRelay(client, {
        chainId: target.chainId,
        ...(target.gasless && { gasless: target.gasless }),
        signal: AbortSignal.timeout(RELAY_PROBE_MS),
      })
      .catch(() => false)
      .then((ok) => {
        if (this.target !== target) return
        this.#relayOk = ok
        const held = this.#held
        if (held) {
          this.set(held)
          return
        }
        const state = this.state
        if ('sale' in state && this.#sale) this.set({ ...state, sale: this.#sale } as BuyState)
      })
  }

  override retry(): void {
    if (this.state.status === 'success' || this.state.status === 'error') this.#quote = undefined
    super.retry()
  }
}

function toView(sale: Sale, relay: boolean, balance: SpendBalance | undefined): SaleView {
  const native = sale.paymentToken.address === 'native'
  return {
    saleToken: { symbol: sale.saleToken.symbol, decimals: sale.saleToken.decimals },
    payment: { symbol: sale.paymentToken.symbol, decimals: sale.paymentToken.decimals, native },
    price: sale.price,
    priceUnit: sale.priceUnit,
    start: sale.start,
    end: sale.end,
    totalCap: sale.totalCap,
    perBuyerCap: sale.perBuyerCap,
    sold: sale.sold,
    remaining: sale.remaining,
    purchased: sale.buyer?.purchased ?? 0n,
    available: sale.buyer?.available ?? sale.remaining,
    gasless: !native && relay,
    ...(balance && { balance }),
  }
}

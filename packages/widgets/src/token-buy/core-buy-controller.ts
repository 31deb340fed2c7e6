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
  /**
   * The payment the visitor last asked a quote of (0n: none). Its quote is always shown, on its way, or replaced by an
   * error with a retry: an answer that comes while the card shows another state is kept, a failure is asked again on
   * the next `ready` (a dropped quote would leave the card on "Getting a quote…").
   */
  #wanted = 0n
  /** Whether the quote of `#wanted` is on its way (debounced or read). */
  #quoting = false
  /** How long a quote's read may take before the card says the network could not be read (viem alone waits ~40 s). */
  static quoteTimeoutMs = 10_000
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
    this.#wanted = 0n
    this.#quoting = false
    this.#quote = undefined
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
          else this.set({ status: 'ready', sale: view })
        },
        (error: unknown) => {
          if (run === this.run) this.fail(error)
        },
      )
  }

  quote(amountIn: bigint): void {
    this.#wanted = amountIn
    const sale = this.#sale
    // Not ready (loading, another network, no wallet): the next `ready` asks for it (`set`).
    if (this.state.status === 'ready' && sale) this.#ask(QUOTE_DEBOUNCE_MS, sale)
  }

  /** Reads the quote of `#wanted` after `delay` ms; a newer ask, a stop or the timeout drops this one's answer. */
  #ask(delay: number, sale: SaleView): void {
    clearTimeout(this.#quoteTimer)
    const run = ++this.#quoteRun
    const amountIn = this.#wanted
    this.#quoting = amountIn > 0n
    if (!this.#quoting) this.#quote = undefined
    this.set({ status: 'ready', sale })
    if (!this.#quoting) return
    this.#quoteTimer = setTimeout(() => {
      const core = this.core
      const client = this.client
      const target = this.target
      if (!core || !client || !target) return
      this.#quoteTimer = setTimeout(
        () => this.#quoted(run, undefined, { code: 'READ_FAILED' }),
        CoreBuyController.quoteTimeoutMs,
      )
      core
        .getBuyQuote(client, {
          chainId: target.chainId,
          sale: target.sale,
          amountIn,
          ...(target.slippageBps !== undefined && { slippageBps: target.slippageBps }),
        })
        .then(
          (quote) => this.#quoted(run, { amountIn: quote.amountIn, amountOut: quote.amountOut, minOut: quote.minOut }),
          (error: unknown) => this.#quoted(run, undefined, error),
        )
    }, delay)
  }

  /** The outcome of ask `run`: the quote, or the error (the read failed or took too long). */
  #quoted(run: number, quote: QuoteView | undefined, error?: unknown): void {
    if (run !== this.#quoteRun) return
    // The other outcome (the answer after the timeout, or the timeout after the answer) is dropped.
    this.#quoteRun++
    clearTimeout(this.#quoteTimer)
    this.#quoting = false
    if (quote) this.#quote = quote
    const sale = this.#sale
    // While another state shows, the quote waits for the next `ready`, and a failure is asked again then (`set`).
    if (this.state.status !== 'ready' || !sale) return
    if (quote) this.set({ status: 'ready', sale })
    else this.fail(error)
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
        this.#wanted = 0n
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
    let shown = state
    if (state.status === 'ready') {
      // Whoever shows `ready` (the sale read, the relay's answer, a quote) shows the quote of the wanted payment, or
      // that it is on its way: a quote dropped meanwhile is asked again, never left as "Getting a quote…".
      const quote = this.#quote
      if (this.#wanted > 0n && !this.#quoting && quote?.amountIn !== this.#wanted) {
        this.#ask(0, state.sale)
        return
      }
      shown = { status: 'ready', sale: state.sale, ...(quote && { quote }), ...(this.#quoting && { quoting: true }) }
    }
    // The sale promises no gas only once the relay said it serves this page (`#probeRelay`): never promise first and
    // take it back.
    if ('sale' in shown && shown.sale.gasless && this.#relayOk !== true) {
      if (this.#relayOk === undefined && shown.status !== 'signing') {
        this.#held = shown
        return
      }
      shown = { ...shown, sale: { ...shown.sale, gasless: false } } as BuyState
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

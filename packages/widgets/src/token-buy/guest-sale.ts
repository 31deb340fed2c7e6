// Useful without a wallet (issue 15, item 9): until the visitor connects, `<token-buy>` shows the sale's price, cap,
// what is left and its closing date, read through the page's RPC; a sale that cannot be bought (not started, ended,
// sold out, paused) shows that state instead of a wallet list.
import { getPageConfig } from '../internal/config.js'
import { type CoreApi, loadCore } from '../internal/core-loader.js'
import { onRefresh, sharedRead } from '../internal/refresh.js'
import { wrongContract } from '../internal/wrong-contract.js'
import type { BuyController, BuyState, BuyTarget, SaleView } from './buy-state.js'

type Sale = Awaited<ReturnType<CoreApi['getSale']>>

/** The states where the visitor has not connected on the sale's chain yet: the card can only show the sale. */
const WALLET_STATES: ReadonlySet<string> = new Set(['no-wallet', 'choose-wallet', 'wrong-network'])

/** The state a closed sale shows instead of a wallet state. */
const CLOSED: Partial<Record<Sale['status'], 'not-started' | 'ended' | 'sold-out' | 'paused'>> = {
  upcoming: 'not-started',
  ended: 'ended',
  'sold-out': 'sold-out',
  paused: 'paused',
}

/**
 * Wraps the wallet controller of `<token-buy>`: its wallet states (`no-wallet`, `choose-wallet`, `wrong-network`)
 * carry the sale read without an account, and give way to `not-started`, `ended`, `sold-out` or `paused` when the sale
 * cannot be bought; a `sale` that is not a sale shows WRONG_CONTRACT before any wallet. Everything else is the wallet
 * controller's.
 */
export class GuestSaleController implements BuyController {
  readonly #inner: BuyController
  state: BuyState
  #listeners = new Set<(state: BuyState) => void>()
  #target?: BuyTarget
  #guest?: { sale: SaleView; status: Sale['status'] } | { wrong: BuyState }
  /** Bumped by each start and stop: reads of an older target are dropped. */
  #run = 0
  #offRefresh?: () => void

  constructor(inner: BuyController) {
    this.#inner = inner
    this.state = inner.state
    inner.subscribe(() => this.#publish())
  }

  subscribe(listener: (state: BuyState) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  start(target: BuyTarget): void {
    this.#stopGuest()
    this.#target = target
    const run = ++this.#run
    // The page's refreshes (every 30 s, tab shown again, another widget's success) re-read the facts while they show;
    // once connected, the wallet controller reads the sale itself.
    this.#offRefresh = onRefresh(() => WALLET_STATES.has(this.#inner.state.status) && this.#read(run))
    this.#inner.start(target)
    this.#read(run)
  }

  stop(): void {
    this.#stopGuest()
    this.#inner.stop()
  }

  chooseWallet(walletId: string): void {
    this.#inner.chooseWallet(walletId)
  }

  switchChain(): void {
    this.#inner.switchChain()
  }

  quote(amountIn: bigint): void {
    this.#inner.quote(amountIn)
  }

  buy(): void {
    this.#inner.buy()
  }

  payGas(): void {
    this.#inner.payGas?.()
  }

  retry(): void {
    // "Check again" on a closed sale seen without a wallet: read it again.
    if (this.state !== this.#inner.state) this.#read(this.#run)
    this.#inner.retry()
  }

  #stopGuest(): void {
    this.#run++
    this.#offRefresh?.()
    this.#offRefresh = undefined
    this.#guest = undefined
  }

  #read(run: number): void {
    const target = this.#target
    const config = getPageConfig()
    if (!target || !config) return
    loadCore()
      .then(async (core) => {
        const client = core.clientFor(config)
        const key = `guest-sale:${target.chainId}:${target.sale.toLowerCase()}`
        try {
          const sale = await sharedRead(key, () => core.getSale(client, { chainId: target.chainId, sale: target.sale }))
          if (run === this.#run) this.#guest = { sale: toGuestView(sale), status: sale.status }
        } catch {
          const wrong = await wrongContract(core, client, target.chainId, target.sale, 'sale')
          // Any other failure (an outage, a chain without RPC) leaves the wallet states as they are: connecting shows it.
          if (run === this.#run && wrong) this.#guest = { wrong }
        }
        if (run === this.#run) this.#publish()
      })
      .catch(() => {
        // The chain code could not be fetched: the card stays a wallet card, as before.
      })
  }

  #publish(): void {
    const inner = this.#inner.state
    const guest = this.#guest
    let shown: BuyState = inner
    if (guest && WALLET_STATES.has(inner.status)) {
      if ('wrong' in guest) shown = guest.wrong
      else {
        const closed = CLOSED[guest.status]
        shown = closed ? { status: closed, sale: guest.sale } : ({ ...inner, facts: guest.sale } as BuyState)
      }
    }
    this.state = shown
    for (const listener of [...this.#listeners]) listener(shown)
  }
}

/** The sale as anyone sees it: no purchases, and the limit per buyer (within what is left). */
function toGuestView(sale: Sale): SaleView {
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
    purchased: 0n,
    available: min(sale.perBuyerCap, sale.remaining),
    // Whether the relay serves this page is asked once a wallet connects: no promise before.
    gasless: false,
    guest: true,
  }
}

const min = (a: bigint, b: bigint) => (a < b ? a : b)

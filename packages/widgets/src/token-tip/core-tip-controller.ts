import type { CoreApi } from '../internal/core-loader.js'
import { gaslessErrorState, isGaslessError, RELAY_PROBE_MS } from '../internal/gasless-fallback.js'
import { loadQr, type QrApi } from '../internal/qr-loader.js'
import { sharedRead } from '../internal/refresh.js'
import { type Address, type CoreClient, WalletSession } from '../internal/wallet-session.js'
import { wrongContract } from '../internal/wrong-contract.js'
import { parsePresets } from './amount.js'
import { readSpendBalance } from './balance.js'
import { SolanaTipController } from './solana-tip-controller.js'
import type { TipController, TipOffer, TipState, TipTarget } from './tip-state.js'

/**
 * The default `<token-tip>` controller: wallets and chain through `@tokentags/core` (loaded once a wallet is
 * chosen), the token's symbol and decimals, then `tip` (gasless for ERC-20 tokens when the page has a relay).
 */
export class CoreTipController extends WalletSession<TipState, TipTarget> implements TipController {
  #offer?: TipOffer
  /** The last tip's amount: the wallet choice resends it after the relay could not take it. */
  #amount?: bigint
  /** `checkRelay`'s answer for the target, undefined while asked: only on true does an offer promise no gas. */
  #relayOk?: boolean
  /** A ready offer that would promise no gas, held back (the card keeps loading) until `checkRelay` answers. */
  #held?: TipState
  #solana?: SolanaTipController
  #unsubscribeSolana?: () => void
  /** The QR encoder, once the visitor chose to pay from a phone wallet (QR mode until they go back). */
  #qr?: QrApi

  override start(target: TipTarget): void {
    if (target.to.startsWith('sol:') || target.token.startsWith('sol:')) {
      this.stop()
      this.target = target
      this.#startSolana()
      return
    }
    super.start(target)
  }

  override stop(): void {
    this.#qr = undefined
    this.#unsubscribeSolana?.()
    this.#unsubscribeSolana = undefined
    this.#solana?.stop()
    this.#solana = undefined
    super.stop()
  }

  override chooseWallet(walletId: string): void {
    if (this.#solana) this.#solana.chooseWallet(walletId)
    else super.chooseWallet(walletId)
  }

  protected override refreshable(): boolean {
    return this.state.status !== 'success'
  }

  protected override onReady(core: CoreApi, client: CoreClient, account: Address, run: number): void {
    if (this.state.status !== 'ready') this.set({ status: 'loading' })
    this.#probeRelay(core, client)
    this.#offerTip(core, client, run, false, account)
  }

  /**
   * Reads the token and the account's balance of it, then offers the presets: through the wallet (`qr` false) or
   * as a payment by QR code (another wallet pays: no balance).
   */
  #offerTip(core: CoreApi, client: CoreClient, run: number, qr: boolean, account?: Address): void {
    const target = this.target
    if (!target) return
    const token = target.token as Address | 'native'
    const mode = target.gasless ?? client.gasless
    const gasless = !qr && token !== 'native' && !!client.relayUrl && mode !== 'never'
    Promise.all([
      sharedRead(`tip-token:${target.chainId}:${token.toLowerCase()}`, () =>
        core.getToken(client, { chainId: target.chainId, token }),
      ),
      account && !qr ? readSpendBalance(core, client, target.chainId, token, account, !gasless) : undefined,
    ]).then(
      ([info, balance]) => {
        if (run !== this.run) return
        const presets = parsePresets(target.amounts, info.decimals, info.symbol || 'the token')
        if (!Array.isArray(presets)) {
          this.set(presets)
          return
        }
        this.#offer = {
          token: { address: info.address, symbol: info.symbol, decimals: info.decimals },
          recipient: target.to,
          presets,
          gasless,
          ...(qr && { qr }),
          ...(balance && { balance }),
        }
        this.set({ status: 'ready', offer: this.#offer })
      },
      (error: unknown) => {
        if (run === this.run) this.fail(error)
      },
    )
  }

  tip(amount: bigint, gasless?: 'never'): void {
    if (this.#solana) {
      this.#solana.tip(amount)
      return
    }
    if (this.#qr) {
      this.#showQr(amount)
      return
    }
    const core = this.core
    const client = this.client
    const target = this.target
    const offer = this.#offer
    if (!core || !client || !target || !offer || this.busy || amount <= 0n) return
    if (this.state.status !== 'ready' && !(gasless && isGaslessError(this.state))) return
    this.#amount = amount
    if (offer.balance && amount > offer.balance.spendable) return
    this.write(
      () => ({ status: 'signing', offer, amount }),
      (options) =>
        core.tip(client, {
          chainId: target.chainId,
          to: target.to as Address,
          token: target.token as Address | 'native',
          amount,
          ...(target.memo && { memo: target.memo }),
          ...(target.router && { router: target.router }),
          ...((gasless ?? target.gasless) && { gasless: gasless ?? target.gasless }),
          ...options,
        }),
      (result, explorerUrl) => ({
        status: 'success',
        amount,
        token: offer.token,
        recipient: offer.recipient,
        txHash: result.txHash,
        via: result.via,
        ...(explorerUrl && { explorerUrl }),
      }),
    )
  }

  /** The visitor chose to pay the gas after the relay could not take the tip: the same tip from the wallet. */
  payGas(): void {
    const state = this.state
    if (isGaslessError(state) && state.gasless.pay?.affordable && this.#amount !== undefined)
      this.tip(this.#amount, 'never')
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
    // A read that failed while the token loads: a `token` that is not a token is the page's mistake, not an outage.
    if (this.state.status === 'loading' && core && client && target && /^0x[0-9a-fA-F]{40}$/.test(target.token)) {
      const run = this.run
      wrongContract(core, client, target.chainId, target.token as Address, 'token').then((wrong) => {
        if (run !== this.run) return
        if (wrong) this.set(wrong)
        else super.fail(error)
      })
      return
    }
    super.fail(error)
  }

  protected override set(state: TipState): void {
    // An EVM offer promises no gas only once the relay said it serves this page (`#probeRelay`): never promise first
    // and take it back.
    let shown = state
    if (state.status === 'ready' && state.offer.gasless && this.#relayOk !== true && !this.#solana) {
      if (this.#relayOk === undefined) {
        this.#held = state
        return
      }
      shown = { ...state, offer: { ...state.offer, gasless: false } }
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
        if (this.state.status === 'ready' && this.#offer && !this.#offer.qr)
          this.set({ status: 'ready', offer: this.#offer })
      })
  }

  /**
   * Pay from any phone wallet: loads core and the QR encoder (on-demand chunks), reads the token and offers the
   * presets; `tip` then shows the EIP-681 code. The session's wallet refreshes stay away (`busy`) until the
   * visitor goes back (`retry`).
   */
  payByQr(): void {
    if (this.#solana) {
      this.#solana.payByQr()
      return
    }
    const target = this.target
    if (!target || this.busy || !this.config) return
    const run = ++this.run
    this.busy = true
    this.set({ status: 'loading' })
    Promise.all([this.coreClient(), loadQr()]).then(
      ([loaded, qr]) => {
        if (run !== this.run || !loaded) return
        this.#qr = qr
        this.#offerTip(loaded.core, loaded.client, run, true)
      },
      (error: unknown) => {
        if (run === this.run) this.fail(error)
      },
    )
  }

  /** The code of a payment of `amount`, then the chain watched from now on for that payment to `to`. */
  #showQr(amount: bigint): void {
    const core = this.core
    const client = this.client
    const target = this.target
    const offer = this.#offer
    const qr = this.#qr
    if (!core || !client || !target || !offer || !qr || this.state.status !== 'ready' || amount <= 0n) return
    const run = ++this.run
    const payment = {
      chainId: target.chainId,
      to: target.to as Address,
      token: target.token as Address | 'native',
      amount,
    }
    let uri: string
    try {
      uri = core.paymentRequestUri(payment)
    } catch (error) {
      this.fail(error)
      return
    }
    const abort = new AbortController()
    this.abort?.abort()
    this.abort = abort
    const explorerUrl = this.explorerUrl()
    this.set({ status: 'qr', offer, amount, uri, renderQr: qr.renderQr })
    core.waitForPayment(client, { ...payment, signal: abort.signal }).then(
      (found) => {
        if (run !== this.run) return
        this.set({
          status: 'success',
          amount,
          token: offer.token,
          recipient: offer.recipient,
          txHash: found.txHash,
          via: 'wallet',
          ...(explorerUrl && { explorerUrl }),
        })
      },
      (error: unknown) => {
        if (run === this.run) this.fail(error)
      },
    )
  }

  override retry(): void {
    if (this.#solana) {
      this.#solana.retry()
      return
    }
    if (this.#qr) {
      this.#backFromQr()
      return
    }
    const target = this.target
    if (target && this.state.status === 'success') {
      // "Send another tip": back to the offer, with the balance the tip left.
      if (this.#offer) {
        this.set({ status: 'ready', offer: this.#offer })
        if (!this.#offer.qr) this.#rereadBalance(this.#offer)
      }
      return
    }
    super.retry()
  }

  #rereadBalance(offer: TipOffer): void {
    const core = this.core
    const client = this.client
    const target = this.target
    const account = core && client ? core.getAccount(client).address : undefined
    if (!core || !client || !target || !account) return
    const token = target.token as Address | 'native'
    readSpendBalance(core, client, target.chainId, token, account, !offer.gasless).then((balance) => {
      if (!balance || this.#offer !== offer || this.state.status !== 'ready') return
      this.#offer = { ...offer, balance }
      this.set({ status: 'ready', offer: this.#offer })
    })
  }

  /**
   * Solana tips (`to="sol:…"`) go to a `SolanaTipController`, which loads `@tokentags/core/solana` only once the
   * visitor picks a wallet; this controller relays its states.
   */
  #startSolana(): void {
    const target = this.target
    if (!target) return
    const solana = new SolanaTipController()
    this.#solana = solana
    this.#unsubscribeSolana = solana.subscribe((state) => this.set(state))
    solana.start(target)
  }

  /** One step back in QR mode: from the code to the amounts (another tip after a success), from there out. */
  #backFromQr(): void {
    const target = this.target
    if (!target) return
    this.run++
    this.abort?.abort()
    this.abort = undefined
    const offer = this.#offer
    if ((this.state.status === 'qr' || this.state.status === 'success') && offer?.qr) {
      this.set({ status: 'ready', offer })
      return
    }
    this.start(target)
  }
}

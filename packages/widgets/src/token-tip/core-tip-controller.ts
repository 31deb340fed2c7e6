import type { CoreApi } from '../internal/core-loader.js'
import { sharedRead } from '../internal/refresh.js'
import { type Address, type CoreClient, WalletSession } from '../internal/wallet-session.js'
import { parseAmount } from './amount.js'
import { SolanaTipController } from './solana-tip-controller.js'
import type { TipController, TipOffer, TipState, TipTarget } from './tip-state.js'

/**
 * The default `<token-tip>` controller: wallets and chain through `@tokentags/core` (loaded once a wallet is
 * chosen), the token's symbol and decimals, then `tip` (gasless for ERC-20 tokens when the page has a relay).
 */
export class CoreTipController extends WalletSession<TipState, TipTarget> implements TipController {
  #offer?: TipOffer
  #solana?: SolanaTipController
  #unsubscribeSolana?: () => void

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

  protected override onReady(core: CoreApi, client: CoreClient, _account: Address, run: number): void {
    const target = this.target
    if (!target) return
    if (this.state.status !== 'ready') this.set({ status: 'loading' })
    const token = target.token as Address | 'native'
    sharedRead(`tip-token:${target.chainId}:${token.toLowerCase()}`, () =>
      core.getToken(client, { chainId: target.chainId, token }),
    ).then(
      (info) => {
        if (run !== this.run) return
        const presets: bigint[] = []
        for (const text of target.amounts) {
          const amount = parseAmount(text, info.decimals)
          if (amount === undefined || amount <= 0n) {
            this.set({
              status: 'error',
              code: 'INVALID_ATTRIBUTE',
              message: `The amount "${text.slice(0, 30)}" does not fit ${info.symbol || 'the token'} (at most ${info.decimals} decimals).`,
              retryable: false,
            })
            return
          }
          presets.push(amount)
        }
        const mode = target.gasless ?? client.gasless
        this.#offer = {
          token: { address: info.address, symbol: info.symbol, decimals: info.decimals },
          recipient: target.to,
          presets,
          gasless: info.address !== 'native' && !!client.relayUrl && mode !== 'never',
        }
        this.set({ status: 'ready', offer: this.#offer })
      },
      (error: unknown) => {
        if (run === this.run) this.fail(error)
      },
    )
  }

  tip(amount: bigint): void {
    if (this.#solana) {
      this.#solana.tip(amount)
      return
    }
    const core = this.core
    const client = this.client
    const target = this.target
    const offer = this.#offer
    if (!core || !client || !target || !offer || this.state.status !== 'ready' || this.busy || amount <= 0n) return
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
          ...(target.gasless && { gasless: target.gasless }),
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

  override retry(): void {
    if (this.#solana) {
      this.#solana.retry()
      return
    }
    const target = this.target
    if (target && this.state.status === 'success') {
      // "Send another tip": back to the offer.
      if (this.#offer) this.set({ status: 'ready', offer: this.#offer })
      return
    }
    super.retry()
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
}

import { getPageConfig, type TokenTagsPageConfig } from '../internal/config.js'
import { shortAddress } from '../internal/session-view.js'
import { errorState, follow, noWallet, type Work, withWalletConnect } from '../internal/wallet-session.js'
import { injectedSolanaWallets, standardWallets, watchStandardWallets } from '../internal/wallet-standard.js'
import { openWalletConnect, WALLETCONNECT_NAME } from '../internal/walletconnect-pairing.js'
import { parseAmount } from './amount.js'
import { registerMobileWalletAdapter } from './mwa-loader.js'
import { loadedSolana, loadSolana, type SolanaApi } from './solana-loader.js'
import type { TipController, TipOffer, TipState, TipTarget } from './tip-state.js'

type SolanaClient = ReturnType<SolanaApi['solanaClientFor']>
/** What `tipSolana` reports while it sends (`onStatus`). */
type SolanaUpdate = { status: string; signature?: string | undefined }

const SOL_DECIMALS = 9

/**
 * `<token-tip>`'s Solana path (`to="sol:…"`): Wallet Standard wallets listed without loading any Solana code, then
 * `@tokentags/core/solana` (a lazy chunk) once a wallet is picked: connect, the mint's decimals, and a gasless
 * `tipSolana` whose fee the relay's fee payer pays.
 */
export class SolanaTipController implements TipController {
  state: TipState = { status: 'loading' }
  #listeners = new Set<(state: TipState) => void>()
  #target?: TipTarget
  #config?: TokenTagsPageConfig
  #api?: SolanaApi
  #client?: SolanaClient
  #offer?: TipOffer
  #run = 0
  #busy = false
  #abort?: AbortController
  #cleanup: (() => void)[] = []
  /** Stops following the wallet's account (set once connected). */
  #unwatchAccount?: () => void

  subscribe(listener: (state: TipState) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  start(target: TipTarget): void {
    this.stop()
    this.#target = target
    const config = getPageConfig()
    if (!config?.solanaRpcUrl || !config.relayUrl) {
      this.#set({
        status: 'error',
        code: 'CHAIN_NOT_CONFIGURED',
        message:
          'Solana tips need a Solana RPC and a relay: set solana-rpc="<RPC URL>" and relay="<relay URL>" on <tokentags-config>.',
        retryable: false,
      })
      return
    }
    this.#config = config
    const api = loadedSolana()
    if (api) {
      const client = this.#clientOf(api)
      if (api.getSolanaAccount(client).status === 'connected') {
        this.#prepare(api, client, ++this.#run)
        return
      }
    }
    this.#cleanup.push(watchStandardWallets(() => this.#listWallets()))
    this.#listWallets()
    // Android: the phone's wallet apps through MWA, listed once registered (a failed download leaves the others).
    registerMobileWalletAdapter().catch(() => {})
  }

  stop(): void {
    this.#run++
    this.#abort?.abort()
    this.#abort = undefined
    this.#busy = false
    for (const fn of this.#cleanup.splice(0)) fn()
    this.#unwatchAccount?.()
    this.#unwatchAccount = undefined
  }

  switchChain(): void {
    // Solana has no networks to switch: the wallet signs for the relay's cluster.
  }

  chooseWallet(walletId: string): void {
    if (this.#busy || !this.#config) return
    const run = ++this.#run
    this.#busy = true
    this.#set({ status: 'loading' })
    const config = this.#config
    // WalletConnect: the page's one pairing (shared with its EVM widgets); its Solana wallet registers on the way.
    const pairing =
      walletId === WALLETCONNECT_NAME && config.walletConnect
        ? openWalletConnect(config, (state) => {
            if (run === this.#run) this.#set(state)
          })
        : undefined
    Promise.all([loadSolana(), pairing])
      .then(async ([api, opened]) => {
        if (run !== this.#run) {
          opened?.off()
          return
        }
        const client = this.#clientOf(api)
        try {
          await api.connectSolana(client, { walletId })
        } finally {
          opened?.off()
        }
        if (run !== this.#run) return
        this.#busy = false
        // Connected: later wallet registrations no longer change what the widget shows.
        for (const fn of this.#cleanup.splice(0)) fn()
        this.#prepare(api, client, run)
      })
      .catch((error: unknown) => {
        if (run !== this.#run) return
        this.#busy = false
        this.#fail(error)
      })
  }

  tip(amount: bigint): void {
    const api = this.#api
    const client = this.#client
    const target = this.#target
    const offer = this.#offer
    if (!api || !client || !target || !offer || this.state.status !== 'ready' || this.#busy || amount <= 0n) return
    const run = ++this.#run
    const abort = new AbortController()
    this.#abort = abort
    this.#busy = true
    const explorerUrl = this.#config?.solanaExplorerUrl
    const send = (onStatus: (update: SolanaUpdate) => void) =>
      api.tipSolana(client, {
        to: target.to,
        amount,
        ...(target.token !== 'native' && { mint: target.token }),
        ...(target.memo && { memo: target.memo }),
        signal: abort.signal,
        onStatus,
      })
    follow(this.#work(run), send, {
      signing: (): TipState => ({ status: 'signing', offer, amount }),
      pending: (update, phase): TipState => ({
        status: 'pending',
        phase,
        via: 'relay',
        ...(update.signature && { txHash: update.signature }),
        ...(explorerUrl && { explorerUrl }),
      }),
      success: (result): TipState => ({
        status: 'success',
        amount,
        token: offer.token,
        recipient: offer.recipient,
        txHash: result.signature,
        signature: result.signature,
        via: 'relay',
        ...(explorerUrl && { explorerUrl }),
      }),
    })
  }

  /** Tries again, or starts another tip after a success; from the pairing view, cancels it (back to the wallets). */
  retry(): void {
    if (this.state.status === 'pairing') {
      this.#run++
      this.#busy = false
      this.#listWallets()
      return
    }
    if (this.#busy || !this.#target) return
    if (this.state.status === 'success' && this.#offer) {
      this.#set({ status: 'ready', offer: this.#offer })
      return
    }
    const api = this.#api
    const client = this.#client
    if (api && client && api.getSolanaAccount(client).status === 'connected') this.#prepare(api, client, ++this.#run)
    else this.start(this.#target)
  }

  #clientOf(api: SolanaApi): SolanaClient {
    const config = this.#config as TokenTagsPageConfig
    const client = api.solanaClientFor(
      { rpcUrl: config.solanaRpcUrl as string, relayUrl: config.relayUrl, siteKey: config.siteKey },
      standardWallets(),
      injectedSolanaWallets(),
    )
    this.#api = api
    this.#client = client
    return client
  }

  #listWallets(): void {
    if (this.#busy) return
    const found = [
      ...standardWallets().map((w) => ({
        id: w.name,
        name: w.name,
        ...(typeof w.icon === 'string' && { icon: w.icon }),
      })),
      ...injectedSolanaWallets().map((w) => ({ id: w.name, name: w.name })),
    ]
    const wallets = this.#config?.walletConnect ? withWalletConnect(found, WALLETCONNECT_NAME) : found
    if (wallets.length > 0) {
      this.#set({ status: 'choose-wallet', wallets })
      return
    }
    // At once, as the EVM widgets: a wallet that registers later replaces it (`watchStandardWallets`).
    this.#set(noWallet('solana'))
  }

  /**
   * Follows the account inside the wallet: a switch needs nothing here (core signs with the account
   * the wallet now reports), a disconnect from the wallet's side goes back to the wallet list
   * rather than leaving a Tip button that cannot work. A tip in flight finishes first.
   */
  #followAccount(api: SolanaApi, client: SolanaClient): void {
    this.#unwatchAccount?.()
    this.#unwatchAccount = api.watchSolanaAccount(client, (account) => {
      if (account.status !== 'disconnected' || this.#busy || !this.#target) return
      if (this.state.status === 'success' || this.state.status === 'pending') return
      this.start(this.#target)
    })
  }

  /** The relay's Solana policy and the token's decimals, then the offer. */
  #prepare(api: SolanaApi, client: SolanaClient, run: number): void {
    const target = this.#target
    if (!target) return
    this.#followAccount(api, client)
    this.#set({ status: 'loading' })
    const mint = target.token === 'native' ? undefined : target.token.slice(4)
    Promise.all([
      api.getRelaySolanaConfig(client),
      mint ? api.getMintDecimals(client.rpcUrl, mint) : Promise.resolve(SOL_DECIMALS),
    ]).then(
      ([, decimals]) => {
        if (run !== this.#run) return
        const symbol = mint ? shortAddress(mint) : 'SOL'
        const presets: bigint[] = []
        for (const text of target.amounts) {
          const amount = parseAmount(text, decimals)
          if (amount === undefined || amount <= 0n) {
            this.#set({
              status: 'error',
              code: 'INVALID_ATTRIBUTE',
              message: `The amount "${text.slice(0, 30)}" does not fit ${symbol} (at most ${decimals} decimals).`,
              retryable: false,
            })
            return
          }
          presets.push(amount)
        }
        this.#offer = {
          token: { address: target.token, symbol, decimals },
          recipient: target.to,
          presets,
          gasless: true,
        }
        this.#set({ status: 'ready', offer: this.#offer })
      },
      (error: unknown) => {
        if (run === this.#run) this.#fail(error)
      },
    )
  }

  /** Work `run` for `follow`: current until newer work starts; its end frees the controller. */
  #work(run: number): Work<TipState> {
    return {
      current: () => run === this.#run,
      end: () => {
        this.#busy = false
      },
      set: (s) => this.#set(s),
      fail: (e) => this.#fail(e),
    }
  }

  #fail(error: unknown): void {
    this.#set(errorState(error))
  }

  #set(state: TipState): void {
    this.state = state
    for (const listener of [...this.#listeners]) listener(state)
  }
}

import { getPageConfig, type TokenTagsPageConfig } from '../internal/config.js'
import { humanCheckOption } from '../internal/human-check-config.js'
import { claimRestore, pageAccount, rememberedWallet, watchPageAccounts } from '../internal/page-session.js'
import { loadQr } from '../internal/qr-loader.js'
import { shortAddress } from '../internal/session-view.js'
import { errorState, follow, noWallet, settle, type Work, withWalletConnect } from '../internal/wallet-session.js'
import { injectedSolanaWallets, standardWallets, watchStandardWallets } from '../internal/wallet-standard.js'
import { openWalletConnect, WALLETCONNECT_NAME } from '../internal/walletconnect-pairing.js'
import { parsePresets } from './amount.js'
import { linksBesideMwa, registerMobileWalletAdapter } from './mwa-loader.js'
import { loadedSolana, loadSolana, type SolanaApi } from './solana-loader.js'
import type { TipController, TipOffer, TipState, TipTarget } from './tip-state.js'

type PayApi = typeof import('./solana-pay.js')
let loadingPay: Promise<PayApi> | undefined

/** Loads the Solana Pay code (a small chunk) once per page copy of the widgets; a failed download may be retried. */
function loadSolanaPay(): Promise<PayApi> {
  loadingPay ??= import('./solana-pay.js').catch((error: unknown) => {
    loadingPay = undefined
    throw error
  })
  return loadingPay
}

type SessionApi = typeof import('./solana-session.js')
let loadingSession: Promise<SessionApi> | undefined

/** The page's Solana session code (account chip, remember): a small chunk, loaded with the Solana code. */
function loadSolanaSession(): Promise<SessionApi> {
  loadingSession ??= import('./solana-session.js').catch((error: unknown) => {
    loadingSession = undefined
    throw error
  })
  return loadingSession
}

/**
 * Whether the page remembers a Solana wallet that is on the page now and has not been restored yet on this load;
 * the caller then restores it. Never prompts: only `connect({ silent: true })`.
 */
function solanaWalletToRestore(): string | undefined {
  if (!getPageConfig()?.remember) return undefined
  const walletId = rememberedWallet('solana')
  if (!walletId || pageAccount('solana')) return undefined
  const present =
    standardWallets().some((wallet) => wallet.name === walletId) ||
    injectedSolanaWallets().some((wallet) => wallet.name === walletId)
  return present && claimRestore('solana') ? walletId : undefined
}

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
  /** Solana Pay: whether the relay serves this tip's link (asked once per target), and QR mode once chosen. */
  #payServed?: Promise<boolean>
  #payMode = false

  subscribe(listener: (state: TipState) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  start(target: TipTarget): void {
    this.stop()
    if (this.#target !== target) this.#payServed = undefined
    this.#payMode = false
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
    this.#cleanup.push(
      watchStandardWallets(() => this.#listWallets()),
      // One session per page: another widget (or the remembered wallet) connected Solana, this one follows.
      watchPageAccounts(() => this.#joinSession()),
    )
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
    if (this.#payMode) {
      this.#showPayCode(amount)
      return
    }
    const api = this.#api
    const client = this.#client
    const target = this.#target
    const offer = this.#offer
    if (!api || !client || !target || !offer || this.state.status !== 'ready' || this.#busy || amount <= 0n) return
    if (offer.balance && amount > offer.balance.spendable) return
    const run = ++this.#run
    const abort = new AbortController()
    this.#abort = abort
    this.#busy = true
    const explorerUrl = this.#config?.solanaExplorerUrl
    const send = (onStatus: (update: SolanaUpdate) => void) =>
      api.tipSolana(client, {
        // A site whose relay requires the human check: a fresh token per tip, asked for after the signature.
        ...humanCheckOption(this.#config?.humanCheck),
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
    if (this.#payMode && this.#target) {
      this.#backFromPay(this.#target)
      return
    }
    if (this.#busy || !this.#target) return
    const api = this.#api
    const client = this.#client
    if (this.state.status === 'success' && this.#offer) {
      // "Send another tip": back to the offer, with the balance the tip left.
      this.#set({ status: 'ready', offer: this.#offer })
      if (api && client) this.#rereadBalance(api, client)
      return
    }
    if (api && client && api.getSolanaAccount(client).status === 'connected') this.#prepare(api, client, ++this.#run)
    else this.start(this.#target)
  }

  /** Shows the offer once the page's Solana wallet is connected (by any widget), unless busy or paying by QR code. */
  #joinSession(): void {
    const api = loadedSolana()
    const target = this.#target
    if (this.#busy || this.#payMode || !target || !api || !pageAccount('solana')) return
    if (api.getSolanaAccount(this.#clientOf(api)).status === 'connected') this.start(target)
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
    loadSolanaSession().then(
      ({ trackSolanaSession }) => trackSolanaSession(api, client),
      () => {},
    )
    return client
  }

  #listWallets(): void {
    if (this.#busy) return
    this.#payMode = false
    const found = [
      ...standardWallets().map((w) => ({
        id: w.name,
        name: w.name,
        ...(typeof w.icon === 'string' && { icon: w.icon }),
      })),
      ...injectedSolanaWallets().map((w) => ({ id: w.name, name: w.name })),
    ]
    const wallets = this.#config?.walletConnect ? withWalletConnect(found, WALLETCONNECT_NAME) : found
    // At once, as the EVM widgets: a wallet that registers later replaces it (`watchStandardWallets`).
    const shown: TipState =
      wallets.length > 0 ? { status: 'choose-wallet', wallets, ...linksBesideMwa(found) } : noWallet('solana')
    this.#set(shown)
    // `remember`: the wallet of the last visit, reconnected without a prompt once it is on the page.
    const remembered = solanaWalletToRestore()
    if (remembered)
      Promise.all([loadSolana(), loadSolanaSession()]).then(
        ([api, { restoreSolanaSession }]) => restoreSolanaSession(api, this.#clientOf(api), remembered),
        () => {},
      )
    // No wallet in this browser (WalletConnect aside): Solana Pay too, when the relay serves this tip's link.
    if (found.length > 0) return
    const run = this.#run
    this.#servesPay().then((served) => {
      if (served && run === this.#run && this.state === shown) this.#set({ ...shown, solanaPay: true } as TipState)
    })
  }

  /**
   * Whether the relay serves this tip's Solana Pay link (its `GET` answers 200: the site lists the recipient and the
   * token); asked once per target, only for visitors without a wallet.
   */
  #servesPay(): Promise<boolean> {
    const config = this.#config
    const target = this.#target
    if (!config?.relayUrl || !config.siteKey || !target) return Promise.resolve(false)
    const page = { relayUrl: config.relayUrl, siteKey: config.siteKey }
    this.#payServed ??= loadSolanaPay().then(
      (pay) => pay.servesTip(page, target),
      () => false,
    )
    return this.#payServed
  }

  /** "Pay from any phone wallet" (Solana Pay): the token's decimals, then the presets as codes to show. */
  payByQr(): void {
    const target = this.#target
    const config = this.#config
    if (!target || this.#busy || !config) return
    const run = ++this.#run
    this.#busy = true
    this.#payMode = true
    this.#set({ status: 'loading' })
    const mint = target.token === 'native' ? undefined : target.token.slice(4)
    settle(
      this.#work(run),
      Promise.all([
        mint
          ? loadSolana().then((api) => api.tipTokenInfo(this.#clientOf(api), mint, config.splSymbols))
          : ([SOL_DECIMALS, 'SOL'] as const),
        loadSolanaPay(),
        loadQr(),
      ]),
      ([[decimals, symbol]]) => {
        const presets = this.#presets(target, decimals, mint)
        if (!presets) return
        this.#offer = {
          token: { address: target.token, symbol, decimals },
          recipient: target.to,
          presets,
          gasless: true,
          qr: true,
        }
        this.#set({ status: 'ready', offer: this.#offer })
      },
    )
  }

  /** The Solana Pay code for `amount` (a fresh reference each time), then the payment followed to its signature. */
  #showPayCode(amount: bigint): void {
    const config = this.#config
    const target = this.#target
    const offer = this.#offer
    if (!config?.relayUrl || !config.siteKey || !config.solanaRpcUrl || !target || !offer?.qr || this.#busy) return
    if (this.state.status !== 'ready' || amount <= 0n) return
    const page = {
      relayUrl: config.relayUrl,
      siteKey: config.siteKey,
      rpcUrl: config.solanaRpcUrl,
      explorerUrl: config.solanaExplorerUrl,
    }
    const run = ++this.#run
    const abort = new AbortController()
    this.#abort = abort
    this.#busy = true
    this.#set({ status: 'loading' })
    const work = this.#work(run)
    settle(
      work,
      Promise.all([loadSolanaPay(), loadQr()]).then(([pay, qr]) =>
        pay.payByCode(page, target, offer, amount, qr.renderQr, abort.signal, work),
      ),
      (success) => success && this.#set(success),
    )
  }

  /** One step back in Solana Pay mode: from the code (or its success) to the amounts, from there to the start. */
  #backFromPay(target: TipTarget): void {
    this.#run++
    this.#abort?.abort()
    this.#abort = undefined
    this.#busy = false
    const offer = this.#offer
    const status = this.state.status
    if ((status === 'qr' || status === 'success' || status === 'error') && offer?.qr) {
      this.#set({ status: 'ready', offer })
      return
    }
    this.start(target)
  }

  /**
   * Follows the account inside the wallet: a switch needs nothing here (core signs with the account
   * the wallet now reports), a disconnect from the wallet's side goes back to the wallet list
   * rather than leaving a Tip button that cannot work. A tip in flight finishes first.
   */
  #followAccount(api: SolanaApi, client: SolanaClient): void {
    this.#unwatchAccount?.()
    this.#unwatchAccount = api.watchSolanaAccount(client, (account) => {
      // Another account: its own balance (a tip from it checks against that).
      if (account.status === 'connected' && !this.#busy) this.#rereadBalance(api, client)
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
      api.tipTokenInfo(client, mint, this.#config?.splSymbols),
      api.readSolanaSpendBalance(client, target.token),
    ]).then(
      ([, [decimals, symbol], balance]) => {
        if (run !== this.#run) return
        const presets = this.#presets(target, decimals, mint)
        if (!presets) return
        this.#offer = {
          token: { address: target.token, symbol, decimals },
          recipient: target.to,
          presets,
          gasless: true,
          ...(balance && { balance }),
        }
        this.#set({ status: 'ready', offer: this.#offer })
      },
      (error: unknown) => {
        if (run === this.#run) this.#fail(error)
      },
    )
  }

  /** The offer again with the connected account's balance, read anew (after a tip, on an account switch). */
  #rereadBalance(api: SolanaApi, client: SolanaClient): void {
    const offer = this.#offer
    if (!offer || offer.qr || !this.#target) return
    api.readSolanaSpendBalance(client, this.#target.token).then((balance) => {
      if (!balance || this.#offer !== offer || this.state.status !== 'ready') return
      this.#offer = { ...offer, balance }
      this.#set({ status: 'ready', offer: this.#offer })
    })
  }

  /** The presets in base units, or undefined after showing why one does not fit the token. */
  #presets(target: TipTarget, decimals: number, mint: string | undefined): bigint[] | undefined {
    const presets = parsePresets(target.amounts, decimals, mint ? shortAddress(mint) : 'SOL')
    if (Array.isArray(presets)) return presets
    this.#set(presets)
    return undefined
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
    this.#set(this.#api?.unsupportedMintState(error) ?? errorState(error))
  }

  #set(state: TipState): void {
    this.state = state
    for (const listener of [...this.#listeners]) listener(state)
  }
}

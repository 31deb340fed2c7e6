// The wallet half every EVM widget controller shares (<token-claim>, <token-tip>, <token-buy>): EIP-6963 wallets
// before core is loaded, then core's connection, the chain check, and the page's refreshes. A controller
// extends it, draws its own states once the account is connected on the right chain (`onReady`) and sends its
// transaction with `write`. `follow` tracks any widget's transaction (the Solana tip's too).
import type { Via } from '../events.js'
import { chainName } from './chains.js'
import { getPageConfig, type TokenTagsPageConfig } from './config.js'
import { type CoreApi, type CoreClient, loadCore, loadedCore, onCoreLoaded } from './core-loader.js'
import { isPhone, type WalletLink, type WalletNetwork, walletLinks } from './deep-links.js'
import { type AnnouncedWallet, announcedWallets, requestWallets, watchAnnouncedWallets } from './eip6963.js'
import { describeError, isRetryable } from './messages.js'
import { claimRestore, pageAccount, rememberedWallet } from './page-session.js'
import { onRefresh, refreshAll } from './refresh.js'
import {
  countConnecting,
  openWalletConnect,
  type PairingState,
  WALLETCONNECT_ID,
  WALLETCONNECT_NAME,
  walletConnectConnecting,
} from './walletconnect-pairing.js'

export type { CoreClient }
export type Address = `0x${string}`

/** A wallet found through EIP-6963. */
export interface SessionWallet {
  id: string
  name: string
  icon?: string
}

/** The states every EVM widget shares. */
export type SessionState =
  | { status: 'loading' }
  | { status: 'no-wallet'; links?: WalletLink[] }
  /** `links`: wallet apps' links too, when the list alone may reach none (Android's MWA without a wallet app). */
  | { status: 'choose-wallet'; wallets: SessionWallet[]; links?: WalletLink[] }
  | { status: 'wrong-network'; chainId: number; chainName: string }
  | PairingState
  | ({ status: 'error'; code: string; message: string; retryable: boolean } & WriteOutcome)

/**
 * After a failed transaction (a claim, a tip, a buy): who paid for it. `paid`: `nobody` when nothing reached the chain,
 * else who sent the transaction `txHash` (its fee is spent even though it failed); `partial` when a first step (an
 * approval) went through before the rest failed. Set by core-api.ts, in the lazily loaded chain code.
 */
export interface WriteOutcome {
  paid?: 'nobody' | Via
  txHash?: Address
  explorerUrl?: string
  partial?: boolean
}

/** How long core's own wallet discovery may take to see a wallet the light discovery saw. */
const CONNECT_WAIT_MS = 2_000

export abstract class WalletSession<S extends { status: string }, T extends { chainId: number }> {
  state: S = { status: 'loading' } as unknown as S

  #listeners = new Set<(state: S) => void>()
  protected target?: T
  protected config?: TokenTagsPageConfig
  protected core?: CoreApi
  protected client?: CoreClient
  #cleanup: (() => void)[] = []
  #lightCleanup: (() => void)[] = []
  /** Bumped by every new piece of work: answers of older work are dropped. */
  protected run = 0
  protected abort?: AbortController
  protected busy = false

  /** Draws the widget's own states: the account is connected on the target chain. */
  protected abstract onReady(core: CoreApi, client: CoreClient, account: Address, run: number): void
  /** Whether a page refresh may re-read now (e.g. not while showing a success). */
  protected refreshable(): boolean {
    return true
  }

  subscribe(listener: (state: S) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  start(target: T): void {
    this.stop()
    this.target = target
    const config = getPageConfig()
    if (!config) {
      this.fail({ code: 'INVALID_PARAMETER' })
      return
    }
    this.config = config
    const core = loadedCore()
    if (core) {
      this.#startCore(core)
      return
    }
    this.#lightCleanup.push(
      watchAnnouncedWallets(() => this.#refreshLight()),
      onCoreLoaded((loaded) => this.#startCore(loaded)),
    )
    this.#refreshLight()
  }

  /**
   * `remember`: reconnects the wallet of the last visit without a prompt (`eth_accounts` only), once per page load and
   * only once that wallet has announced itself. Core loads for it; every EVM widget then follows the account.
   */
  #restore(): void {
    const config = this.config
    const walletId = config?.remember ? rememberedWallet('evm') : undefined
    if (!config || !walletId || pageAccount('evm')) return
    if (!announcedWallets().some((wallet) => wallet.rdns === walletId)) return
    if (!claimRestore('evm')) return
    loadCore()
      .then((core) => {
        const client = core.clientFor(config)
        return whenWalletKnown(core, client, walletId).then(() => core.reconnect(client, { walletId }))
      })
      .catch(() => {
        // A wallet that no longer trusts the page (or a failed download): the visitor picks a wallet as usual.
      })
  }

  stop(): void {
    this.run++
    this.abort?.abort()
    this.abort = undefined
    this.busy = false
    for (const fn of this.#lightCleanup.splice(0)) fn()
    for (const fn of this.#cleanup.splice(0)) fn()
    this.core = undefined
    this.client = undefined
  }

  chooseWallet(walletId: string): void {
    if (this.busy || !this.config) return
    const run = ++this.run
    this.busy = true
    this.set({ status: 'loading' } as unknown as S)
    const config = this.config
    const connected = loadCore().then(async (core) => {
      if (run !== this.run) return
      if (!this.core) this.#startCore(core)
      const client = this.client
      if (!client) return
      if (walletId !== WALLETCONNECT_ID || !config.walletConnect)
        return whenWalletKnown(core, client, walletId).then(() => core.connect(client, { walletId }))
      // Resolves once the phone approves; a cancel (the pairing view closes) gives the pairing up and rejects it.
      return countConnecting(async () => {
        const { off } = await openWalletConnect(config, (pairing) => {
          if (run === this.run) this.set(pairing as unknown as S)
        })
        try {
          return await core.connect(client, { walletId })
        } finally {
          off()
        }
      })
    })
    settle(this.#work(run), connected, () => this.refresh())
  }

  /** Leaves the pairing view for the wallet list; the view's leaving gives the pairing up (walletconnect-pairing.ts). */
  #cancelPairing(): void {
    this.run++
    this.busy = false
    if (this.core) this.refresh()
    else this.#refreshLight()
  }

  switchChain(): void {
    const core = this.core
    const client = this.client
    const target = this.target
    if (!core || !client || !target || this.busy) return
    const run = ++this.run
    this.busy = true
    settle(this.#work(run), core.switchChain(client, { chainId: target.chainId }), () => this.refresh())
  }

  /** Tries again; from the pairing view, cancels it (back to the wallets). */
  retry(): void {
    if (this.state.status === 'pairing') {
      this.#cancelPairing()
      return
    }
    if (this.busy) return
    if (!this.config && this.target) this.start(this.target)
    else if (!this.core) {
      requestWallets()
      this.#refreshLight()
    } else this.refresh()
  }

  /**
   * Core and the page's client, loading core if needed (for work that needs the chain but no wallet, e.g. a payment
   * by QR code); undefined when the page's configuration cannot make a client (the error is shown).
   */
  protected coreClient(): Promise<{ core: CoreApi; client: CoreClient } | undefined> {
    return loadCore().then((core) => {
      if (!this.core) this.#startCore(core)
      return this.core && this.client ? { core: this.core, client: this.client } : undefined
    })
  }

  /** The explorer of the target chain, if the page configured one. */
  protected explorerUrl(): string | undefined {
    return this.client?.chains.find((chain) => chain.id === this.target?.chainId)?.explorerUrl
  }

  /**
   * Sends the widget's transaction (`send` passes `signal` and `onStatus` on to core) and follows it: `signing`,
   * `pending` on the target chain's explorer, then the state `success` makes of the result, or the error.
   * @internal
   */
  protected write<R extends { txHash: Address; via: Via }>(
    signing: () => S,
    send: (options: { signal: AbortSignal; onStatus: (update: WriteUpdate) => void }) => Promise<R>,
    success: (result: R, explorerUrl: string | undefined) => S,
  ): void {
    const run = ++this.run
    const explorerUrl = this.explorerUrl()
    const abort = new AbortController()
    this.abort = abort
    this.busy = true
    follow(this.#work(run), (onStatus: (update: WriteUpdate) => void) => send({ signal: abort.signal, onStatus }), {
      signing,
      pending: (update, phase) =>
        ({
          status: 'pending',
          phase,
          via: update.via,
          ...(update.txHash && { txHash: update.txHash }),
          ...(explorerUrl && { explorerUrl }),
        }) as unknown as S,
      success: (result) => success(result, explorerUrl),
    })
  }

  /** Work `run` for `settle` and `follow`: current until newer work starts; its end frees the session. */
  #work(run: number): Work<S> {
    return {
      current: () => run === this.run,
      end: () => {
        this.busy = false
      },
      set: (s) => this.set(s),
      fail: (e) => this.fail(e),
    }
  }

  #startCore(core: CoreApi): void {
    if (this.core || !this.config) return
    for (const fn of this.#lightCleanup.splice(0)) fn()
    try {
      this.client = core.clientFor(this.config)
    } catch (error) {
      this.fail(error)
      return
    }
    this.core = core
    const client = this.client
    // The page's EVM session (account chip, remember): a small chunk of its own.
    import('./evm-session.js').then(
      ({ trackEvmSession }) => trackEvmSession(core, client),
      () => {},
    )
    this.#cleanup.push(
      core.watchWallets(client, () => {
        if (!this.busy && core.getAccount(client).status !== 'connected') this.refresh()
      }),
      core.watchAccount(client, (account, previous) => {
        if (this.busy) return
        if (
          account.address !== previous.address ||
          account.chainId !== previous.chainId ||
          account.status !== previous.status
        )
          this.refresh()
      }),
      onRefresh(() => {
        if (!this.busy && this.refreshable()) this.refresh()
      }),
    )
    if (!this.busy) this.refresh()
  }

  #refreshLight(): void {
    if (this.core || this.busy) return
    this.#offerWallets(announcedWallets().map(fromAnnounced))
    this.#restore()
  }

  /**
   * The wallets to choose from, else `no-wallet` at once: wallets answer EIP-6963's request synchronously, and
   * one that announces itself later replaces it (the watchers refresh). Waiting longer only delays the
   * visitor's first sight of the widget.
   */
  #offerWallets(found: SessionWallet[]): void {
    const wallets = this.config?.walletConnect ? withWalletConnect(found, WALLETCONNECT_ID) : found
    this.set((wallets.length > 0 ? { status: 'choose-wallet', wallets } : noWallet('evm')) as unknown as S)
  }

  /** Re-checks the wallet and chain, then hands over to `onReady`. */
  protected refresh(): void {
    const core = this.core
    const client = this.client
    const target = this.target
    if (!core || !client || !target) return
    const run = ++this.run
    const account = core.getAccount(client)
    const connecting = account.status === 'connecting' || account.status === 'reconnecting'
    if (connecting && !walletConnectConnecting()) {
      this.set({ status: 'loading' } as unknown as S)
      return
    }
    if (connecting || account.status !== 'connected' || !account.address) {
      this.#offerWallets(core.getWallets(client).map(toWallet))
      return
    }
    if (account.chainId !== target.chainId) {
      const configured = client.chains.find((chain) => chain.id === target.chainId)?.name
      this.set({
        status: 'wrong-network',
        chainId: target.chainId,
        chainName: chainName(target.chainId, configured),
      } as unknown as S)
      return
    }
    this.onReady(core, client, account.address, run)
  }

  protected fail(error: unknown): void {
    // A failed claim, tip or buy says who paid (core-api.ts puts it on the error); its transaction links to the explorer.
    const outcome = (error as { outcome?: WriteOutcome } | null)?.outcome
    const explorerUrl = outcome?.txHash && this.explorerUrl()
    this.set({ ...errorState(error), ...outcome, ...(explorerUrl && { explorerUrl }) } as unknown as S)
  }

  protected set(state: S): void {
    this.state = state
    for (const listener of [...this.#listeners]) listener(state)
  }
}

/** What core reports while it sends a transaction (`onStatus`). */
export interface WriteUpdate {
  status: string
  via: Via
  txHash?: Address
}

/**
 * A controller's latest piece of work (connecting, switching the network, a transaction), as `settle` and `follow`
 * see it: its answers count only while it is `current`, and it `end`s (frees the controller) with its outcome.
 * @internal
 */
export interface Work<S> {
  current(): boolean
  end(): void
  set(state: S): void
  fail(error: unknown): void
}

/**
 * Ends `work` with the outcome of `promise`: `done` with its result, else the error. Dropped if newer work started.
 * @internal
 */
export function settle<R>(work: Work<unknown>, promise: Promise<R>, done: (result: R) => void): void {
  promise.then(
    (result) => {
      if (!work.current()) return
      work.end()
      done(result)
    },
    (error: unknown) => {
      if (!work.current()) return
      work.end()
      work.fail(error)
    },
  )
}

/**
 * Follows a widget's transaction (a claim, a tip, a buy): `signing` while the wallet asks, `pending` once the relay
 * queued it or it was submitted, then `success` (and the page's widgets re-read: they may show the same vault, token
 * or sale) or the error. `write` starts it with the `onStatus` to pass on.
 * @internal
 */
export function follow<S, U extends { status: string }, R>(
  work: Work<S>,
  write: (onStatus: (update: U) => void) => Promise<R>,
  states: {
    signing: () => NoInfer<S>
    pending: (update: U, phase: 'queued' | 'submitted') => NoInfer<S>
    success: (result: R) => NoInfer<S>
  },
): void {
  work.set(states.signing())
  const sent = write((update) => {
    if (!work.current()) return
    const phase: string = update.status
    if (phase === 'signing') work.set(states.signing())
    else if (phase === 'queued' || phase === 'submitted') work.set(states.pending(update, phase))
  })
  settle(work, sent, (result) => {
    work.set(states.success(result))
    refreshAll()
  })
}

/**
 * The `no-wallet` state; on a phone, with the links that reopen the page in the wallet apps of `network`.
 * @internal
 */
export function noWallet(network: WalletNetwork): { status: 'no-wallet'; links?: WalletLink[] } {
  const links = isPhone() && typeof location !== 'undefined' ? walletLinks(network, location.href) : []
  return links.length ? { status: 'no-wallet', links } : { status: 'no-wallet' }
}

/** The `error` state of what went wrong, in the words of `describeError`. @internal */
export function errorState(error: unknown): { status: 'error'; code: string; message: string; retryable: boolean } {
  const { code, message } = describeError(error)
  return { status: 'error', code, message, retryable: isRetryable(code) }
}

/** Resolves once core's own discovery lists `walletId` (at most `CONNECT_WAIT_MS`; connect then reports). */
function whenWalletKnown(core: CoreApi, client: CoreClient, walletId: string): Promise<void> {
  const known = () => core.getWallets(client).some((wallet) => wallet.id === walletId)
  if (known()) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(finish, CONNECT_WAIT_MS)
    const unwatch = core.watchWallets(client, () => known() && finish())
    function finish() {
      clearTimeout(timer)
      unwatch()
      resolve()
    }
  })
}

/**
 * `wallets` with WalletConnect last (`id`: core's EVM id, or the Solana wallet's name), once: core lists it itself
 * after a first pick.
 * @internal
 */
export function withWalletConnect(wallets: SessionWallet[], id: string): SessionWallet[] {
  const listed = wallets.find((wallet) => wallet.id === id)
  return [...wallets.filter((wallet) => wallet !== listed), listed ?? { id, name: WALLETCONNECT_NAME }]
}

function fromAnnounced(wallet: AnnouncedWallet): SessionWallet {
  return { id: wallet.rdns, name: wallet.name, ...(wallet.icon && { icon: wallet.icon }) }
}

function toWallet(wallet: { id: string; name: string; icon: string | undefined }): SessionWallet {
  return { id: wallet.id, name: wallet.name, ...(wallet.icon && { icon: wallet.icon }) }
}

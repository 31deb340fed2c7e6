import { chainName } from '../internal/chains.js'
import { getPageConfig, type TokenTagsPageConfig } from '../internal/config.js'
import { type CoreApi, loadCore, loadedCore, onCoreLoaded } from '../internal/core-loader.js'
import { type AnnouncedWallet, announcedWallets, requestWallets, watchAnnouncedWallets } from '../internal/eip6963.js'
import { describeError, isRetryable } from '../internal/messages.js'
import { onRefresh, refreshAll, sharedRead } from '../internal/refresh.js'
import type { ClaimController, ClaimState, ClaimSummary, ClaimTarget, ClaimWallet } from './claim-state.js'

type Client = ReturnType<CoreApi['clientFor']>
type Summary = Awaited<ReturnType<CoreApi['getVestingSchedules']>>

/** How long to wait for EIP-6963 announcements before saying there is no wallet. */
const WALLET_GRACE_MS = 400
/** How long core's own wallet discovery may take to see a wallet the light discovery saw. */
const CONNECT_WAIT_MS = 2_000

const clientIds = new WeakMap<object, number>()
let nextClientId = 0
const clientId = (client: object) => {
  let id = clientIds.get(client)
  if (id === undefined) {
    id = ++nextClientId
    clientIds.set(client, id)
  }
  return id
}

/**
 * The default `<token-claim>` controller. Until the user picks a wallet it only listens to
 * EIP-6963 announcements (no chain code downloaded); then it loads `@tokentags/core` (shared
 * by every widget on the page) for the connection, the reads and the claim.
 */
export class CoreClaimController implements ClaimController {
  state: ClaimState = { status: 'loading' }

  #listeners = new Set<(state: ClaimState) => void>()
  #target?: ClaimTarget
  #config?: TokenTagsPageConfig
  #core?: CoreApi
  #client?: Client
  #cleanup: (() => void)[] = []
  #lightCleanup: (() => void)[] = []
  #run = 0
  #startedAt = 0
  #graceTimer?: ReturnType<typeof setTimeout>
  #summary?: Summary
  #abort?: AbortController
  #busy = false

  subscribe(listener: (state: ClaimState) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  start(target: ClaimTarget): void {
    this.stop()
    this.#target = target
    const config = getPageConfig()
    if (!config) {
      this.#fail({ code: 'INVALID_PARAMETER' })
      return
    }
    this.#config = config
    this.#startedAt = Date.now()
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

  stop(): void {
    this.#run++
    this.#abort?.abort()
    this.#abort = undefined
    this.#busy = false
    clearTimeout(this.#graceTimer)
    for (const fn of this.#lightCleanup.splice(0)) fn()
    for (const fn of this.#cleanup.splice(0)) fn()
    this.#core = undefined
    this.#client = undefined
  }

  chooseWallet(walletId: string): void {
    if (this.#busy || !this.#config) return
    const run = ++this.#run
    this.#busy = true
    this.#set({ status: 'loading' })
    const done = () => {
      if (run !== this.#run) return
      this.#busy = false
      this.#refresh()
    }
    const failed = (error: unknown) => {
      if (run !== this.#run) return
      this.#busy = false
      this.#fail(error)
    }
    loadCore()
      .then((core) => {
        if (run !== this.#run) return
        if (!this.#core) this.#startCore(core)
        const client = this.#client
        if (!client) return
        return whenWalletKnown(core, client, walletId).then(() => core.connect(client, { walletId }))
      })
      .then(done, failed)
  }

  switchChain(): void {
    const core = this.#core
    const client = this.#client
    const target = this.#target
    if (!core || !client || !target || this.#busy) return
    const run = ++this.#run
    this.#busy = true
    core.switchChain(client, { chainId: target.chainId }).then(
      () => {
        if (run !== this.#run) return
        this.#busy = false
        this.#refresh()
      },
      (error: unknown) => {
        if (run !== this.#run) return
        this.#busy = false
        this.#fail(error)
      },
    )
  }

  claim(): void {
    const core = this.#core
    const client = this.#client
    const target = this.#target
    const summary = this.#summary
    if (!core || !client || !target || !summary || this.state.status !== 'claimable' || this.#busy) return
    const run = ++this.#run
    const shown = this.#toSummary(summary)
    const explorerUrl = client.chains.find((chain) => chain.id === target.chainId)?.explorerUrl
    const abort = new AbortController()
    this.#abort = abort
    this.#busy = true
    this.#set({ status: 'signing', summary: shown })
    core
      .claim(client, {
        chainId: target.chainId,
        vault: target.vault,
        scheduleIds: summary.schedules.filter((s) => s.claimable > 0n).map((s) => s.id),
        ...(target.gasless && { gasless: target.gasless }),
        signal: abort.signal,
        onStatus: (update) => {
          if (run !== this.#run) return
          if (update.status === 'signing') this.#set({ status: 'signing', summary: shown })
          else if (update.status === 'queued' || update.status === 'submitted') {
            this.#set({
              status: 'pending',
              phase: update.status,
              via: update.via,
              ...(update.txHash && { txHash: update.txHash }),
              ...(explorerUrl && { explorerUrl }),
            })
          }
        },
      })
      .then(
        (result) => {
          if (run !== this.#run) return
          this.#busy = false
          this.#set({
            status: 'success',
            amount: summary.claimable,
            token: shown.token,
            txHash: result.txHash,
            via: result.via,
            ...(explorerUrl && { explorerUrl }),
          })
          // Other widgets of the page may show the same vault or token: they re-read together.
          refreshAll()
        },
        (error: unknown) => {
          if (run !== this.#run) return
          this.#busy = false
          this.#fail(error)
        },
      )
  }

  retry(): void {
    if (this.#busy) return
    if (!this.#config && this.#target) this.start(this.#target)
    else if (!this.#core) {
      this.#startedAt = Date.now()
      requestWallets()
      this.#refreshLight()
    } else this.#refresh()
  }

  /** Switches from the light wallet listener to core (loaded by this widget or another one). */
  #startCore(core: CoreApi): void {
    if (this.#core || !this.#config) return
    for (const fn of this.#lightCleanup.splice(0)) fn()
    try {
      this.#client = core.clientFor(this.#config)
    } catch (error) {
      this.#fail(error)
      return
    }
    this.#core = core
    const client = this.#client
    this.#cleanup.push(
      core.watchWallets(client, () => {
        if (!this.#busy && core.getAccount(client).status !== 'connected') this.#refresh()
      }),
      core.watchAccount(client, (account, previous) => {
        if (this.#busy) return
        if (
          account.address !== previous.address ||
          account.chainId !== previous.chainId ||
          account.status !== previous.status
        )
          this.#refresh()
      }),
      onRefresh(() => {
        if (!this.#busy && this.state.status !== 'success') this.#refresh()
      }),
    )
    if (!this.#busy) this.#refresh()
  }

  #refreshLight(): void {
    if (this.#core || this.#busy) return
    clearTimeout(this.#graceTimer)
    const wallets = announcedWallets()
    if (wallets.length > 0) {
      this.#set({ status: 'choose-wallet', wallets: wallets.map(fromAnnounced) })
      return
    }
    const waited = Date.now() - this.#startedAt
    if (waited < WALLET_GRACE_MS) {
      this.#set({ status: 'loading' })
      this.#graceTimer = setTimeout(() => this.#refreshLight(), WALLET_GRACE_MS - waited)
    } else {
      this.#set({ status: 'no-wallet' })
    }
  }

  #refresh(): void {
    const core = this.#core
    const client = this.#client
    const target = this.#target
    if (!core || !client || !target) return
    const run = ++this.#run
    clearTimeout(this.#graceTimer)
    const account = core.getAccount(client)
    if (account.status === 'connecting' || account.status === 'reconnecting') {
      this.#set({ status: 'loading' })
      return
    }
    if (account.status !== 'connected' || !account.address) {
      const wallets = core.getWallets(client)
      if (wallets.length > 0) {
        this.#set({ status: 'choose-wallet', wallets: wallets.map(toClaimWallet) })
        return
      }
      const waited = Date.now() - this.#startedAt
      if (waited < WALLET_GRACE_MS) {
        this.#set({ status: 'loading' })
        this.#graceTimer = setTimeout(() => this.#refresh(), WALLET_GRACE_MS - waited)
      } else {
        this.#set({ status: 'no-wallet' })
      }
      return
    }
    if (account.chainId !== target.chainId) {
      const configured = client.chains.find((chain) => chain.id === target.chainId)?.name
      this.#set({ status: 'wrong-network', chainId: target.chainId, chainName: chainName(target.chainId, configured) })
      return
    }
    if (this.state.status !== 'claimable' && this.state.status !== 'nothing-to-claim') this.#set({ status: 'loading' })
    const beneficiary = account.address
    const key = `${clientId(client)}:${target.chainId}:${target.vault.toLowerCase()}:${beneficiary.toLowerCase()}`
    // Widgets of the same vault and account share one read; the others share JSON-RPC batches.
    sharedRead(key, () =>
      core.getVestingSchedules(client, { chainId: target.chainId, vault: target.vault, beneficiary }),
    ).then(
      (summary) => {
        if (run !== this.#run) return
        this.#summary = summary
        const shown = this.#toSummary(summary)
        this.#set(
          summary.claimable > 0n
            ? { status: 'claimable', summary: shown }
            : { status: 'nothing-to-claim', summary: shown },
        )
      },
      (error: unknown) => {
        if (run === this.#run) this.#fail(error)
      },
    )
  }

  #toSummary(summary: Summary): ClaimSummary {
    const client = this.#client
    const relay = !!client?.relayUrl && (this.#target?.gasless ?? client.gasless) !== 'never'
    return {
      token: summary.token,
      total: summary.total,
      vested: summary.vested,
      released: summary.released,
      claimable: summary.claimable,
      ...(summary.nextUnlock && { nextUnlock: summary.nextUnlock }),
      gasless: relay,
    }
  }

  #fail(error: unknown): void {
    const { code, message } = describeError(error)
    this.#set({ status: 'error', code, message, retryable: isRetryable(code) })
  }

  #set(state: ClaimState): void {
    this.state = state
    for (const listener of [...this.#listeners]) listener(state)
  }
}

/** Resolves once core's own discovery lists `walletId` (at most `CONNECT_WAIT_MS`; connect then reports). */
function whenWalletKnown(core: CoreApi, client: Client, walletId: string): Promise<void> {
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

function fromAnnounced(wallet: AnnouncedWallet): ClaimWallet {
  return { id: wallet.rdns, name: wallet.name, ...(wallet.icon && { icon: wallet.icon }) }
}

function toClaimWallet(wallet: { id: string; name: string; icon: string | undefined }): ClaimWallet {
  return { id: wallet.id, name: wallet.name, ...(wallet.icon && { icon: wallet.icon }) }
}

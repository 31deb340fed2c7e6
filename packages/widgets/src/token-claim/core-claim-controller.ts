import {
  claim,
  connect,
  getAccount,
  getVestingSchedules,
  getWallets,
  switchChain,
  type TokenTagsClient,
  type VestingSummary,
  watchAccount,
  watchWallets,
} from '@tokentags/core'
import { chainName } from '../internal/chains.js'
import { getPageConfig } from '../internal/config.js'
import { clientFor } from '../internal/core-client.js'
import { describeError, isRetryable } from '../internal/messages.js'
import type { ClaimController, ClaimState, ClaimSummary, ClaimTarget, ClaimWallet } from './claim-state.js'

/** How long to wait for EIP-6963 announcements before saying there is no wallet. */
const WALLET_GRACE_MS = 400

/** The default `<token-claim>` controller: wallets, reads and claims through `@tokentags/core`. */
export class CoreClaimController implements ClaimController {
  state: ClaimState = { status: 'loading' }

  #listeners = new Set<(state: ClaimState) => void>()
  #target?: ClaimTarget
  #client?: TokenTagsClient
  #cleanup: (() => void)[] = []
  #run = 0
  #startedAt = 0
  #graceTimer?: ReturnType<typeof setTimeout>
  #summary?: VestingSummary
  #abort?: AbortController
  #busy = false

  subscribe(listener: (state: ClaimState) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  start(target: ClaimTarget): void {
    this.stop()
    this.#target = target
    try {
      const config = getPageConfig()
      if (!config) throw Object.assign(new Error('TokenTags is not configured'), { code: 'INVALID_PARAMETER' })
      this.#client = clientFor(config)
    } catch (error) {
      this.#fail(error)
      return
    }
    const client = this.#client
    this.#startedAt = Date.now()
    this.#cleanup.push(
      watchWallets(client, () => {
        if (!this.#busy && getAccount(client).status !== 'connected') this.#refresh()
      }),
      watchAccount(client, (account, previous) => {
        if (this.#busy) return
        if (account.address !== previous.address || account.chainId !== previous.chainId) this.#refresh()
        else if (account.status !== previous.status) this.#refresh()
      }),
    )
    this.#refresh()
  }

  stop(): void {
    this.#run++
    this.#abort?.abort()
    this.#abort = undefined
    this.#busy = false
    clearTimeout(this.#graceTimer)
    for (const fn of this.#cleanup.splice(0)) fn()
  }

  chooseWallet(walletId: string): void {
    const client = this.#client
    if (!client || this.#busy) return
    const run = ++this.#run
    this.#busy = true
    this.#set({ status: 'loading' })
    connect(client, { walletId }).then(
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

  switchChain(): void {
    const client = this.#client
    const target = this.#target
    if (!client || !target || this.#busy) return
    const run = ++this.#run
    this.#busy = true
    switchChain(client, { chainId: target.chainId }).then(
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
    const client = this.#client
    const target = this.#target
    const summary = this.#summary
    if (!client || !target || !summary || this.state.status !== 'claimable' || this.#busy) return
    const run = ++this.#run
    const shown = this.#toSummary(summary)
    const explorerUrl = client.chains.find((chain) => chain.id === target.chainId)?.explorerUrl
    const abort = new AbortController()
    this.#abort = abort
    this.#busy = true
    this.#set({ status: 'signing', summary: shown })
    claim(client, {
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
    }).then(
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
    if (!this.#client && this.#target) this.start(this.#target)
    else this.#refresh()
  }

  #refresh(): void {
    const client = this.#client
    const target = this.#target
    if (!client || !target) return
    const run = ++this.#run
    clearTimeout(this.#graceTimer)
    const account = getAccount(client)
    if (account.status === 'connecting' || account.status === 'reconnecting') {
      this.#set({ status: 'loading' })
      return
    }
    if (account.status !== 'connected' || !account.address) {
      const wallets = getWallets(client)
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
    getVestingSchedules(client, { chainId: target.chainId, vault: target.vault, beneficiary: account.address }).then(
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

  #toSummary(summary: VestingSummary): ClaimSummary {
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

function toClaimWallet(wallet: { id: string; name: string; icon: string | undefined }): ClaimWallet {
  return { id: wallet.id, name: wallet.name, ...(wallet.icon && { icon: wallet.icon }) }
}

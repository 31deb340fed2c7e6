import { getPageConfig } from '../internal/config.js'
import { type CoreApi, loadCore } from '../internal/core-loader.js'
import { gaslessErrorState, isGaslessError, RELAY_PROBE_MS } from '../internal/gasless-fallback.js'
import { sharedRead } from '../internal/refresh.js'
import { type Address, type CoreClient, errorState, WalletSession } from '../internal/wallet-session.js'
import { wrongContract } from '../internal/wrong-contract.js'
import type { AddressLookup, ClaimController, ClaimState, ClaimSummary, ClaimTarget } from './claim-state.js'

type Summary = Awaited<ReturnType<CoreApi['getVestingSchedules']>>

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

  // The wallet session every EVM widget shares, with the claim's own states (see `ClaimSession`).
  readonly #session = new ClaimSession()
  #listeners = new Set<(state: ClaimState) => void>()
  #target?: ClaimTarget
  /** "Check an address": shown with the wallet states until the target changes or a wallet connects. */
  #lookup?: AddressLookup
  /** Bumped by each lookup, start and stop: answers of an older one are dropped. */
  #lookupRun = 0

  constructor() {
    this.#session.subscribe(() => this.#publish())
  }

  subscribe(listener: (state: ClaimState) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  start(target: ClaimTarget): void {
    this.#target = target
    this.#lookupRun++
    this.#lookup = undefined
    this.#session.start(target)
  }

  stop(): void {
    this.#lookupRun++
    this.#session.stop()
  }

  lookup(address: Address): void {
    const target = this.#target
    const config = getPageConfig()
    if (!target || !config || !/^0x[0-9a-fA-F]{40}$/.test(address)) return
    const run = ++this.#lookupRun
    this.#lookup = { status: 'checking', address }
    this.#publish()
    const done = (lookup: AddressLookup) => {
      if (run !== this.#lookupRun) return
      this.#lookup = lookup
      this.#publish()
    }
    // Read-only, through the page's RPC: no wallet, no signature. The summary is the one a connected wallet sees.
    loadCore()
      .then(async (core) => {
        const client = core.clientFor(config)
        try {
          const summary = await core.getVestingSchedules(client, {
            chainId: target.chainId,
            vault: target.vault,
            beneficiary: address,
          })
          done({ status: 'found', address, summary: toSummary(summary, false) })
        } catch (error) {
          const wrong = await wrongContract(core, client, target.chainId, target.vault, 'vesting-vault')
          const { code, message } = wrong ?? errorState(error)
          done({ status: 'failed', address, code, message })
        }
      })
      .catch((error: unknown) => {
        const { code, message } = errorState(error)
        done({ status: 'failed', address, code, message })
      })
  }

  /** The session's state, with the lookup while no wallet is connected. */
  #publish(): void {
    const state = this.#session.state
    const shown: ClaimState =
      this.#lookup && (state.status === 'no-wallet' || state.status === 'choose-wallet')
        ? { ...state, lookup: this.#lookup }
        : state
    this.state = shown
    for (const listener of [...this.#listeners]) listener(shown)
  }

  chooseWallet(walletId: string): void {
    this.#session.chooseWallet(walletId)
  }

  switchChain(): void {
    this.#session.switchChain()
  }

  claim(): void {
    this.#session.claim()
  }

  payGas(): void {
    this.#session.payGas()
  }

  retry(): void {
    this.#session.retry()
  }
}

/** `<token-claim>`'s states once the account is connected on the vault's chain: its vesting, then the claim. */
class ClaimSession extends WalletSession<ClaimState, ClaimTarget> {
  #summary?: Summary
  /** Whether the relay serves this chain for this page (`checkRelay`): only then does the card promise no gas. */
  #gasless = false

  protected override refreshable(): boolean {
    return this.state.status !== 'success'
  }

  protected override onReady(core: CoreApi, client: CoreClient, beneficiary: Address, run: number): void {
    const target = this.target
    if (!target) return
    if (this.state.status !== 'claimable' && this.state.status !== 'nothing-to-claim') this.set({ status: 'loading' })
    const key = `${clientId(client)}:${target.chainId}:${target.vault.toLowerCase()}:${beneficiary.toLowerCase()}`
    // Widgets of the same vault and account share one read; the others share JSON-RPC batches.
    const summaryRead = sharedRead(key, () =>
      core.getVestingSchedules(client, { chainId: target.chainId, vault: target.vault, beneficiary }),
    )
    const relayRead = core
      .checkRelay(client, {
        chainId: target.chainId,
        ...(target.gasless && { gasless: target.gasless }),
        signal: AbortSignal.timeout(RELAY_PROBE_MS),
      })
      .catch(() => false)
    Promise.all([summaryRead, relayRead]).then(
      ([summary, gasless]) => {
        if (run !== this.run) return
        this.#summary = summary
        this.#gasless = gasless
        const shown = this.#toSummary(summary)
        this.set(
          summary.claimable > 0n
            ? { status: 'claimable', summary: shown }
            : { status: 'nothing-to-claim', summary: shown },
        )
      },
      async (error: unknown) => {
        const wrong = await wrongContract(core, client, target.chainId, target.vault, 'vesting-vault')
        if (run === this.run) wrong ? this.set(wrong) : this.fail(error)
      },
    )
  }

  claim(): void {
    if (this.state.status === 'claimable') this.#send(undefined)
  }

  /** The visitor chose to pay the gas after the relay could not take the claim. */
  payGas(): void {
    const state = this.state
    if (isGaslessError(state) && state.gasless.pay?.affordable) this.#send('never')
  }

  protected override fail(error: unknown): void {
    const target = this.target
    const offer = (target?.fallback ?? this.config?.fallback ?? 'wallet') === 'wallet'
    const symbol = this.client?.chains.find((chain) => chain.id === target?.chainId)?.nativeCurrency?.symbol ?? 'ETH'
    const state = gaslessErrorState(error, this.core?.relayFailure(error), offer, symbol)
    if (state) this.set(state)
    else super.fail(error)
  }

  #send(gasless: 'never' | undefined): void {
    const core = this.core
    const client = this.client
    const target = this.target
    const summary = this.#summary
    if (!core || !client || !target || !summary || this.busy) return
    const shown = this.#toSummary(summary)
    this.write(
      () => ({ status: 'signing', summary: shown }),
      (options) =>
        core.claim(client, {
          chainId: target.chainId,
          vault: target.vault,
          scheduleIds: summary.schedules.filter((s) => s.claimable > 0n).map((s) => s.id),
          ...((gasless ?? target.gasless) && { gasless: gasless ?? target.gasless }),
          ...options,
        }),
      (result, explorerUrl) => ({
        status: 'success',
        amount: summary.claimable,
        token: shown.token,
        txHash: result.txHash,
        via: result.via,
        ...(explorerUrl && { explorerUrl }),
      }),
    )
  }

  #toSummary(summary: Summary): ClaimSummary {
    return toSummary(summary, this.#gasless)
  }
}

function toSummary(summary: Summary, gasless: boolean): ClaimSummary {
  return {
    token: summary.token,
    total: summary.total,
    vested: summary.vested,
    released: summary.released,
    claimable: summary.claimable,
    ...(summary.nextUnlock && { nextUnlock: summary.nextUnlock }),
    gasless,
  }
}

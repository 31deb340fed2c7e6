// Forms and sends batches: a worker per relayer key claims queued requests, screens them, packs
// what fits into one `executeBatch`, journals it and hands it to tracking. The other rooms beside
// this file: keyLeases (locking), relayerNonce (nonces, fillers), tracking and replacement (until
// final), screening, settlement (each request's outcome and share of gas).
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { forwarderAbi } from '@tokentags/contracts'
import type { Logger } from 'pino'
import { type Address, encodeFunctionData, keccak256 } from 'viem'
import { safeError } from '../../errors.js'
import type { JournalEntry, LeaseFence, StoredRequest } from '../../store/types.js'
import type { Relayer } from '../chain.js'
import { type Fees, suggestFees } from '../fees.js'
import { batchGasLimit } from '../gas.js'
import { toForwardRequestData } from '../simulate.js'
import { KeyLease, KeySharing } from './keyLeases.js'
import { type BatcherDeps, type KeyState, type Tracked, tracked } from './keyState.js'
import { recover } from './relayerNonce.js'
import { screen } from './screening.js'
import { broadcast, track } from './tracking.js'

export type { BatcherDeps } from './keyState.js'

export function defaultInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`
}

/**
 * Drains one chain's queue into `executeBatch` transactions. Each relayer key has a worker that
 * sends only while it holds the key's lease in the store, journals every signed transaction before
 * broadcasting it, and follows it until it is final (re-broadcasting, bumping fees, re-tracking
 * after a reorg). Any number of relay processes can share one store.
 */
export class ChainBatcher {
  private readonly workers: KeyWorker[]
  private readonly log: Logger
  private running = false

  constructor(deps: BatcherDeps) {
    this.log = deps.logger.child({ component: 'batcher', chainId: deps.chain.chainId })
    const instanceId = deps.instanceId ?? defaultInstanceId()
    const sharing = new KeySharing(deps, deps.chain.chainId, instanceId)
    this.workers = deps.chain.relayers.map((relayer) => new KeyWorker(deps, relayer, instanceId, this.log, sharing))
  }

  start(): void {
    if (this.running) return
    if (this.workers.length === 0) {
      this.log.warn('no relayer keys: requests will queue but never be sent')
      return
    }
    this.running = true
    for (const worker of this.workers) worker.start()
  }

  /** Tells the batcher a request was queued, so a full batch goes out without waiting. */
  notify(): void {
    for (const worker of this.workers) worker.wake()
  }

  /** Stops after the step in flight; journaled transactions stay tracked by whoever takes the keys next. */
  async stop(): Promise<void> {
    this.running = false
    await Promise.all(this.workers.map((w) => w.stop()))
  }

  /** Relayer addresses whose lease this process holds now. */
  heldKeys(): Address[] {
    return this.workers.filter((w) => w.isHeld()).map((w) => w.address)
  }

  /** Unconfirmed transactions this process tracks. */
  inFlight(): number {
    return this.workers.reduce((n, w) => n + w.inFlightCount(), 0)
  }
}

class KeyWorker implements KeyState {
  readonly address: Address
  readonly log: Logger
  readonly inflight = new Map<number, Tracked>()
  readonly seenNonces = new Map<string, bigint>()
  nextNonce = 0
  holding = false
  private readonly lease: KeyLease
  private running = false
  private loop: Promise<void> | undefined
  private wakeFn: (() => void) | undefined
  private wakeRequested = false
  private lastBalanceAt = 0

  constructor(
    readonly deps: BatcherDeps,
    readonly relayer: Relayer,
    instanceId: string,
    parentLog: Logger,
    private readonly sharing: KeySharing,
  ) {
    this.address = relayer.account.address
    this.log = parentLog.child({ relayer: this.address })
    this.lease = new KeyLease({ ...deps, log: this.log }, this.address, instanceId, sharing)
  }

  get fence(): LeaseFence {
    return this.lease.fence
  }

  isHeld(): boolean {
    return this.lease.isHeld()
  }

  lose(reason: string): void {
    if (this.lease.lose(reason)) this.inflight.clear()
  }

  inFlightCount(): number {
    // A lease lost in the background leaves its entries to the next holder (recovery starts afresh).
    return this.isHeld() ? this.inflight.size : 0
  }

  start(): void {
    this.running = true
    this.loop = this.run()
    this.lease.startRenewing()
  }

  wake(): void {
    this.wakeRequested = true
    this.wakeFn?.()
  }

  async stop(): Promise<void> {
    this.running = false
    this.wake()
    await this.loop
    await this.lease.release()
  }

  private async run(): Promise<void> {
    while (this.running) {
      let delay = this.deps.batch.pollIntervalMs
      try {
        delay = await this.step()
      } catch (error) {
        this.log.error({ error: safeError(error) }, 'relayer step failed; retrying')
        delay = 1000
      }
      await this.sleep(delay)
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakeRequested || !this.running) {
      this.wakeRequested = false
      return Promise.resolve()
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.wakeFn = undefined
        this.wakeRequested = false
        resolve()
      }
      const timer = setTimeout(done, Math.max(0, ms))
      this.wakeFn = done
    })
  }

  /** One round: hold the lease, follow transactions in flight, maybe send a batch. Returns the next delay. */
  private async step(): Promise<number> {
    const { batch, stores, chain } = this.deps
    if (!(await this.lease.take(() => recover(this, (t) => broadcast(this, t))))) {
      await this.sharing.keyNotAcquired()
      return Math.max(100, batch.keyLeaseMs / 3)
    }
    if (await this.sharing.shouldYield()) {
      // Hand the key over; its journal (transactions in flight) goes with it.
      this.log.info('handing this relayer key to an instance that has none')
      this.inflight.clear()
      await this.lease.handOver()
      return batch.keyLeaseMs
    }
    if (Date.now() - this.lastBalanceAt > 15_000) {
      this.lastBalanceAt = Date.now()
      chain.publicClient.getBalance({ address: this.address }).then(
        (wei) => this.deps.metrics.relayerBalance(chain.chainId, this.address, wei),
        () => {},
      )
    }
    if (this.inflight.size > 0) await track(this)
    if (!this.isHeld() || !this.running) return 0
    if (this.inflight.size >= batch.maxInFlight) return batch.pollIntervalMs
    const stats = await stores.queue.queueStats(chain.chainId)
    this.deps.metrics.queueDepth(chain.chainId, stats.depth)
    if (stats.depth === 0) return batch.pollIntervalMs
    const age = Date.now() - (stats.oldestAt ?? Date.now())
    if (stats.depth < batch.maxSize && age < batch.maxWaitMs) {
      return Math.min(batch.maxWaitMs - age, this.inflight.size > 0 ? batch.pollIntervalMs : Number.POSITIVE_INFINITY)
    }
    const sent = await this.claimAndSend()
    return sent ? 0 : batch.pollIntervalMs
  }

  private async claimAndSend(): Promise<boolean> {
    const { chain, stores, batch, metrics } = this.deps
    const fees = await suggestFees(chain.publicClient, chain.fees)
    if (fees.hold) {
      if (!this.holding) {
        this.log.warn(
          { baseFee: fees.baseFee, ceiling: chain.fees.maxFeePerGas },
          'base fee above the ceiling; holding',
        )
      }
      this.holding = true
      metrics.feeHold(chain.chainId)
      return false
    }
    if (this.holding) this.log.info('base fee back under the ceiling; sending again')
    this.holding = false
    const owner = `${this.fence.owner}:${randomUUID()}`
    const claimed = await stores.queue.claimBatch(chain.chainId, {
      max: batch.maxSize,
      leaseMs: batch.claimLeaseMs,
      owner,
    })
    if (claimed.length === 0) return false
    return this.send(claimed, owner, fees)
  }

  /** Screens, packs, signs, journals (fenced) and broadcasts one batch. False when nothing was sent. */
  private async send(claimed: StoredRequest[], owner: string, fees: Fees): Promise<boolean> {
    const { chain, stores, batch, metrics } = this.deps
    const ready = await screen(this, claimed)
    const included: StoredRequest[] = []
    const overflow: StoredRequest[] = []
    for (const request of ready) {
      if (overflow.length === 0 && batchGasLimit([...included, request]) <= batch.maxGas) included.push(request)
      else overflow.push(request)
    }
    if (overflow.length > 0) await stores.queue.release(overflow.map((r) => r.id))
    if (included.length === 0) return false
    if (!this.isHeld()) {
      await stores.queue.release(included.map((r) => r.id))
      return false
    }

    const nonce = this.nextNonce
    const gas = batchGasLimit(included)
    const value = included.reduce((sum, r) => sum + r.request.value, 0n)
    const data = encodeFunctionData({
      abi: forwarderAbi,
      functionName: 'executeBatch',
      // A non-zero refund receiver makes the forwarder skip a bad request instead of reverting the batch.
      args: [included.map((r) => toForwardRequestData(r.request, r.signature)), this.address],
    })
    const raw = await this.relayer.account.signTransaction({
      chainId: chain.chainId,
      type: 'eip1559',
      to: chain.forwarder,
      data,
      value,
      gas,
      nonce,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    })
    const hash = keccak256(raw)
    const entry: JournalEntry = {
      chainId: chain.chainId,
      relayer: this.address,
      nonce,
      kind: 'batch',
      requestIds: included.map((r) => r.id),
      gas,
      transactions: [{ hash, raw, ...fees, sentAt: Date.now() }],
      createdAt: Date.now(),
    }
    // Journal first: once this returns, a crash at any point leaves the signed transaction to re-broadcast.
    const result = await stores.journal.recordTransaction(entry, this.fence, owner)
    if (!result.ok) {
      if (result.reason === 'lease') this.lose('journal write refused')
      else this.log.warn({ ids: result.ids }, 'claims taken over by another instance; batch dropped before sending')
      await stores.queue.release(included.map((r) => r.id))
      return false
    }
    this.nextNonce = nonce + 1
    for (const _r of included) metrics.status(chain.chainId, 'submitted')
    metrics.batchSent(chain.chainId, included.length)
    const t = tracked(this, entry)
    this.inflight.set(nonce, t)
    this.log.info(
      { txHash: hash, nonce, gas, size: included.length, requestIds: entry.requestIds },
      'batch journaled; broadcasting',
    )
    await broadcast(this, t)
    return true
  }
}

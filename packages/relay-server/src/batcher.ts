import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import type { Logger } from 'pino'
import {
  type Abi,
  type Address,
  encodeFunctionData,
  type Hex,
  isAddressEqual,
  keccak256,
  parseEventLogs,
  parseTransaction,
  type TransactionReceipt,
} from 'viem'
import type { ResolvedBatchConfig } from './config.js'
import { safeError } from './errors.js'
import type { ChainRuntime, Relayer } from './evm/chain.js'
import { type Fees, replacementFees, suggestFees } from './evm/fees.js'
import { forwarderAbi } from './evm/forwarderAbi.js'
import { batchGasLimit, requestGas } from './evm/gas.js'
import {
  AlreadyKnownError,
  classifyNodeError,
  InsufficientFundsError,
  isTransportError,
  NodeUnreachableError,
  NonceTooHighError,
  NonceTooLowError,
  ReplacementUnderpricedError,
} from './evm/nodeErrors.js'
import { canStillRun, nextNonce, readSenderNonces } from './evm/nonces.js'
import { innerRevert, toForwardRequestData } from './evm/simulate.js'
import type { RelayMetrics } from './metrics.js'
import type {
  JournalEntry,
  LeaseFence,
  RelayStore,
  SentTransaction,
  StatusUpdate,
  StoredRequest,
} from './store/types.js'

export interface BatcherDeps {
  chain: ChainRuntime
  store: RelayStore
  metrics: RelayMetrics
  logger: Logger
  batch: ResolvedBatchConfig
  errorAbis: readonly Abi[]
  /** Name of this process in leases and claims (default: host, pid and a random suffix). */
  instanceId?: string
}

/** Requests whose deadline is this close are not worth sending. */
const DEADLINE_MARGIN_SECONDS = 3n
/** How far back to look for a request's `ExecutedForwardRequest` when its nonce turns out used. */
const EXECUTION_LOOKBACK_BLOCKS = 10_000n
const FILLER_GAS = 21_000n

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
  private readonly instanceId: string
  private readonly wantLease: string
  private running = false
  private lastYieldCheck = 0

  constructor(private readonly deps: BatcherDeps) {
    this.log = deps.logger.child({ component: 'batcher', chainId: deps.chain.chainId })
    this.instanceId = deps.instanceId ?? defaultInstanceId()
    this.wantLease = `want:${deps.chain.chainId}`
    this.workers = deps.chain.relayers.map((relayer) => new KeyWorker(deps, relayer, this.instanceId, this.log, this))
  }

  /**
   * Key sharing between instances: an instance holding no key of this chain says so (a short
   * `want` lease); an instance holding two or more then hands one over. Keys thus spread over the
   * instances, and a key left by a dead instance goes to whoever takes it first.
   */
  async keyNotAcquired(): Promise<void> {
    if (this.workers.some((w) => w.isHeld())) return
    await this.deps.store.acquireLease(this.wantLease, this.instanceId, this.deps.batch.keyLeaseMs)
  }

  async keyAcquired(): Promise<void> {
    await this.deps.store.releaseLease(this.wantLease, this.instanceId)
  }

  /** Whether `worker` should hand its key to an instance that has none. */
  async shouldYield(): Promise<boolean> {
    const now = Date.now()
    if (now - this.lastYieldCheck < this.deps.batch.keyLeaseMs / 3) return false
    if (this.workers.filter((w) => w.isHeld()).length < 2) return false
    this.lastYieldCheck = now
    const holder = await this.deps.store.leaseHolder(this.wantLease)
    return holder !== undefined && holder !== this.instanceId
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

interface Tracked {
  entry: JournalEntry
  /** A receipt seen while waiting for confirmations. */
  mined?: { blockNumber: bigint; blockHash: Hex }
  /** When the next fee bump is due. */
  replaceAt: number
  /** Consecutive ticks where the nonce is used on chain but none of our hashes has a receipt. */
  foreignTicks: number
  failures: number
  accepted: boolean
  stuckLogged: boolean
}

class KeyWorker {
  readonly address: Address
  private readonly fence: LeaseFence
  private readonly log: Logger
  private held = false
  private lastRenewOk = 0
  private nextNonce = 0
  private readonly inflight = new Map<number, Tracked>()
  private readonly seenNonces = new Map<string, bigint>()
  private running = false
  private loop: Promise<void> | undefined
  private renewTimer: NodeJS.Timeout | undefined
  private wakeFn: (() => void) | undefined
  private wakeRequested = false
  private holding = false
  private lastBalanceAt = 0
  private cooldownUntil = 0

  constructor(
    private readonly deps: BatcherDeps,
    private readonly relayer: Relayer,
    instanceId: string,
    parentLog: Logger,
    private readonly batcher: ChainBatcher,
  ) {
    this.address = relayer.account.address
    this.fence = { name: `relayer:${deps.chain.chainId}:${this.address.toLowerCase()}`, owner: instanceId }
    this.log = parentLog.child({ relayer: this.address })
  }

  isHeld(): boolean {
    return this.held
  }

  inFlightCount(): number {
    return this.inflight.size
  }

  start(): void {
    this.running = true
    this.loop = this.run()
    this.renewTimer = setInterval(() => void this.renew(), Math.max(100, this.deps.batch.keyLeaseMs / 3))
    this.renewTimer.unref()
  }

  wake(): void {
    this.wakeRequested = true
    this.wakeFn?.()
  }

  async stop(): Promise<void> {
    this.running = false
    this.wake()
    await this.loop
    if (this.renewTimer) clearInterval(this.renewTimer)
    if (this.held) {
      this.held = false
      // Hand the key over at once; its journal stays for the next holder.
      await this.deps.store.releaseLease(this.fence.name, this.fence.owner).catch(() => {})
    }
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
    const { batch, store, chain } = this.deps
    if (!(await this.ensureLease())) {
      await this.batcher.keyNotAcquired()
      return Math.max(100, batch.keyLeaseMs / 3)
    }
    if (await this.batcher.shouldYield()) {
      // Hand the key over; its journal (transactions in flight) goes with it.
      this.log.info('handing this relayer key to an instance that has none')
      this.lose('handed over')
      this.cooldownUntil = Date.now() + 2 * batch.keyLeaseMs
      await store.releaseLease(this.fence.name, this.fence.owner)
      return batch.keyLeaseMs
    }
    if (Date.now() - this.lastBalanceAt > 15_000) {
      this.lastBalanceAt = Date.now()
      chain.publicClient.getBalance({ address: this.address }).then(
        (wei) => this.deps.metrics.relayerBalance(chain.chainId, this.address, wei),
        () => {},
      )
    }
    if (this.inflight.size > 0) await this.track()
    if (!this.held || !this.running) return 0
    if (this.inflight.size >= batch.maxInFlight) return batch.pollIntervalMs
    const stats = await store.queueStats(chain.chainId)
    this.deps.metrics.queueDepth(chain.chainId, stats.depth)
    if (stats.depth === 0) return batch.pollIntervalMs
    const age = Date.now() - (stats.oldestAt ?? Date.now())
    if (stats.depth < batch.maxSize && age < batch.maxWaitMs) {
      return Math.min(batch.maxWaitMs - age, this.inflight.size > 0 ? batch.pollIntervalMs : Number.POSITIVE_INFINITY)
    }
    const sent = await this.claimAndSend()
    return sent ? 0 : batch.pollIntervalMs
  }

  /** Holds (or takes) this key's lease; on taking it, recovers the key's journal. */
  private async ensureLease(): Promise<boolean> {
    if (this.held) return true
    if (Date.now() < this.cooldownUntil) return false
    const { store, batch, chain } = this.deps
    if (!(await store.acquireLease(this.fence.name, this.fence.owner, batch.keyLeaseMs))) return false
    this.held = true
    this.lastRenewOk = Date.now()
    try {
      await this.recover()
    } catch (error) {
      this.held = false
      await store.releaseLease(this.fence.name, this.fence.owner).catch(() => {})
      throw error
    }
    this.deps.metrics.leaseChange(chain.chainId, this.address, 'acquired')
    await this.batcher.keyAcquired()
    return true
  }

  private async renew(): Promise<void> {
    if (!this.held) return
    try {
      const ok = await this.deps.store.renewLease(this.fence.name, this.fence.owner, this.deps.batch.keyLeaseMs)
      if (ok) this.lastRenewOk = Date.now()
      else this.lose('the lease expired or was taken')
    } catch (error) {
      // Without the store we cannot prove we still hold the key: stop before the lease could lapse.
      if (Date.now() - this.lastRenewOk > this.deps.batch.keyLeaseMs * 0.6) {
        this.lose(`cannot renew the lease: ${safeError(error).message}`)
      }
    }
  }

  private lose(reason: string): void {
    if (!this.held) return
    this.held = false
    this.inflight.clear()
    this.deps.metrics.leaseChange(this.deps.chain.chainId, this.address, 'lost')
    this.log.warn({ reason }, 'relayer key lease lost; stopping sends with it')
  }

  /**
   * Rebuilds the key's state from its journal and the chain: every journaled transaction is
   * tracked again (re-broadcast if the node lost it), and the next nonce is past all of them.
   */
  private async recover(): Promise<void> {
    const { store, chain } = this.deps
    const client = chain.publicClient
    const [entries, latest, pending] = await Promise.all([
      store.journal(chain.chainId, this.address),
      client.getTransactionCount({ address: this.address, blockTag: 'latest' }),
      client.getTransactionCount({ address: this.address, blockTag: 'pending' }),
    ])
    this.inflight.clear()
    let next = Math.max(latest, pending)
    for (const entry of entries) {
      this.inflight.set(entry.nonce, this.tracked(entry))
      next = Math.max(next, entry.nonce + 1)
    }
    this.nextNonce = next
    this.log.info(
      { journaled: entries.length, nonce: next, chainNonce: latest },
      'relayer key taken; journal recovered',
    )
    for (let nonce = Math.max(latest, pending); nonce < next; nonce++) {
      if (!this.inflight.has(nonce)) await this.sendFiller(nonce)
    }
  }

  private tracked(entry: JournalEntry): Tracked {
    const last = entry.transactions.at(-1)
    return {
      entry,
      replaceAt: (last?.sentAt ?? Date.now()) + this.deps.chain.fees.replaceAfterMs,
      foreignTicks: 0,
      failures: 0,
      accepted: false,
      stuckLogged: false,
    }
  }

  private async track(): Promise<void> {
    const client = this.deps.chain.publicClient
    const [head, chainNonce] = await Promise.all([
      client.getBlockNumber({ cacheTime: 0 }),
      client.getTransactionCount({ address: this.address, blockTag: 'latest' }),
    ])
    const list = [...this.inflight.values()].sort((a, b) => a.entry.nonce - b.entry.nonce)
    for (const t of list) {
      if (!this.held) return
      await this.trackOne(t, head, chainNonce)
    }
  }

  private async findReceipt(entry: JournalEntry): Promise<TransactionReceipt | undefined> {
    const client = this.deps.chain.publicClient
    for (const tx of [...entry.transactions].reverse()) {
      try {
        return await client.getTransactionReceipt({ hash: tx.hash })
      } catch (error) {
        if (isTransportError(error)) throw error
      }
    }
    return undefined
  }

  private async trackOne(t: Tracked, head: bigint, chainNonce: number): Promise<void> {
    const { chain, metrics } = this.deps
    const receipt = await this.findReceipt(t.entry)
    if (receipt) {
      t.foreignTicks = 0
      if (head - receipt.blockNumber + 1n >= BigInt(chain.fees.confirmations)) {
        await this.finalize(t, receipt)
        return
      }
      if (t.mined && t.mined.blockHash !== receipt.blockHash) metrics.reorg(chain.chainId)
      t.mined = { blockNumber: receipt.blockNumber, blockHash: receipt.blockHash }
      return
    }
    if (t.mined) {
      // The block holding it left the canonical chain: follow the transaction again from the pool.
      this.log.warn(
        { nonce: t.entry.nonce, blockNumber: t.mined.blockNumber },
        'receipt gone after a reorg; tracking again',
      )
      metrics.reorg(chain.chainId)
      t.mined = undefined
      t.replaceAt = Date.now() + chain.fees.replaceAfterMs
      await this.broadcast(t)
      return
    }
    if (t.entry.nonce < chainNonce) {
      // Our nonce is used but none of our hashes has a receipt: give a lagging node two more looks.
      if (++t.foreignTicks >= 3) await this.resolveForeign(t)
      return
    }
    const age = Date.now() - t.entry.createdAt
    if (!t.stuckLogged && age > this.deps.batch.receiptTimeoutMs) {
      t.stuckLogged = true
      this.log.warn({ nonce: t.entry.nonce, ageMs: age }, 'transaction unconfirmed for longer than receiptTimeoutMs')
    }
    if (Date.now() >= t.replaceAt) {
      await this.replace(t)
      return
    }
    const last = t.entry.transactions.at(-1) as SentTransaction
    const known = await chain.publicClient.getTransaction({ hash: last.hash }).then(
      () => true,
      (error: unknown) => {
        if (isTransportError(error)) throw error
        return false
      },
    )
    if (!known) {
      if (t.accepted) {
        this.log.warn({ nonce: t.entry.nonce, txHash: last.hash }, 'transaction dropped from the pool; re-broadcasting')
        metrics.rebroadcast(chain.chainId)
      }
      await this.broadcast(t)
    }
  }

  /** Sends the latest signed variant of an entry. Errors that leave it in doubt are retried on later ticks. */
  private async broadcast(t: Tracked): Promise<void> {
    const last = t.entry.transactions.at(-1) as SentTransaction
    try {
      await this.deps.chain.publicClient.sendRawTransaction({ serializedTransaction: last.raw })
      t.accepted = true
      t.failures = 0
      return
    } catch (error) {
      const refusal = classifyNodeError(error)
      if (refusal instanceof AlreadyKnownError) {
        t.accepted = true
        return
      }
      if (refusal instanceof NodeUnreachableError) {
        this.log.warn(
          { nonce: t.entry.nonce, error: safeError(error) },
          'node unreachable while broadcasting; will retry',
        )
        return
      }
      if (refusal instanceof NonceTooLowError) {
        // Mined or replaced already: the next tick finds the receipt. Unless none of our variants
        // has one: then the key was used outside the journal, and this nonce is gone for good.
        if (!(await this.findReceipt(t.entry))) await this.resolveForeign(t)
        return
      }
      if (refusal instanceof NonceTooHighError) {
        await this.fillGaps()
        return
      }
      if (refusal instanceof ReplacementUnderpricedError) return
      if (refusal instanceof InsufficientFundsError) {
        if (t.failures++ === 0)
          this.log.error({ nonce: t.entry.nonce }, 'relayer key lacks funds; holding until it has them')
        return
      }
      t.failures++
      this.log.error(
        { nonce: t.entry.nonce, error: safeError(error), failures: t.failures },
        'node refused the transaction',
      )
      if (t.failures >= 3 && !t.accepted && t.entry.transactions.length === 1) await this.abandon(t, refusal.text)
    }
  }

  /** Fills every nonce between the chain's pending nonce and ours that no journal entry holds. */
  private async fillGaps(): Promise<void> {
    const pending = await this.deps.chain.publicClient.getTransactionCount({
      address: this.address,
      blockTag: 'pending',
    })
    for (let nonce = pending; nonce < this.nextNonce; nonce++) {
      if (!this.inflight.has(nonce)) await this.sendFiller(nonce)
    }
  }

  /** A permanently refused transaction: its requests fail, its nonce is reused or filled. */
  private async abandon(t: Tracked, reason: string): Promise<void> {
    const { store, chain } = this.deps
    const records = await this.records(t.entry.requestIds)
    await Promise.all(
      records.map((r) =>
        this.settle(r, {
          status: 'failed',
          error: { code: 'SEND_FAILED', message: `the node refused the batch: ${reason.slice(0, 200)}` },
          spentWei: 0n,
        }),
      ),
    )
    await store.removeTransaction(chain.chainId, this.address, t.entry.nonce, this.fence)
    this.inflight.delete(t.entry.nonce)
    this.deps.metrics.batch(chain.chainId, t.entry.requestIds.length, 'send_failed')
    if (t.entry.nonce === this.nextNonce - 1) this.nextNonce = t.entry.nonce
    else await this.sendFiller(t.entry.nonce)
  }

  private async sendFiller(nonce: number): Promise<void> {
    const { chain } = this.deps
    const fees = await suggestFees(chain.publicClient, chain.fees)
    const feeFields: Fees = fees.hold
      ? { maxFeePerGas: chain.fees.maxFeePerGas ?? fees.baseFee, maxPriorityFeePerGas: 0n }
      : { maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas }
    const raw = await this.relayer.account.signTransaction({
      chainId: chain.chainId,
      type: 'eip1559',
      to: this.address,
      value: 0n,
      gas: FILLER_GAS,
      nonce,
      maxFeePerGas: feeFields.maxFeePerGas,
      maxPriorityFeePerGas: feeFields.maxPriorityFeePerGas,
    })
    const entry: JournalEntry = {
      chainId: chain.chainId,
      relayer: this.address,
      nonce,
      kind: 'filler',
      requestIds: [],
      gas: FILLER_GAS,
      transactions: [{ hash: keccak256(raw), raw, ...feeFields, sentAt: Date.now() }],
      createdAt: Date.now(),
    }
    const result = await this.deps.store.recordTransaction(entry, this.fence)
    if (!result.ok) {
      this.lose('journal write refused')
      return
    }
    this.log.warn({ nonce }, 'filling a nonce gap with an empty transaction')
    const t = this.tracked(entry)
    this.inflight.set(nonce, t)
    this.nextNonce = Math.max(this.nextNonce, nonce + 1)
    await this.broadcast(t)
  }

  /** Re-signs the entry's transaction with bumped fees (same nonce, same calldata) and journals it first. */
  private async replace(t: Tracked): Promise<void> {
    const { chain, store, metrics } = this.deps
    const last = t.entry.transactions.at(-1) as SentTransaction
    const market = await suggestFees(chain.publicClient, chain.fees)
    const fees = replacementFees(last, market, chain.fees)
    t.replaceAt = Date.now() + chain.fees.replaceAfterMs
    if (!fees) {
      if (!this.holding)
        this.log.warn({ nonce: t.entry.nonce }, 'stuck transaction already at the fee ceiling; waiting')
      metrics.feeHold(chain.chainId)
      await this.broadcast(t)
      return
    }
    const parsed = parseTransaction(last.raw)
    const raw = await this.relayer.account.signTransaction({
      chainId: chain.chainId,
      type: 'eip1559',
      ...(parsed.to ? { to: parsed.to } : {}),
      ...(parsed.data ? { data: parsed.data } : {}),
      value: parsed.value ?? 0n,
      gas: parsed.gas ?? t.entry.gas,
      nonce: t.entry.nonce,
      ...fees,
    })
    const entry: JournalEntry = {
      ...t.entry,
      transactions: [...t.entry.transactions, { hash: keccak256(raw), raw, ...fees, sentAt: Date.now() }],
    }
    const result = await store.recordTransaction(entry, this.fence)
    if (!result.ok) {
      this.lose('journal write refused')
      return
    }
    t.entry = entry
    t.accepted = false
    metrics.replacement(chain.chainId)
    this.log.info(
      { nonce: entry.nonce, txHash: entry.transactions.at(-1)?.hash, maxFeePerGas: fees.maxFeePerGas },
      'replaced a stuck transaction with bumped fees',
    )
    await this.broadcast(t)
  }

  /** Our nonce was used by a transaction we never signed (the key is used elsewhere). */
  private async resolveForeign(t: Tracked): Promise<void> {
    const { chain, store } = this.deps
    if (!this.inflight.has(t.entry.nonce)) return
    this.inflight.delete(t.entry.nonce)
    this.log.error({ nonce: t.entry.nonce }, 'relayer nonce used by a transaction outside the journal; resyncing')
    // Resync: never again sign below what the chain has seen.
    const pending = await chain.publicClient.getTransactionCount({ address: this.address, blockTag: 'pending' })
    this.nextNonce = Math.max(this.nextNonce, pending)
    for (const record of await this.records(t.entry.requestIds)) {
      const onChain = await chain.readNonce(record.request.from)
      if (onChain > record.request.nonce) await this.settleExecuted(record)
      // Not executed: back to the queue, it can still run.
      else await store.update(record.id, { status: 'queued' })
    }
    await store.removeTransaction(chain.chainId, this.address, t.entry.nonce, this.fence)
  }

  private async records(ids: readonly string[]): Promise<StoredRequest[]> {
    const records = await Promise.all(ids.map((id) => this.deps.store.get(id)))
    return records.filter((r): r is StoredRequest => r !== undefined)
  }

  private async finalize(t: Tracked, receipt: TransactionReceipt): Promise<void> {
    const { chain, store, metrics } = this.deps
    if (t.entry.kind === 'batch') {
      const records = await this.records(t.entry.requestIds)
      await this.settleFromReceipt(records, receipt)
      metrics.batch(chain.chainId, records.length, receipt.status === 'success' ? 'mined' : 'reverted')
    }
    // Requests first, journal second: a crash in between re-settles idempotently (first final wins).
    await store.removeTransaction(chain.chainId, this.address, t.entry.nonce, this.fence)
    this.inflight.delete(t.entry.nonce)
  }

  private async claimAndSend(): Promise<boolean> {
    const { chain, store, batch, metrics } = this.deps
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
    const claimed = await store.claimBatch(chain.chainId, { max: batch.maxSize, leaseMs: batch.claimLeaseMs, owner })
    if (claimed.length === 0) return false
    return (await this.send(claimed, owner, fees)) !== undefined
  }

  /** Screens, signs, journals (fenced) and broadcasts one batch. */
  private async send(claimed: StoredRequest[], owner: string | undefined, fees: Fees): Promise<Tracked | undefined> {
    const { chain, store, batch, metrics } = this.deps
    const ready = await this.screen(claimed)
    const included: StoredRequest[] = []
    const overflow: StoredRequest[] = []
    for (const request of ready) {
      if (overflow.length === 0 && batchGasLimit([...included, request]) <= batch.maxGas) included.push(request)
      else overflow.push(request)
    }
    if (overflow.length > 0) await store.release(overflow.map((r) => r.id))
    if (included.length === 0) return undefined
    if (!this.held) {
      await store.release(included.map((r) => r.id))
      return undefined
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
    const result = await store.recordTransaction(entry, this.fence, owner)
    if (!result.ok) {
      if (result.reason === 'lease') this.lose('journal write refused')
      else this.log.warn({ ids: result.ids }, 'claims taken over by another instance; batch dropped before sending')
      await store.release(included.map((r) => r.id))
      return undefined
    }
    this.nextNonce = nonce + 1
    for (const _r of included) metrics.status(chain.chainId, 'submitted')
    metrics.batchSent(chain.chainId, included.length)
    const t = this.tracked(entry)
    this.inflight.set(nonce, t)
    this.log.info(
      { txHash: hash, nonce, gas, size: included.length, requestIds: entry.requestIds },
      'batch journaled; broadcasting',
    )
    await this.broadcast(t)
    return t
  }

  /** Rejects requests that can no longer execute and orders the rest by sender and nonce. */
  private async screen(claimed: StoredRequest[]): Promise<StoredRequest[]> {
    const { chain, store } = this.deps
    const bySender = new Map<string, StoredRequest[]>()
    for (const r of claimed) {
      const key = r.request.from.toLowerCase()
      const list = bySender.get(key) ?? []
      list.push(r)
      bySender.set(key, list)
    }
    const senders = [...bySender.keys()]
    let chainNonces: bigint[]
    try {
      chainNonces = await Promise.all(senders.map((s) => chain.readNonce(s as Address)))
    } catch (error) {
      await store.release(claimed.map((r) => r.id))
      throw error
    }
    const now = BigInt(Math.floor(Date.now() / 1000))
    const ready: StoredRequest[] = []
    const later: string[] = []
    const work: Promise<void>[] = []
    for (const [i, sender] of senders.entries()) {
      const list = (bySender.get(sender) ?? []).sort((a, b) => (a.request.nonce < b.request.nonce ? -1 : 1))
      const chainNonce = chainNonces[i] ?? 0n
      const seen = this.seenNonces.get(sender) ?? 0n
      let expected = seen > chainNonce ? seen : chainNonce
      for (const r of list) {
        if (r.request.deadline <= now + DEADLINE_MARGIN_SECONDS) {
          work.push(this.reject(r, 'EXPIRED', 'the deadline passed before the request could be sent'))
        } else if (r.request.nonce < expected) {
          work.push(this.settleExecuted(r))
        } else if (r.request.nonce > expected) {
          later.push(r.id)
        } else {
          ready.push(r)
          expected++
        }
      }
    }
    await Promise.all(work)
    // A nonce ahead of the chain waits for the earlier one (claimed by another batch a moment ago),
    // unless nothing pending can ever fill the gap.
    for (const id of later) {
      const r = claimed.find((c) => c.id === id) as StoredRequest
      // The admission rule, asked again: it waits while every nonce before it is pending.
      const nonces = await readSenderNonces(store, chain, r.request.from)
      if (nonces.chainNonce >= r.request.nonce || canStillRun(r.request.nonce, nonces)) await store.release([id])
      else {
        const next = nextNonce(nonces)
        await this.reject(r, 'BAD_NONCE', `nonce ${r.request.nonce} cannot run: the forwarder expects ${next}`)
      }
    }
    return ready
  }

  /** A request whose forwarder nonce is already used: find where it ran and record that outcome. */
  private async settleExecuted(request: StoredRequest): Promise<void> {
    const found = await this.findExecution(request)
    if (!found) {
      await this.reject(request, 'BAD_NONCE', `nonce ${request.request.nonce} was already used`)
      return
    }
    await this.settle(request, {
      status: found.success ? 'confirmed' : 'failed',
      txHash: found.txHash,
      blockNumber: found.blockNumber,
      ...(found.success
        ? {}
        : { error: { code: 'EXECUTION_REVERTED', message: 'the call reverted (found on chain after a restart)' } }),
    })
  }

  private async findExecution(
    request: StoredRequest,
  ): Promise<{ txHash: Hex; blockNumber: bigint; success: boolean } | undefined> {
    const client = this.deps.chain.publicClient
    const head = await client.getBlockNumber({ cacheTime: 0 })
    const fromBlock = head > EXECUTION_LOOKBACK_BLOCKS ? head - EXECUTION_LOOKBACK_BLOCKS : 0n
    const logs = await client.getContractEvents({
      address: this.deps.chain.forwarder,
      abi: forwarderAbi,
      eventName: 'ExecutedForwardRequest',
      args: { signer: request.request.from },
      fromBlock,
      toBlock: head,
    })
    const log = logs.find((l) => l.args.nonce === request.request.nonce)
    if (!log?.transactionHash || log.blockNumber === null) return undefined
    return { txHash: log.transactionHash, blockNumber: log.blockNumber, success: log.args.success === true }
  }

  private async reject(request: StoredRequest, code: string, message: string): Promise<void> {
    this.log.info({ requestId: request.id, code }, 'request rejected before sending')
    await this.settle(request, { status: 'rejected', error: { code, message }, spentWei: 0n })
  }

  private async settleFromReceipt(requests: StoredRequest[], receipt: TransactionReceipt): Promise<void> {
    const { chain, errorAbis } = this.deps
    const txHash = receipt.transactionHash
    const blockNumber = receipt.blockNumber
    // Each request pays its share of the gas used, by its share of the gas limit, rounded up:
    // never more than the worst case reserved for it (gas ≤ limit, price ≤ ceiling).
    const units = requests.map((r) => requestGas(r.request))
    const totalUnits = units.reduce((a, b) => a + b, 0n)
    const price = receipt.effectiveGasPrice ?? 0n
    const shareOf = (i: number) => {
      const numerator = receipt.gasUsed * (units[i] ?? 0n) * price
      return totalUnits === 0n ? 0n : (numerator + totalUnits - 1n) / totalUnits
    }
    if (receipt.status !== 'success') {
      this.log.error({ txHash }, 'batch transaction reverted')
      await Promise.all(
        requests.map((r, i) =>
          this.settle(r, {
            status: 'failed',
            txHash,
            blockNumber,
            spentWei: shareOf(i),
            error: { code: 'BATCH_REVERTED', message: 'the batch transaction reverted' },
          }),
        ),
      )
      return
    }
    const executed = new Map<string, boolean>()
    const events = parseEventLogs({
      abi: forwarderAbi,
      eventName: 'ExecutedForwardRequest',
      logs: receipt.logs.filter((l) => isAddressEqual(l.address, chain.forwarder)),
    })
    for (const event of events) {
      const signer = event.args.signer.toLowerCase()
      executed.set(`${signer}:${event.args.nonce}`, event.args.success)
      if (event.args.nonce + 1n > (this.seenNonces.get(signer) ?? 0n)) {
        if (this.seenNonces.size >= 10_000) this.seenNonces.clear()
        this.seenNonces.set(signer, event.args.nonce + 1n)
      }
    }
    await Promise.all(
      requests.map(async (r, i) => {
        const spentWei = shareOf(i)
        const success = executed.get(`${r.request.from.toLowerCase()}:${r.request.nonce}`)
        if (success === true) return this.settle(r, { status: 'confirmed', txHash, blockNumber, spentWei })
        if (success === false) {
          // The event carries no reason; replaying the call on the batch's block usually names it.
          const reason = await innerRevert(chain, r.request, errorAbis, blockNumber)
          return this.settle(r, {
            status: 'failed',
            txHash,
            blockNumber,
            spentWei,
            error: { code: 'EXECUTION_REVERTED', message: `the call reverted${reason ? `: ${reason.message}` : ''}` },
          })
        }
        // Skipped by the forwarder: maybe it already ran in an earlier transaction (a takeover race).
        const onChain = await chain.readNonce(r.request.from)
        if (onChain > r.request.nonce) {
          const found = await this.findExecution(r)
          if (found && found.txHash !== txHash) {
            return this.settle(r, {
              status: found.success ? 'confirmed' : 'failed',
              txHash: found.txHash,
              blockNumber: found.blockNumber,
              spentWei,
              ...(found.success ? {} : { error: { code: 'EXECUTION_REVERTED', message: 'the call reverted' } }),
            })
          }
        }
        return this.settle(r, {
          status: 'failed',
          txHash,
          blockNumber,
          spentWei,
          error: {
            code: 'NOT_EXECUTED',
            message: 'the forwarder skipped the request (deadline passed, nonce used or signature mismatch)',
          },
        })
      }),
    )
    this.log.info(
      { txHash, blockNumber, size: requests.length, executed: events.length, requestIds: requests.map((r) => r.id) },
      'batch settled',
    )
  }

  private async settle(request: StoredRequest, update: StatusUpdate): Promise<void> {
    const before = request.status
    const after = await this.deps.store.update(request.id, update)
    // Counted once: a request already final (settled by another instance) is left alone.
    if (after.status === update.status && before !== after.status) {
      this.deps.metrics.status(this.deps.chain.chainId, update.status)
      if (update.spentWei !== undefined && after.spentWei !== undefined) {
        this.deps.metrics.gasSpent(after.siteKey, this.deps.chain.chainId, after.spentWei)
      }
    }
  }
}

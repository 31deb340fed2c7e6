import type { Logger } from 'pino'
import {
  type Abi,
  type Address,
  BaseError,
  type Hex,
  isAddressEqual,
  NonceTooHighError,
  NonceTooLowError,
  parseEventLogs,
  type TransactionReceipt,
} from 'viem'
import type { ResolvedBatchConfig } from './config.js'
import { safeError } from './errors.js'
import type { ChainRuntime, Relayer } from './evm/chain.js'
import { forwarderAbi } from './evm/forwarderAbi.js'
import { isTransportError } from './evm/revert.js'
import { innerRevert, toForwardRequestData } from './evm/simulate.js'
import type { RelayMetrics } from './metrics.js'
import type { ForwardRequest, RelayStore, StatusUpdate, StoredRequest } from './store/types.js'

export interface BatcherDeps {
  chain: ChainRuntime
  store: RelayStore
  metrics: RelayMetrics
  logger: Logger
  batch: ResolvedBatchConfig
  errorAbis: readonly Abi[]
}

/** Gas of `executeBatch` itself plus the intrinsic transaction cost. */
const BATCH_BASE_GAS = 50_000n
/** Forwarder work around each forwarded call: signature recovery, trust check, nonce write, event. */
const PER_REQUEST_OVERHEAD_GAS = 60_000n
/** Upper bound per calldata byte (EIP-7623's floor price for a non-zero byte). */
const CALLDATA_BYTE_GAS = 40n
/** Requests whose deadline is this close are not worth sending. */
const DEADLINE_MARGIN_SECONDS = 3n

/** Gas limit for one `executeBatch`: each call gets its `gas` plus the 1/64 the EVM withholds. */
export function batchGasLimit(requests: ReadonlyArray<{ request: Pick<ForwardRequest, 'gas' | 'data'> }>): bigint {
  let total = BATCH_BASE_GAS
  for (const { request } of requests) {
    const bytes = BigInt((request.data.length - 2) / 2 + 65 + 8 * 32)
    total += request.gas + request.gas / 63n + 1n + PER_REQUEST_OVERHEAD_GAS + bytes * CALLDATA_BYTE_GAS
  }
  return total
}

/**
 * Drains one chain's queue into `executeBatch` transactions, one at a time so that a sender's
 * nonces stay in order across batches. Rotates relayer keys per batch and tracks their nonces.
 */
export class ChainBatcher {
  private running = false
  private loop: Promise<void> | undefined
  private wake: (() => void) | undefined
  private wakeRequested = false
  private relayerIndex = 0
  private readonly relayerNonces = new Map<Address, number>()
  /** Next forwarder nonce per sender as seen in our own receipts: guards against an RPC node that lags. */
  private readonly seenNonces = new Map<string, bigint>()
  private readonly log: Logger

  constructor(private readonly deps: BatcherDeps) {
    this.log = deps.logger.child({ component: 'batcher', chainId: deps.chain.chainId })
  }

  start(): void {
    if (this.running) return
    if (this.deps.chain.relayers.length === 0) {
      this.log.warn('no relayer keys: requests will queue but never be sent')
      return
    }
    this.running = true
    this.loop = this.run()
  }

  /** Tells the batcher a request was queued, so a full batch goes out without waiting. */
  notify(): void {
    this.wakeRequested = true
    this.wake?.()
  }

  /** Stops after the batch in flight (if any) has its receipt. */
  async stop(): Promise<void> {
    this.running = false
    this.notify()
    await this.loop
  }

  private async run(): Promise<void> {
    const { store, chain, batch } = this.deps
    while (this.running) {
      try {
        const stats = await store.queueStats(chain.chainId)
        if (stats.depth === 0) {
          await this.sleep(batch.pollIntervalMs)
          continue
        }
        const age = Date.now() - (stats.oldestAt ?? Date.now())
        if (stats.depth < batch.maxSize && age < batch.maxWaitMs) {
          await this.sleep(batch.maxWaitMs - age)
          continue
        }
        const claimed = await store.claimBatch(chain.chainId, {
          max: batch.maxSize,
          leaseMs: batch.receiptTimeoutMs + 60_000,
        })
        if (claimed.length > 0) await this.processBatch(claimed)
      } catch (error) {
        this.log.error({ error: safeError(error) }, 'batch loop error; retrying')
        await this.sleep(1000)
      }
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
        this.wake = undefined
        this.wakeRequested = false
        resolve()
      }
      const timer = setTimeout(done, Math.max(0, ms))
      this.wake = done
    })
  }

  /** Checks, sends and settles one claimed batch. Exposed for tests and tools. */
  async processBatch(claimed: StoredRequest[]): Promise<void> {
    const { chain, store, batch } = this.deps
    const ready = await this.screen(claimed)
    // Keep the gas under the batch ceiling; what does not fit goes back to the queue.
    const included: StoredRequest[] = []
    const overflow: StoredRequest[] = []
    for (const request of ready) {
      if (overflow.length === 0 && batchGasLimit([...included, request]) <= batch.maxGas) included.push(request)
      else overflow.push(request)
    }
    if (overflow.length > 0) await store.release(overflow.map((r) => r.id))
    if (included.length === 0) return

    const relayer = this.nextRelayer()
    const gas = batchGasLimit(included)
    const value = included.reduce((sum, r) => sum + r.request.value, 0n)
    const log = this.log.child({ relayer: relayer.account.address, size: included.length })
    let hash: Hex
    try {
      hash = await this.send(relayer, included, value, gas)
    } catch (error) {
      if (isTransportError(error)) {
        log.warn({ error: safeError(error) }, 'could not reach the node to send a batch; requests go back to the queue')
        await store.release(included.map((r) => r.id))
        this.deps.metrics.batch(chain.chainId, included.length, 'send_failed')
        throw error
      }
      log.error({ error: safeError(error) }, 'sending the batch failed')
      this.deps.metrics.batch(chain.chainId, included.length, 'send_failed')
      await this.settleAll(included, {
        status: 'failed',
        error: { code: 'SEND_FAILED', message: `the relay could not send the batch: ${shortMessage(error)}` },
      })
      return
    }
    log.info({ txHash: hash, gas }, 'batch sent')
    await this.settleAll(included, { status: 'submitted', txHash: hash })

    let receipt: TransactionReceipt
    try {
      receipt = await chain.publicClient.waitForTransactionReceipt({ hash, timeout: batch.receiptTimeoutMs })
    } catch (error) {
      log.error({ error: safeError(error), txHash: hash }, 'no receipt for the batch')
      this.relayerNonces.delete(relayer.account.address)
      this.deps.metrics.batch(chain.chainId, included.length, 'timeout')
      await this.settleAll(included, {
        status: 'failed',
        txHash: hash,
        error: { code: 'RECEIPT_TIMEOUT', message: 'the batch transaction was not mined in time' },
      })
      return
    }
    await this.settleFromReceipt(included, receipt)
  }

  /** Rejects requests that can no longer execute and orders the rest by sender and nonce. */
  private async screen(claimed: StoredRequest[]): Promise<StoredRequest[]> {
    const { chain } = this.deps
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
      await this.deps.store.release(claimed.map((r) => r.id))
      throw error
    }
    const now = BigInt(Math.floor(Date.now() / 1000))
    const ready: StoredRequest[] = []
    const rejections: Promise<void>[] = []
    senders.forEach((sender, i) => {
      const list = (bySender.get(sender) ?? []).sort((a, b) => (a.request.nonce < b.request.nonce ? -1 : 1))
      const chainNonce = chainNonces[i] ?? 0n
      const seen = this.seenNonces.get(sender) ?? 0n
      let expected = seen > chainNonce ? seen : chainNonce
      for (const r of list) {
        if (r.request.deadline <= now + DEADLINE_MARGIN_SECONDS) {
          rejections.push(this.reject(r, 'EXPIRED', 'the deadline passed before the request could be sent'))
        } else if (r.request.nonce < expected) {
          rejections.push(this.reject(r, 'BAD_NONCE', `nonce ${r.request.nonce} was already used`))
        } else if (r.request.nonce > expected) {
          rejections.push(
            this.reject(r, 'BAD_NONCE', `nonce ${r.request.nonce} cannot run: the forwarder expects ${expected}`),
          )
        } else {
          ready.push(r)
          expected++
        }
      }
    })
    await Promise.all(rejections)
    return ready
  }

  private async reject(request: StoredRequest, code: string, message: string): Promise<void> {
    this.log.info({ requestId: request.id, code }, 'request rejected before sending')
    await this.settle(request, { status: 'rejected', error: { code, message } })
  }

  private nextRelayer(): Relayer {
    const relayers = this.deps.chain.relayers
    const relayer = relayers[this.relayerIndex % relayers.length] as Relayer
    this.relayerIndex++
    return relayer
  }

  private async send(relayer: Relayer, requests: StoredRequest[], value: bigint, gas: bigint): Promise<Hex> {
    const { chain } = this.deps
    const address = relayer.account.address
    for (let attempt = 0; ; attempt++) {
      let nonce = this.relayerNonces.get(address)
      if (nonce === undefined) {
        nonce = await chain.publicClient.getTransactionCount({ address, blockTag: 'pending' })
      }
      try {
        const hash = await relayer.wallet.writeContract({
          address: chain.forwarder,
          abi: forwarderAbi,
          functionName: 'executeBatch',
          // A non-zero refund receiver makes the forwarder skip a bad request instead of reverting the batch.
          args: [requests.map((r) => toForwardRequestData(r.request, r.signature)), address],
          value,
          gas,
          nonce,
        })
        this.relayerNonces.set(address, nonce + 1)
        return hash
      } catch (error) {
        this.relayerNonces.delete(address)
        if (attempt < 2 && isNonceError(error)) {
          this.log.warn({ relayer: address, nonce }, 'relayer nonce out of sync; resyncing')
          continue
        }
        throw error
      }
    }
  }

  private async settleFromReceipt(requests: StoredRequest[], receipt: TransactionReceipt): Promise<void> {
    const { chain, metrics } = this.deps
    const txHash = receipt.transactionHash
    const blockNumber = receipt.blockNumber
    if (receipt.status !== 'success') {
      this.log.error({ txHash }, 'batch transaction reverted')
      metrics.batch(chain.chainId, requests.length, 'reverted')
      await this.settleAll(requests, {
        status: 'failed',
        txHash,
        blockNumber,
        error: { code: 'BATCH_REVERTED', message: 'the batch transaction reverted' },
      })
      return
    }
    metrics.batch(chain.chainId, requests.length, 'mined')
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
      requests.map(async (r) => {
        const success = executed.get(`${r.request.from.toLowerCase()}:${r.request.nonce}`)
        if (success === true) return this.settle(r, { status: 'confirmed', txHash, blockNumber })
        if (success === false) {
          // The event carries no reason; replaying the call on the batch's block usually names it.
          const reason = await innerRevert(chain, r.request, this.deps.errorAbis, blockNumber)
          return this.settle(r, {
            status: 'failed',
            txHash,
            blockNumber,
            error: {
              code: 'EXECUTION_REVERTED',
              message: `the call reverted${reason ? `: ${reason.message}` : ''}`,
            },
          })
        }
        return this.settle(r, {
          status: 'failed',
          txHash,
          blockNumber,
          error: {
            code: 'NOT_EXECUTED',
            message: 'the forwarder skipped the request (deadline passed, nonce used or signature mismatch)',
          },
        })
      }),
    )
    this.log.info({ txHash, blockNumber, size: requests.length, executed: events.length }, 'batch settled')
  }

  private async settleAll(requests: StoredRequest[], update: StatusUpdate): Promise<void> {
    await Promise.all(requests.map((r) => this.settle(r, update)))
  }

  private async settle(request: StoredRequest, update: StatusUpdate): Promise<void> {
    await this.deps.store.update(request.id, update)
    this.deps.metrics.status(this.deps.chain.chainId, update.status)
  }
}

function isNonceError(error: unknown): boolean {
  if (!(error instanceof BaseError)) return false
  if (error.walk((e) => e instanceof NonceTooLowError || e instanceof NonceTooHighError)) return true
  return /nonce/i.test(error.details ?? '') || /nonce too (low|high)/i.test(error.message)
}

function shortMessage(error: unknown): string {
  if (error instanceof BaseError) return error.shortMessage
  return error instanceof Error ? error.message : String(error)
}

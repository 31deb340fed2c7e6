// Following a journaled transaction until it is final: broadcast and re-broadcast, receipts and
// confirmations, reorgs, replacement when stuck, and a nonce spent outside the journal.
import type { TransactionReceipt } from 'viem'
import { safeError } from '../../errors.js'
import type { JournalEntry, SentTransaction, Stores } from '../../store/types.js'
import {
  AlreadyKnownError,
  classifyNodeError,
  InsufficientFundsError,
  isTransportError,
  NodeUnreachableError,
  NonceTooHighError,
  NonceTooLowError,
  ReplacementUnderpricedError,
} from '../nodeErrors.js'
import { type KeyState, records, type Tracked } from './keyState.js'
import { fillGaps, sendFiller } from './relayerNonce.js'
import { replace } from './replacement.js'
import { settle, settleExecuted, settleFromReceipt } from './settlement.js'

/** What tracking reads and writes: the key's journal, and its requests' statuses as they settle. */
type Tracking = KeyState<Pick<Stores, 'journal' | 'requests'>>

/** One look at every transaction in flight, lowest nonce first. */
export async function track(k: Tracking): Promise<void> {
  const client = k.deps.chain.publicClient
  const [head, chainNonce] = await Promise.all([
    client.getBlockNumber({ cacheTime: 0 }),
    client.getTransactionCount({ address: k.address, blockTag: 'latest' }),
  ])
  const list = [...k.inflight.values()].sort((a, b) => a.entry.nonce - b.entry.nonce)
  for (const t of list) {
    if (!k.isHeld()) return
    await trackOne(k, t, head, chainNonce)
  }
}

async function findReceipt(k: KeyState<unknown>, entry: JournalEntry): Promise<TransactionReceipt | undefined> {
  const client = k.deps.chain.publicClient
  for (const tx of [...entry.transactions].reverse()) {
    try {
      return await client.getTransactionReceipt({ hash: tx.hash })
    } catch (error) {
      if (isTransportError(error)) throw error
    }
  }
  return undefined
}

async function trackOne(k: Tracking, t: Tracked, head: bigint, chainNonce: number): Promise<void> {
  const { chain, metrics } = k.deps
  const receipt = await findReceipt(k, t.entry)
  if (receipt) {
    t.foreignTicks = 0
    if (head - receipt.blockNumber + 1n >= BigInt(chain.fees.confirmations)) {
      await finalize(k, t, receipt)
      return
    }
    if (t.mined && t.mined.blockHash !== receipt.blockHash) metrics.reorg(chain.chainId)
    t.mined = { blockNumber: receipt.blockNumber, blockHash: receipt.blockHash }
    return
  }
  if (t.mined) {
    // The block holding it left the canonical chain: follow the transaction again from the pool.
    k.log.warn({ nonce: t.entry.nonce, blockNumber: t.mined.blockNumber }, 'receipt gone after a reorg; tracking again')
    metrics.reorg(chain.chainId)
    t.mined = undefined
    t.replaceAt = Date.now() + chain.fees.replaceAfterMs
    await broadcast(k, t)
    return
  }
  if (t.entry.nonce < chainNonce) {
    // Our nonce is used but none of our hashes has a receipt: give a lagging node two more looks.
    if (++t.foreignTicks >= 3) await resolveForeign(k, t)
    return
  }
  const age = Date.now() - t.entry.createdAt
  if (!t.stuckLogged && age > k.deps.batch.receiptTimeoutMs) {
    t.stuckLogged = true
    k.log.warn({ nonce: t.entry.nonce, ageMs: age }, 'transaction unconfirmed for longer than receiptTimeoutMs')
  }
  if (Date.now() >= t.replaceAt) {
    if (await replace(k, t)) await broadcast(k, t)
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
      k.log.warn({ nonce: t.entry.nonce, txHash: last.hash }, 'transaction dropped from the pool; re-broadcasting')
      metrics.rebroadcast(chain.chainId)
    }
    await broadcast(k, t)
  }
}

/** Sends the latest signed variant of an entry. Errors that leave it in doubt are retried on later ticks. */
export async function broadcast(k: Tracking, t: Tracked): Promise<void> {
  const last = t.entry.transactions.at(-1) as SentTransaction
  try {
    await k.deps.chain.publicClient.sendRawTransaction({ serializedTransaction: last.raw })
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
      k.log.warn({ nonce: t.entry.nonce, error: safeError(error) }, 'node unreachable while broadcasting; will retry')
      return
    }
    if (refusal instanceof NonceTooLowError) {
      // Mined or replaced already: the next tick finds the receipt. Unless none of our variants
      // has one: then the key was used outside the journal, and this nonce is gone for good.
      if (!(await findReceipt(k, t.entry))) await resolveForeign(k, t)
      return
    }
    if (refusal instanceof NonceTooHighError) {
      await fillGaps(k, (filler) => broadcast(k, filler))
      return
    }
    if (refusal instanceof ReplacementUnderpricedError) return
    if (refusal instanceof InsufficientFundsError) {
      if (t.failures++ === 0)
        k.log.error({ nonce: t.entry.nonce }, 'relayer key lacks funds; holding until it has them')
      return
    }
    t.failures++
    k.log.error({ nonce: t.entry.nonce, error: safeError(error), failures: t.failures }, 'node refused the transaction')
    if (t.failures >= 3 && !t.accepted && t.entry.transactions.length === 1) await abandon(k, t, refusal.text)
  }
}

/** A permanently refused transaction: its requests fail, its nonce is reused or filled. */
async function abandon(k: Tracking, t: Tracked, reason: string): Promise<void> {
  const { stores, chain, metrics } = k.deps
  const found = await records(k, t.entry.requestIds)
  await Promise.all(
    found.map((r) =>
      settle(k, r, {
        status: 'failed',
        error: { code: 'SEND_FAILED', message: `the node refused the batch: ${reason.slice(0, 200)}` },
        spentWei: 0n,
      }),
    ),
  )
  await stores.journal.removeTransaction(chain.chainId, k.address, t.entry.nonce, k.fence)
  k.inflight.delete(t.entry.nonce)
  metrics.batch(chain.chainId, t.entry.requestIds.length, 'send_failed')
  if (t.entry.nonce === k.nextNonce - 1) k.nextNonce = t.entry.nonce
  else await sendFiller(k, t.entry.nonce, (filler) => broadcast(k, filler))
}

/** Our nonce was used by a transaction we never signed (the key is used elsewhere). */
async function resolveForeign(k: Tracking, t: Tracked): Promise<void> {
  const { chain, stores } = k.deps
  if (!k.inflight.has(t.entry.nonce)) return
  k.inflight.delete(t.entry.nonce)
  k.log.error({ nonce: t.entry.nonce }, 'relayer nonce used by a transaction outside the journal; resyncing')
  // Resync: never again sign below what the chain has seen.
  const pending = await chain.publicClient.getTransactionCount({ address: k.address, blockTag: 'pending' })
  k.nextNonce = Math.max(k.nextNonce, pending)
  for (const record of await records(k, t.entry.requestIds)) {
    const onChain = await chain.readNonce(record.request.from)
    if (onChain > record.request.nonce) await settleExecuted(k, record)
    // Not executed: back to the queue, it can still run.
    else await stores.requests.update(record.id, { status: 'queued' })
  }
  await stores.journal.removeTransaction(chain.chainId, k.address, t.entry.nonce, k.fence)
}

async function finalize(k: Tracking, t: Tracked, receipt: TransactionReceipt): Promise<void> {
  const { chain, stores, metrics } = k.deps
  if (t.entry.kind === 'batch') {
    const found = await records(k, t.entry.requestIds)
    await settleFromReceipt(k, found, receipt)
    metrics.batch(chain.chainId, found.length, receipt.status === 'success' ? 'mined' : 'reverted')
  }
  // Requests first, journal second: a crash in between re-settles idempotently (first final wins).
  await stores.journal.removeTransaction(chain.chainId, k.address, t.entry.nonce, k.fence)
  k.inflight.delete(t.entry.nonce)
}

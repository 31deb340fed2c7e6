// The relayer key's own nonce: rebuilt from the journal and the chain when the key is taken, and
// kept gap-free with empty filler transactions.
import { keccak256 } from 'viem'
import type { JournalEntry, Stores } from '../../store/types.js'
import { type Fees, suggestFees } from '../fees.js'
import { type KeyState, type Tracked, tracked } from './keyState.js'

const FILLER_GAS = 21_000n

/** Sends a journaled transaction (the tracking room's `broadcast`). */
export type Broadcast = (t: Tracked) => Promise<void>

/**
 * Rebuilds the key's state from its journal and the chain: every journaled transaction is
 * tracked again (re-broadcast if the node lost it), and the next nonce is past all of them.
 */
export async function recover(k: KeyState<Pick<Stores, 'journal'>>, broadcast: Broadcast): Promise<void> {
  const { stores, chain } = k.deps
  const client = chain.publicClient
  const [entries, latest, pending] = await Promise.all([
    stores.journal.journal(chain.chainId, k.address),
    client.getTransactionCount({ address: k.address, blockTag: 'latest' }),
    client.getTransactionCount({ address: k.address, blockTag: 'pending' }),
  ])
  k.inflight.clear()
  let next = Math.max(latest, pending)
  for (const entry of entries) {
    k.inflight.set(entry.nonce, tracked(k, entry))
    next = Math.max(next, entry.nonce + 1)
  }
  k.nextNonce = next
  k.log.info({ journaled: entries.length, nonce: next, chainNonce: latest }, 'relayer key taken; journal recovered')
  for (let nonce = Math.max(latest, pending); nonce < next; nonce++) {
    if (!k.inflight.has(nonce)) await sendFiller(k, nonce, broadcast)
  }
}

/** Fills every nonce between the chain's pending nonce and ours that no journal entry holds. */
export async function fillGaps(k: KeyState<Pick<Stores, 'journal'>>, broadcast: Broadcast): Promise<void> {
  const pending = await k.deps.chain.publicClient.getTransactionCount({ address: k.address, blockTag: 'pending' })
  for (let nonce = pending; nonce < k.nextNonce; nonce++) {
    if (!k.inflight.has(nonce)) await sendFiller(k, nonce, broadcast)
  }
}

/** Journals and sends an empty transaction to the key itself at `nonce`. */
export async function sendFiller(
  k: KeyState<Pick<Stores, 'journal'>>,
  nonce: number,
  broadcast: Broadcast,
): Promise<void> {
  const { chain } = k.deps
  const fees = await suggestFees(chain.publicClient, chain.fees)
  const feeFields: Fees = fees.hold
    ? { maxFeePerGas: chain.fees.maxFeePerGas ?? fees.baseFee, maxPriorityFeePerGas: 0n }
    : { maxFeePerGas: fees.maxFeePerGas, maxPriorityFeePerGas: fees.maxPriorityFeePerGas }
  const raw = await k.relayer.account.signTransaction({
    chainId: chain.chainId,
    type: 'eip1559',
    to: k.address,
    value: 0n,
    gas: FILLER_GAS,
    nonce,
    maxFeePerGas: feeFields.maxFeePerGas,
    maxPriorityFeePerGas: feeFields.maxPriorityFeePerGas,
  })
  const entry: JournalEntry = {
    chainId: chain.chainId,
    relayer: k.address,
    nonce,
    kind: 'filler',
    requestIds: [],
    gas: FILLER_GAS,
    transactions: [{ hash: keccak256(raw), raw, ...feeFields, sentAt: Date.now() }],
    createdAt: Date.now(),
  }
  const result = await k.deps.stores.journal.recordTransaction(entry, k.fence)
  if (!result.ok) {
    k.lose('journal write refused')
    return
  }
  k.log.warn({ nonce }, 'filling a nonce gap with an empty transaction')
  const t = tracked(k, entry)
  k.inflight.set(nonce, t)
  k.nextNonce = Math.max(k.nextNonce, nonce + 1)
  await broadcast(t)
}

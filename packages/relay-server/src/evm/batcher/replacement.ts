// A stuck transaction replaced: same nonce, same call, bumped fees, journaled before it is sent.
import { keccak256, parseTransaction } from 'viem'
import type { JournalEntry, SentTransaction, Stores } from '../../store/types.js'
import { replacementFees, suggestFees } from '../fees.js'
import type { KeyState, Tracked } from './keyState.js'

/**
 * Re-signs the entry's transaction with bumped fees and journals the new variant, or keeps the
 * last one when the fee ceiling allows no bump. True when there is a variant to broadcast; false
 * when the journal refused it (the lease is gone).
 */
export async function replace(k: KeyState<Pick<Stores, 'journal'>>, t: Tracked): Promise<boolean> {
  const { chain, stores, metrics } = k.deps
  const last = t.entry.transactions.at(-1) as SentTransaction
  const market = await suggestFees(chain.publicClient, chain.fees)
  const fees = replacementFees(last, market, chain.fees)
  t.replaceAt = Date.now() + chain.fees.replaceAfterMs
  if (!fees) {
    if (!k.holding) k.log.warn({ nonce: t.entry.nonce }, 'stuck transaction already at the fee ceiling; waiting')
    metrics.feeHold(chain.chainId)
    return true
  }
  const parsed = parseTransaction(last.raw)
  const raw = await k.relayer.account.signTransaction({
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
  const result = await stores.journal.recordTransaction(entry, k.fence)
  if (!result.ok) {
    k.lose('journal write refused')
    return false
  }
  t.entry = entry
  t.accepted = false
  metrics.replacement(chain.chainId)
  k.log.info(
    { nonce: entry.nonce, txHash: entry.transactions.at(-1)?.hash, maxFeePerGas: fees.maxFeePerGas },
    'replaced a stuck transaction with bumped fees',
  )
  return true
}

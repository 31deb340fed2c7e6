// The last look before signing: requests that can no longer run are settled, the rest ordered.
import type { Address } from 'viem'
import type { StoredRequest, Stores } from '../../store/types.js'
import { canStillRun, nextNonce, readSenderNonces } from '../nonces.js'
import type { KeyState } from './keyState.js'
import { reject, settleExecuted } from './settlement.js'

/** Requests whose deadline is this close are not worth sending. */
const DEADLINE_MARGIN_SECONDS = 3n

/**
 * Rejects requests that can no longer execute and orders the rest by sender and nonce. Requests
 * that must wait for an earlier nonce go back to the queue.
 */
export async function screen(
  k: KeyState<Pick<Stores, 'queue' | 'requests'>>,
  claimed: StoredRequest[],
): Promise<StoredRequest[]> {
  const { chain, stores } = k.deps
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
    await stores.queue.release(claimed.map((r) => r.id))
    throw error
  }
  const now = BigInt(Math.floor(Date.now() / 1000))
  const ready: StoredRequest[] = []
  const later: string[] = []
  const work: Promise<void>[] = []
  for (const [i, sender] of senders.entries()) {
    const list = (bySender.get(sender) ?? []).sort((a, b) => (a.request.nonce < b.request.nonce ? -1 : 1))
    const chainNonce = chainNonces[i] ?? 0n
    const seen = k.seenNonces.get(sender) ?? 0n
    let expected = seen > chainNonce ? seen : chainNonce
    for (const r of list) {
      if (r.request.deadline <= now + DEADLINE_MARGIN_SECONDS) {
        work.push(reject(k, r, 'EXPIRED', 'the deadline passed before the request could be sent'))
      } else if (r.request.nonce < expected) {
        work.push(settleExecuted(k, r))
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
    const nonces = await readSenderNonces(stores.requests, chain, r.request.from)
    if (nonces.chainNonce >= r.request.nonce || canStillRun(r.request.nonce, nonces)) await stores.queue.release([id])
    else {
      const next = nextNonce(nonces)
      await reject(k, r, 'BAD_NONCE', `nonce ${r.request.nonce} cannot run: the forwarder expects ${next}`)
    }
  }
  return ready
}

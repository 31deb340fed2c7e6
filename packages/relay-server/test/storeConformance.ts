import type { Address, Hex } from 'viem'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DuplicateNonceError, type NewRequest, type RelayStore, type StoredRequest } from '../src/index.js'

const ALICE: Address = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'
const BOB: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906'
const TARGET: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3'

let counter = 0
function newRequest(from: Address, nonce: bigint, chainId = 31337): NewRequest {
  counter++
  return {
    id: `req-${counter}`,
    chainId,
    siteKey: 'pk_test',
    request: { from, to: TARGET, value: 0n, gas: 100_000n, nonce, deadline: 2_000_000_000n, data: '0x379607f5' },
    signature: `0x${'11'.repeat(65)}` as Hex,
  }
}

/** The behaviour every `RelayStore` adapter must have; adapters call this from their own test file. */
export function describeStoreConformance(name: string, createStore: () => Promise<RelayStore> | RelayStore) {
  describe(`RelayStore conformance: ${name}`, () => {
    let store: RelayStore
    beforeEach(async () => {
      store = await createStore()
    })
    afterEach(async () => {
      await store.close()
    })

    it('enqueues as queued and reads back bigints intact', async () => {
      const input = newRequest(ALICE, 7n)
      const stored = await store.enqueue(input)
      expect(stored).toMatchObject({ id: input.id, status: 'queued', request: input.request })
      expect(await store.get(input.id)).toEqual(stored)
      expect(await store.get('nope')).toBeUndefined()
    })

    it('refuses a second pending request with the same chain, sender and nonce', async () => {
      await store.enqueue(newRequest(ALICE, 0n))
      await expect(store.enqueue(newRequest(ALICE, 0n))).rejects.toBeInstanceOf(DuplicateNonceError)
      const results = await Promise.allSettled([store.enqueue(newRequest(BOB, 0n)), store.enqueue(newRequest(BOB, 0n))])
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      // Another chain, or once the first is final, is fine.
      await store.enqueue(newRequest(ALICE, 0n, 1))
    })

    it('allows a nonce again once the earlier request is final', async () => {
      const first = await store.enqueue(newRequest(ALICE, 0n))
      await store.update(first.id, { status: 'failed', error: { code: 'NOT_EXECUTED', message: 'x' } })
      await expect(store.enqueue(newRequest(ALICE, 0n))).resolves.toMatchObject({ status: 'queued' })
    })

    it('claims oldest first, holds the claim, and returns released requests', async () => {
      const a = await store.enqueue(newRequest(ALICE, 0n))
      const b = await store.enqueue(newRequest(ALICE, 1n))
      const c = await store.enqueue(newRequest(BOB, 0n))
      expect(await store.queueStats(31337)).toMatchObject({ depth: 3, oldestAt: a.createdAt })
      const first = await store.claimBatch(31337, { max: 2, leaseMs: 60_000 })
      expect(first.map((r) => r.id)).toEqual([a.id, b.id])
      expect((await store.queueStats(31337)).depth).toBe(1)
      const second = await store.claimBatch(31337, { max: 10, leaseMs: 60_000 })
      expect(second.map((r) => r.id)).toEqual([c.id])
      expect(await store.claimBatch(31337, { max: 10, leaseMs: 60_000 })).toEqual([])
      await store.release([b.id])
      expect((await store.claimBatch(31337, { max: 10, leaseMs: 60_000 })).map((r) => r.id)).toEqual([b.id])
      expect(await store.claimBatch(1, { max: 10, leaseMs: 60_000 })).toEqual([])
    })

    it('returns a claimed request to the queue when its lease ends', async () => {
      const a = await store.enqueue(newRequest(ALICE, 0n))
      await store.claimBatch(31337, { max: 1, leaseMs: 50 })
      expect(await store.claimBatch(31337, { max: 1, leaseMs: 50 })).toEqual([])
      await new Promise((r) => setTimeout(r, 80))
      expect((await store.claimBatch(31337, { max: 1, leaseMs: 50 })).map((r) => r.id)).toEqual([a.id])
    })

    it('updates statuses, leaves the queue once submitted, and notifies subscribers', async () => {
      const a = await store.enqueue(newRequest(ALICE, 0n))
      const seen: StoredRequest[] = []
      const unsubscribe = await store.subscribe(a.id, (r) => seen.push(r))
      await store.claimBatch(31337, { max: 1, leaseMs: 60_000 })
      const txHash = `0x${'ab'.repeat(32)}` as Hex
      await store.update(a.id, { status: 'submitted', txHash })
      expect((await store.queueStats(31337)).depth).toBe(0)
      const done = await store.update(a.id, { status: 'confirmed', blockNumber: 12n })
      expect(done).toMatchObject({ status: 'confirmed', txHash, blockNumber: 12n })
      await unsubscribe()
      await store.update(a.id, { status: 'confirmed' })
      await new Promise((r) => setTimeout(r, 20))
      expect(seen.map((r) => r.status)).toEqual(['submitted', 'confirmed'])
      expect(seen[1]).toMatchObject({ txHash, blockNumber: 12n })
    })

    it('counts pending requests per sender and chain', async () => {
      const a0 = await store.enqueue(newRequest(ALICE, 0n))
      await store.enqueue(newRequest(ALICE, 1n))
      await store.enqueue(newRequest(BOB, 0n))
      await store.enqueue(newRequest(ALICE, 0n, 1))
      expect(await store.pendingCount(31337, ALICE)).toBe(2)
      expect(await store.pendingCount(31337, ALICE.toLowerCase() as Address)).toBe(2)
      expect(await store.pendingNonces(31337, ALICE)).toEqual([0n, 1n])
      await store.update(a0.id, { status: 'submitted' })
      expect(await store.pendingCount(31337, ALICE)).toBe(2)
      await store.update(a0.id, { status: 'confirmed' })
      expect(await store.pendingNonces(31337, ALICE)).toEqual([1n])
      expect(await store.pendingCount(1, ALICE)).toBe(1)
    })

    it('answers ping while open', async () => {
      await expect(store.ping()).resolves.toBeUndefined()
    })
  })
}

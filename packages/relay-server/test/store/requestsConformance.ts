import type { Address, Hex } from 'viem'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StoredRequest, Stores } from '../../src/index.js'
import { ALICE, BOB, newRequest, type StoresFactory, sleep } from './fixtures.js'

/**
 * The request store (`src/store/requests/`): records, status changes, subscriptions, pending views:
 * what every backend's adapter must do. `describeStoreConformance` runs it on each backend.
 */
export function describeRequestStoreConformance(name: string, createStores: StoresFactory) {
  describe(`RequestStore conformance: ${name}`, () => {
    let stores: Stores
    beforeEach(async () => {
      stores = await createStores()
    })
    afterEach(async () => {
      await stores.close()
    })

    it('keeps a final record for the retention time, then drops it; never a pending one', async () => {
      const short = await createStores({ finalRetentionMs: 400 })
      try {
        const done = await short.admission.enqueue(newRequest(ALICE, 0n))
        const pending = await short.admission.enqueue(newRequest(BOB, 0n))
        await short.requests.update(done.id, { status: 'confirmed', txHash: `0x${'ab'.repeat(32)}`, blockNumber: 9n })
        expect((await short.requests.get(done.id))?.status).toBe('confirmed')
        await sleep(900)
        expect(await short.requests.get(done.id)).toBeUndefined()
        // A request that has not reached its outcome is never dropped, however old.
        expect((await short.requests.get(pending.id))?.status).toBe('queued')
        expect(await short.queue.claimBatch(31337, { max: 10, leaseMs: 1000 })).toHaveLength(1)
      } finally {
        await short.close()
      }
    })

    it('updates statuses, leaves the queue once submitted, and notifies subscribers', async () => {
      const a = await stores.admission.enqueue(newRequest(ALICE, 0n))
      const seen: StoredRequest[] = []
      const unsubscribe = await stores.requests.subscribe(a.id, (r) => seen.push(r))
      await stores.queue.claimBatch(31337, { max: 1, leaseMs: 60_000 })
      const txHash = `0x${'ab'.repeat(32)}` as Hex
      await stores.requests.update(a.id, { status: 'submitted', txHash })
      expect((await stores.queue.queueStats(31337)).depth).toBe(0)
      const done = await stores.requests.update(a.id, { status: 'confirmed', blockNumber: 12n })
      expect(done).toMatchObject({ status: 'confirmed', txHash, blockNumber: 12n })
      await unsubscribe()
      await stores.requests.update(a.id, { status: 'confirmed' })
      await new Promise((r) => setTimeout(r, 20))
      expect(seen.map((r) => r.status)).toEqual(['submitted', 'confirmed'])
      expect(seen[1]).toMatchObject({ txHash, blockNumber: 12n })
    })

    it('counts pending requests per sender and chain', async () => {
      const a0 = await stores.admission.enqueue(newRequest(ALICE, 0n))
      await stores.admission.enqueue(newRequest(ALICE, 1n))
      await stores.admission.enqueue(newRequest(BOB, 0n))
      await stores.admission.enqueue(newRequest(ALICE, 0n, 1))
      expect(await stores.requests.pendingCount(31337, ALICE)).toBe(2)
      expect(await stores.requests.pendingCount(31337, ALICE.toLowerCase() as Address)).toBe(2)
      expect(await stores.requests.pendingNonces(31337, ALICE)).toEqual([0n, 1n])
      await stores.requests.update(a0.id, { status: 'submitted' })
      expect(await stores.requests.pendingCount(31337, ALICE)).toBe(2)
      await stores.requests.update(a0.id, { status: 'confirmed' })
      expect(await stores.requests.pendingNonces(31337, ALICE)).toEqual([1n])
      expect(await stores.requests.pendingCount(1, ALICE)).toBe(1)
    })

    it('lists the pending requests of a sender by nonce, the lowest limit of them, without final ones', async () => {
      const a2 = await stores.admission.enqueue(newRequest(ALICE, 2n))
      const a0 = await stores.admission.enqueue(newRequest(ALICE, 0n))
      const a1 = await stores.admission.enqueue(newRequest(ALICE, 1n))
      await stores.admission.enqueue(newRequest(BOB, 0n))
      await stores.admission.enqueue(newRequest(ALICE, 0n, 1))
      const ids = async (limit: number) => (await stores.requests.pendingRequests(31337, ALICE, limit)).map((r) => r.id)
      expect(await ids(10)).toEqual([a0.id, a1.id, a2.id])
      expect(await ids(2)).toEqual([a0.id, a1.id])
      expect(await ids(0)).toEqual([])
      const [first] = await stores.requests.pendingRequests(31337, ALICE.toLowerCase() as Address, 1)
      expect(first).toMatchObject({ id: a0.id, request: { from: ALICE, nonce: 0n }, status: 'queued' })
      await stores.requests.update(a0.id, { status: 'submitted' })
      expect((await stores.requests.pendingRequests(31337, ALICE, 10)).map((r) => r.status)).toEqual([
        'submitted',
        'queued',
        'queued',
      ])
      await stores.requests.update(a0.id, { status: 'confirmed' })
      expect(await ids(10)).toEqual([a1.id, a2.id])
      expect(await stores.requests.pendingRequests(31337, '0x000000000000000000000000000000000000dEaD', 10)).toEqual([])
    })

    it('keeps the first final status: a late settlement never rewrites an outcome', async () => {
      const a = await stores.admission.enqueue(newRequest(ALICE, 0n))
      await stores.requests.update(a.id, { status: 'confirmed', txHash: `0x${'ab'.repeat(32)}`, blockNumber: 5n })
      const after = await stores.requests.update(a.id, {
        status: 'failed',
        error: { code: 'NOT_EXECUTED', message: 'late' },
      })
      expect(after).toMatchObject({ status: 'confirmed', blockNumber: 5n })
      expect(after.error).toBeUndefined()
      expect((await stores.requests.get(a.id))?.status).toBe('confirmed')
    })

    it('puts a request whose transaction can never run back at its arrival place, not behind newer ones', async () => {
      const a = await stores.admission.enqueue(newRequest(ALICE, 0n))
      await sleep(5)
      const b = await stores.admission.enqueue(newRequest(BOB, 0n))
      expect((await stores.queue.claimBatch(31337, { max: 1, leaseMs: 60_000 })).map((r) => r.id)).toEqual([a.id])
      await stores.requests.update(a.id, { status: 'submitted', txHash: `0x${'ab'.repeat(32)}` })
      await stores.requests.update(a.id, { status: 'queued' })
      expect(await stores.queue.queueStats(31337)).toEqual({ depth: 2, oldestAt: a.createdAt })
      expect((await stores.queue.claimBatch(31337, { max: 1, leaseMs: 60_000 })).map((r) => r.id)).toEqual([a.id])
      expect(b.createdAt).toBeGreaterThan(a.createdAt)
    })

    it("keeps a request's measured gas", async () => {
      const measured = await stores.admission.enqueue(newRequest(ALICE, 0n, 31337, { measuredGas: 65_252n }))
      expect(measured.measuredGas).toBe(65_252n)
      expect((await stores.requests.get(measured.id))?.measuredGas).toBe(65_252n)
      const [claimed] = await stores.queue.claimBatch(31337, { max: 1, leaseMs: 10_000 })
      expect(claimed?.measuredGas).toBe(65_252n)
      expect((await stores.admission.enqueue(newRequest(BOB, 0n))).measuredGas).toBeUndefined()
    })

    it('keeps the hash and block an update does not name', async () => {
      const a = await stores.admission.enqueue(newRequest(ALICE, 0n))
      const txHash = `0x${'ab'.repeat(32)}` as Hex
      await stores.requests.update(a.id, { status: 'submitted', txHash, blockNumber: 4n })
      const done = await stores.requests.update(a.id, { status: 'confirmed' })
      expect(done).toMatchObject({ status: 'confirmed', txHash, blockNumber: 4n })
      expect(await stores.requests.get(a.id)).toMatchObject({ txHash, blockNumber: 4n })
    })
  })
}

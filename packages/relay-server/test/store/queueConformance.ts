import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Stores } from '../../src/index.js'
import { ALICE, BOB, newRequest, type StoresFactory } from './fixtures.js'

/**
 * The queue store (`src/store/queue/`): claims, releases, depth:
 * what every backend's adapter must do. `describeStoreConformance` runs it on each backend.
 */
export function describeQueueConformance(name: string, createStores: StoresFactory) {
  describe(`QueueStore conformance: ${name}`, () => {
    let stores: Stores
    beforeEach(async () => {
      stores = await createStores()
    })
    afterEach(async () => {
      await stores.close()
    })

    it('claims oldest first, holds the claim, and returns released requests', async () => {
      const a = await stores.admission.enqueue(newRequest(ALICE, 0n))
      const b = await stores.admission.enqueue(newRequest(ALICE, 1n))
      const c = await stores.admission.enqueue(newRequest(BOB, 0n))
      expect(await stores.queue.queueStats(31337)).toMatchObject({ depth: 3, oldestAt: a.createdAt })
      const first = await stores.queue.claimBatch(31337, { max: 2, leaseMs: 60_000 })
      expect(first.map((r) => r.id)).toEqual([a.id, b.id])
      expect((await stores.queue.queueStats(31337)).depth).toBe(1)
      const second = await stores.queue.claimBatch(31337, { max: 10, leaseMs: 60_000 })
      expect(second.map((r) => r.id)).toEqual([c.id])
      expect(await stores.queue.claimBatch(31337, { max: 10, leaseMs: 60_000 })).toEqual([])
      await stores.queue.release([b.id])
      expect((await stores.queue.claimBatch(31337, { max: 10, leaseMs: 60_000 })).map((r) => r.id)).toEqual([b.id])
      expect(await stores.queue.claimBatch(1, { max: 10, leaseMs: 60_000 })).toEqual([])
    })

    it('returns a claimed request to the queue when its lease ends', async () => {
      const a = await stores.admission.enqueue(newRequest(ALICE, 0n))
      // Long enough for a slow (REST, loaded machine) second call to land inside the lease.
      await stores.queue.claimBatch(31337, { max: 1, leaseMs: 400 })
      expect(await stores.queue.claimBatch(31337, { max: 1, leaseMs: 400 })).toEqual([])
      await new Promise((r) => setTimeout(r, 450))
      expect((await stores.queue.claimBatch(31337, { max: 1, leaseMs: 400 })).map((r) => r.id)).toEqual([a.id])
    })

    it('holds back a sender whose transaction is in flight, and lets others through', async () => {
      const a0 = await stores.admission.enqueue(newRequest(ALICE, 0n))
      const a1 = await stores.admission.enqueue(newRequest(ALICE, 1n))
      const b0 = await stores.admission.enqueue(newRequest(BOB, 0n))
      expect((await stores.queue.claimBatch(31337, { max: 1, leaseMs: 60_000 })).map((r) => r.id)).toEqual([a0.id])
      await stores.requests.update(a0.id, { status: 'submitted', txHash: `0x${'ab'.repeat(32)}` })
      // Alice's next nonce must wait for the transaction carrying her previous one.
      expect((await stores.queue.claimBatch(31337, { max: 10, leaseMs: 60_000 })).map((r) => r.id)).toEqual([b0.id])
      await stores.requests.update(a0.id, { status: 'confirmed', blockNumber: 1n })
      expect((await stores.queue.claimBatch(31337, { max: 10, leaseMs: 60_000 })).map((r) => r.id)).toEqual([a1.id])
    })

    it('takes a final request out of the queue even when it was never claimed', async () => {
      const a = await stores.admission.enqueue(newRequest(ALICE, 0n))
      const b = await stores.admission.enqueue(newRequest(BOB, 0n))
      await stores.requests.update(a.id, { status: 'rejected', error: { code: 'EXPIRED', message: 'x' } })
      expect((await stores.queue.claimBatch(31337, { max: 10, leaseMs: 60_000 })).map((r) => r.id)).toEqual([b.id])
      expect(await stores.queue.claimBatch(31337, { max: 10, leaseMs: 60_000 })).toEqual([])
    })

    it('leaves a request updated to queued in the queue, its sender free', async () => {
      const a = await stores.admission.enqueue(newRequest(ALICE, 0n))
      await stores.requests.update(a.id, { status: 'queued' })
      expect((await stores.queue.claimBatch(31337, { max: 10, leaseMs: 60_000 })).map((r) => r.id)).toEqual([a.id])
    })

    it('returns a submitted request to the queue when its transaction can never run', async () => {
      const a = await stores.admission.enqueue(newRequest(ALICE, 0n))
      expect((await stores.queue.claimBatch(31337, { max: 1, leaseMs: 60_000 })).map((r) => r.id)).toEqual([a.id])
      await stores.requests.update(a.id, { status: 'submitted', txHash: `0x${'ab'.repeat(32)}` })
      expect(await stores.queue.claimBatch(31337, { max: 10, leaseMs: 60_000 })).toEqual([])
      await stores.requests.update(a.id, { status: 'queued' })
      // Claimable again at once: no claim left on it and its sender no longer counted in flight.
      expect((await stores.queue.claimBatch(31337, { max: 10, leaseMs: 60_000 })).map((r) => r.id)).toEqual([a.id])
    })
  })
}

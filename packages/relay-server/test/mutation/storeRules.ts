import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Stores } from '../../src/index.js'
import { ALICE, BOB, journalEntry, newRequest, type StoresFactory, sleep } from '../store/fixtures.js'

/** Waits for `done` (an event delivered through the store), failing after 10 s. */
async function until(done: () => boolean): Promise<void> {
  for (let waited = 0; !done(); waited += 10) {
    if (waited > 10_000) throw new Error('timed out waiting for a store event')
    await sleep(10)
  }
}

const TX_HASH = `0x${'ab'.repeat(32)}` as const

/**
 * Store rules the conformance suites (`../store/*Conformance.ts`) left unpinned, found by the mutation run on the
 * memory adapters (`src/store/{requests,queue}/memory.ts`, issue 12); run on every backend like the suites, so the
 * memory twin and the Lua scripts are held to the same answers.
 */
export function describeStoreRules(name: string, createStores: StoresFactory) {
  describe(`store rules (mutation run): ${name}`, () => {
    let stores: Stores
    beforeEach(async () => {
      stores = await createStores()
    })
    afterEach(async () => {
      await stores.close()
    })

    it('lists a sender’s pending nonces in order whatever order they came in, and none for an unknown sender', async () => {
      for (const nonce of [2n, 0n, 3n, 1n]) await stores.admission.enqueue(newRequest(ALICE, nonce))
      expect(await stores.requests.pendingNonces(31337, ALICE)).toEqual([0n, 1n, 2n, 3n])
      expect(await stores.requests.pendingNonces(31337, BOB)).toEqual([])
      expect(await stores.requests.pendingCount(31337, BOB)).toBe(0)
      expect(await stores.requests.pendingRequests(31337, BOB, 10)).toEqual([])
    })

    it('stops notifying a subscriber once it unsubscribed', async () => {
      const a = await stores.admission.enqueue(newRequest(ALICE, 0n))
      const first: string[] = []
      const unsubscribe = await stores.requests.subscribe(a.id, (r) => first.push(r.status))
      await stores.requests.update(a.id, { status: 'submitted', txHash: TX_HASH })
      await until(() => first.length === 1)
      await unsubscribe()
      await stores.requests.update(a.id, { status: 'queued' })
      // A later subscriber's first event comes after the one the first subscriber must not get (one channel, in order).
      const second: string[] = []
      await stores.requests.subscribe(a.id, (r) => second.push(r.status))
      await stores.requests.update(a.id, { status: 'submitted', txHash: TX_HASH })
      await until(() => second.length === 1)
      expect(first).toEqual(['submitted'])
      expect(second).toEqual(['submitted'])
    })

    it('keeps the claim on a queued request updated to queued again (only a submitted one loses it)', async () => {
      const fence = { name: 'relayer:31337:rules', owner: 'me' }
      expect(await stores.leases.acquireLease(fence.name, fence.owner, 60_000)).toBe(true)
      const a = await stores.admission.enqueue(newRequest(ALICE, 0n))
      expect(
        (await stores.queue.claimBatch(31337, { max: 1, leaseMs: 60_000, owner: 'claim-1' })).map((r) => r.id),
      ).toEqual([a.id])
      await stores.requests.update(a.id, { status: 'queued' })
      expect(await stores.queue.claimBatch(31337, { max: 1, leaseMs: 60_000, owner: 'claim-2' })).toEqual([])
      expect(await stores.journal.recordTransaction(journalEntry(0, [a.id]), fence, 'claim-1')).toEqual({ ok: true })
    })

    it('holds a sender back while any of its transactions is in flight, each counted once', async () => {
      const submit = (id: string, hash = TX_HASH) => stores.requests.update(id, { status: 'submitted', txHash: hash })
      const claim = async () =>
        (await stores.queue.claimBatch(31337, { max: 10, leaseMs: 60_000 })).map((r) => r.request.nonce)
      const a0 = await stores.admission.enqueue(newRequest(ALICE, 0n))
      const a1 = await stores.admission.enqueue(newRequest(ALICE, 1n))
      expect(await claim()).toEqual([0n, 1n])
      const a2 = await stores.admission.enqueue(newRequest(ALICE, 2n))
      // Two transactions in flight: the sender waits until both are final.
      await submit(a0.id)
      await submit(a1.id)
      await stores.requests.update(a0.id, { status: 'confirmed', blockNumber: 1n })
      expect(await claim()).toEqual([])
      // A replacement marks the request submitted again: still one transaction in flight.
      await submit(a1.id, `0x${'cd'.repeat(32)}`)
      await stores.requests.update(a1.id, { status: 'confirmed', blockNumber: 2n })
      expect(await claim()).toEqual([2n])
      // A request settled without ever being sent frees nothing.
      const a3 = await stores.admission.enqueue(newRequest(ALICE, 3n))
      await submit(a2.id)
      await stores.requests.update(a3.id, { status: 'rejected', error: { code: 'EXPIRED', message: 'x' } })
      const a4 = await stores.admission.enqueue(newRequest(ALICE, 4n))
      expect(await claim()).toEqual([])
      // Back to the queue, then final: its transaction counted out once, not twice.
      await stores.requests.update(a2.id, { status: 'queued' })
      await stores.requests.update(a2.id, { status: 'rejected', error: { code: 'EXPIRED', message: 'x' } })
      expect(await claim()).toEqual([4n])
      await stores.admission.enqueue(newRequest(ALICE, 5n))
      await submit(a4.id)
      expect(await claim()).toEqual([])
    })

    it('names the in-flight cap an enqueue hit, for the sender and for the client address', async () => {
      const capped = (from: typeof ALICE, nonce: bigint) =>
        stores.admission.enqueue(newRequest(from, nonce, 31337, { inFlight: { maxPerSender: 2 } }))
      await capped(ALICE, 0n)
      await capped(ALICE, 1n)
      await expect(capped(ALICE, 2n)).rejects.toThrow(/^the sender has 2 requests in flight/)
      const fromIp = (from: typeof ALICE, nonce: bigint) =>
        stores.admission.enqueue(newRequest(from, nonce, 31337, { inFlight: { ipKey: 'ip-rules', maxPerIp: 1 } }))
      await fromIp(BOB, 0n)
      await expect(fromIp(ALICE, 5n)).rejects.toThrow(/^the address has 1 requests in flight/)
    })

    it('answers an empty queue with its depth alone, and releases ids it does not know', async () => {
      expect(await stores.queue.queueStats(31337)).toStrictEqual({ depth: 0 })
      await expect(stores.queue.release(['31337-req-unknown'])).resolves.toBeUndefined()
      const a = await stores.admission.enqueue(newRequest(ALICE, 0n))
      expect(await stores.queue.queueStats(31337)).toStrictEqual({ depth: 1, oldestAt: a.createdAt })
    })
  })
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SentTransaction, Stores } from '../../src/index.js'
import { ALICE, BOB, journalEntry, newRequest, RELAYER, type StoresFactory, sleep } from './fixtures.js'

/**
 * The journal store (`src/store/journal/`): lease-fenced writes that attach claimed requests:
 * what every backend's adapter must do. `describeStoreConformance` runs it on each backend.
 */
export function describeJournalConformance(name: string, createStores: StoresFactory) {
  describe(`JournalStore conformance: ${name}`, () => {
    let stores: Stores
    beforeEach(async () => {
      stores = await createStores()
    })
    afterEach(async () => {
      await stores.close()
    })

    it('journals a transaction only under its lease, attaching claimed requests all or nothing', async () => {
      const fence = { name: 'relayer:31337', owner: 'me' }
      const a = await stores.admission.enqueue(newRequest(ALICE, 0n))
      const b = await stores.admission.enqueue(newRequest(BOB, 0n))
      await stores.queue.claimBatch(31337, { max: 1, leaseMs: 60_000, owner: 'claim-1' })
      // No lease: nothing is written.
      expect(await stores.journal.recordTransaction(journalEntry(4, [a.id]), fence, 'claim-1')).toEqual({
        ok: false,
        reason: 'lease',
      })
      expect(await stores.leases.acquireLease(fence.name, fence.owner, 60_000)).toBe(true)
      // b is not claimed by claim-1: nothing is written, a stays queued.
      expect(await stores.journal.recordTransaction(journalEntry(4, [a.id, b.id]), fence, 'claim-1')).toEqual({
        ok: false,
        reason: 'claim',
        ids: [b.id],
      })
      expect((await stores.requests.get(a.id))?.status).toBe('queued')
      expect(await stores.journal.journal(31337, RELAYER)).toEqual([])
      const seen: string[] = []
      await stores.requests.subscribe(a.id, (r) => seen.push(`${r.status}:${r.txHash}`))
      expect(await stores.journal.recordTransaction(journalEntry(4, [a.id]), fence, 'claim-1')).toEqual({ ok: true })
      expect(await stores.requests.get(a.id)).toMatchObject({ status: 'submitted', txHash: `0x${'cd'.repeat(32)}` })
      expect(await stores.journal.journal(31337, RELAYER)).toEqual([journalEntry(4, [a.id])])
      // A replacement updates the entry and the hash of its requests.
      const replaced = journalEntry(4, [a.id])
      replaced.transactions.push({
        ...(replaced.transactions[0] as SentTransaction),
        hash: `0x${'ef'.repeat(32)}`,
        maxFeePerGas: 3n,
      })
      expect(await stores.journal.recordTransaction(replaced, fence)).toEqual({ ok: true })
      expect((await stores.journal.journal(31337, RELAYER))[0]?.transactions).toHaveLength(2)
      expect((await stores.requests.get(a.id))?.txHash).toBe(`0x${'ef'.repeat(32)}`)
      await sleep(20)
      expect(seen).toEqual([`submitted:0x${'cd'.repeat(32)}`, `submitted:0x${'ef'.repeat(32)}`])
      // Removal is fenced too.
      expect(await stores.journal.removeTransaction(31337, RELAYER, 4, { ...fence, owner: 'other' })).toBe(false)
      expect(await stores.journal.removeTransaction(31337, RELAYER, 4, fence)).toBe(true)
      expect(await stores.journal.journal(31337, RELAYER)).toEqual([])
    })

    it('refuses to attach a request whose claim another instance took over', async () => {
      const fence = { name: 'relayer:31337:x', owner: 'me' }
      await stores.leases.acquireLease(fence.name, fence.owner, 60_000)
      const a = await stores.admission.enqueue(newRequest(ALICE, 0n))
      await stores.queue.claimBatch(31337, { max: 1, leaseMs: 100, owner: 'slow' })
      await sleep(150)
      expect(
        (await stores.queue.claimBatch(31337, { max: 1, leaseMs: 60_000, owner: 'fast' })).map((r) => r.id),
      ).toEqual([a.id])
      expect(await stores.journal.recordTransaction(journalEntry(0, [a.id]), fence, 'slow')).toMatchObject({
        ok: false,
        reason: 'claim',
      })
      expect(await stores.journal.recordTransaction(journalEntry(0, [a.id]), fence, 'fast')).toEqual({ ok: true })
    })
  })
}

import type { Address, Hex } from 'viem'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  BudgetExceededError,
  DuplicateNonceError,
  IpInFlightError,
  type JournalEntry,
  type NewRequest,
  QuotaExceededError,
  RateLimitedError,
  type RelayStore,
  SenderInFlightError,
  type SentTransaction,
  SitePausedError,
  type StoredRequest,
} from '../src/index.js'

const ALICE: Address = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'
const BOB: Address = '0x90F79bf6EB2c4f870365E785982E1f101E93b906'
const TARGET: Address = '0x5FbDB2315678afecb367f032d93F642f64180aa3'

let counter = 0
function newRequest(from: Address, nonce: bigint, chainId = 31337, extra: Partial<NewRequest> = {}): NewRequest {
  counter++
  return {
    // Ids name their chain (`newRequestId`): the Redis stores find a record's slot by it.
    id: `${extra.chainId ?? chainId}-req-${counter}`,
    chainId,
    siteKey: 'pk_test',
    request: { from, to: TARGET, value: 0n, gas: 100_000n, nonce, deadline: 2_000_000_000n, data: '0x379607f5' },
    signature: `0x${'11'.repeat(65)}` as Hex,
    ...extra,
  }
}

const RELAYER: Address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
function journalEntry(nonce: number, requestIds: string[], hash = `0x${'cd'.repeat(32)}` as Hex): JournalEntry {
  return {
    chainId: 31337,
    relayer: RELAYER,
    nonce,
    kind: 'batch',
    requestIds,
    gas: 123_456n,
    transactions: [
      { hash, raw: '0x02f8', maxFeePerGas: 2n ** 70n + 1n, maxPriorityFeePerGas: 1n, sentAt: 1_700_000_000_000 },
    ],
    createdAt: 1_700_000_000_000,
  }
}

/** The behaviour every `RelayStore` adapter must have; adapters call this from their own test file. */
export interface ConformanceStoreOptions {
  finalRetentionMs?: number
}

export function describeStoreConformance(
  name: string,
  createStore: (options?: ConformanceStoreOptions) => Promise<RelayStore> | RelayStore,
) {
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

    it('keeps a final record for the retention time, then drops it; never a pending one', async () => {
      const short = await createStore({ finalRetentionMs: 400 })
      try {
        const done = await short.enqueue(newRequest(ALICE, 0n))
        const pending = await short.enqueue(newRequest(BOB, 0n))
        await short.update(done.id, { status: 'confirmed', txHash: `0x${'ab'.repeat(32)}`, blockNumber: 9n })
        expect((await short.get(done.id))?.status).toBe('confirmed')
        await sleep(900)
        expect(await short.get(done.id)).toBeUndefined()
        // A request that has not reached its outcome is never dropped, however old.
        expect((await short.get(pending.id))?.status).toBe('queued')
        expect(await short.claimBatch(31337, { max: 10, leaseMs: 1000 })).toHaveLength(1)
      } finally {
        await short.close()
      }
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
      // Long enough for a slow (REST, loaded machine) second call to land inside the lease.
      await store.claimBatch(31337, { max: 1, leaseMs: 400 })
      expect(await store.claimBatch(31337, { max: 1, leaseMs: 400 })).toEqual([])
      await new Promise((r) => setTimeout(r, 450))
      expect((await store.claimBatch(31337, { max: 1, leaseMs: 400 })).map((r) => r.id)).toEqual([a.id])
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

    it('lists the pending requests of a sender by nonce, the lowest limit of them, without final ones', async () => {
      const a2 = await store.enqueue(newRequest(ALICE, 2n))
      const a0 = await store.enqueue(newRequest(ALICE, 0n))
      const a1 = await store.enqueue(newRequest(ALICE, 1n))
      await store.enqueue(newRequest(BOB, 0n))
      await store.enqueue(newRequest(ALICE, 0n, 1))
      const ids = async (limit: number) => (await store.pendingRequests(31337, ALICE, limit)).map((r) => r.id)
      expect(await ids(10)).toEqual([a0.id, a1.id, a2.id])
      expect(await ids(2)).toEqual([a0.id, a1.id])
      expect(await ids(0)).toEqual([])
      const [first] = await store.pendingRequests(31337, ALICE.toLowerCase() as Address, 1)
      expect(first).toMatchObject({ id: a0.id, request: { from: ALICE, nonce: 0n }, status: 'queued' })
      await store.update(a0.id, { status: 'submitted' })
      expect((await store.pendingRequests(31337, ALICE, 10)).map((r) => r.status)).toEqual([
        'submitted',
        'queued',
        'queued',
      ])
      await store.update(a0.id, { status: 'confirmed' })
      expect(await ids(10)).toEqual([a1.id, a2.id])
      expect(await store.pendingRequests(31337, '0x000000000000000000000000000000000000dEaD', 10)).toEqual([])
    })

    it('answers ping while open', async () => {
      await expect(store.ping()).resolves.toBeUndefined()
    })

    it('holds back a sender whose transaction is in flight, and lets others through', async () => {
      const a0 = await store.enqueue(newRequest(ALICE, 0n))
      const a1 = await store.enqueue(newRequest(ALICE, 1n))
      const b0 = await store.enqueue(newRequest(BOB, 0n))
      expect((await store.claimBatch(31337, { max: 1, leaseMs: 60_000 })).map((r) => r.id)).toEqual([a0.id])
      await store.update(a0.id, { status: 'submitted', txHash: `0x${'ab'.repeat(32)}` })
      // Alice's next nonce must wait for the transaction carrying her previous one.
      expect((await store.claimBatch(31337, { max: 10, leaseMs: 60_000 })).map((r) => r.id)).toEqual([b0.id])
      await store.update(a0.id, { status: 'confirmed', blockNumber: 1n })
      expect((await store.claimBatch(31337, { max: 10, leaseMs: 60_000 })).map((r) => r.id)).toEqual([a1.id])
    })

    it('keeps the first final status: a late settlement never rewrites an outcome', async () => {
      const a = await store.enqueue(newRequest(ALICE, 0n))
      await store.update(a.id, { status: 'confirmed', txHash: `0x${'ab'.repeat(32)}`, blockNumber: 5n })
      const after = await store.update(a.id, { status: 'failed', error: { code: 'NOT_EXECUTED', message: 'late' } })
      expect(after).toMatchObject({ status: 'confirmed', blockNumber: 5n })
      expect(after.error).toBeUndefined()
      expect((await store.get(a.id))?.status).toBe('confirmed')
    })

    it('reserves budget with enqueue and settles it exactly, above 2^53 wei', async () => {
      const day = '2026-11-21'
      const limitWei = 9_000_000_000_000_000_001n // > 2^63 / 1.03, exact to the wei
      const amountWei = 3_000_000_000_000_000_000n
      const reserve = (nonce: bigint, amount = amountWei) =>
        store.enqueue(newRequest(ALICE, nonce, 31337, { reservation: { day, limitWei, amountWei: amount } }))
      const a = await reserve(0n)
      expect(a.reservedWei).toBe(amountWei)
      await reserve(1n)
      await reserve(2n)
      expect((await store.siteState('pk_test', day)).usedWei).toBe(9_000_000_000_000_000_000n)
      await expect(reserve(3n, 2n)).rejects.toBeInstanceOf(BudgetExceededError)
      const ok = await reserve(3n, 1n) // exactly up to the limit
      expect(ok.status).toBe('queued')
      // A refused reservation leaves nothing behind, and a nonce refused for budget is free again.
      expect((await store.siteState('pk_test', day)).usedWei).toBe(limitWei)
      // Settling returns the unused part once, however often the final update is repeated.
      await store.update(a.id, { status: 'confirmed', spentWei: 1_000_000_000_000_000_007n })
      await store.update(a.id, { status: 'confirmed', spentWei: 1n })
      let state = await store.siteState('pk_test', day)
      expect(state.usedWei).toBe(limitWei - 2_000_000_000_000_000_000n + 7n)
      expect(state.spentWei).toBe(1_000_000_000_000_000_007n)
      expect((await store.get(a.id))?.spentWei).toBe(1_000_000_000_000_000_007n)
      // A rejected request gives its whole reservation back (the cap is its own test below).
      await store.update(ok.id, { status: 'rejected', error: { code: 'EXPIRED', message: 'x' } })
      state = await store.siteState('pk_test', day)
      expect(state.usedWei).toBe(limitWei - 2_000_000_000_000_000_000n + 6n)
      expect((await store.siteState('pk_test', '2026-11-22')).usedWei).toBe(0n)
    })

    it('caps a settled cost at the reservation: never charges more than it reserved', async () => {
      const day = '2026-11-23'
      const limitWei = 9_000_000_000_000_000_000n
      const reserved = 3_000_000_000_000_000_000n // past 2^53: compared as decimal strings in Lua
      const reserve = (from: Address, nonce: bigint, amountWei = reserved) =>
        store.enqueue(newRequest(from, nonce, 31337, { reservation: { day, limitWei, amountWei } }))
      const over = await reserve(ALICE, 0n)
      const longer = await reserve(BOB, 0n)
      const exact = await reserve(ALICE, 1n, 7n)
      expect((await store.siteState('pk_test', day)).usedWei).toBe(2n * reserved + 7n)
      // Same number of digits, larger: a string compare that ignored length or order would pass it.
      const settledOver = await store.update(over.id, { status: 'confirmed', spentWei: reserved + 1n })
      expect(settledOver.spentWei).toBe(reserved)
      // More digits than the reservation (an overflowing estimate).
      await store.update(longer.id, { status: 'failed', error: { code: 'X', message: 'x' }, spentWei: 10n ** 30n })
      // A tiny reservation against a claimed cost of 8 wei (one digit each).
      await store.update(exact.id, { status: 'confirmed', spentWei: 8n })
      const state = await store.siteState('pk_test', day)
      expect(state.spentWei).toBe(2n * reserved + 7n)
      expect(state.usedWei).toBe(2n * reserved + 7n)
      expect((await store.get(over.id))?.spentWei).toBe(reserved)
      expect((await store.get(longer.id))?.spentWei).toBe(reserved)
      expect((await store.get(exact.id))?.spentWei).toBe(7n)
    })

    it('counts the gas of a request without a budget on the day it is paid', async () => {
      const today = new Date().toISOString().slice(0, 10)
      const before = (await store.siteState('pk_test', today)).spentWei
      const a = await store.enqueue(newRequest(ALICE, 0n))
      const b = await store.enqueue(newRequest(BOB, 0n))
      await store.update(a.id, { status: 'confirmed', spentWei: 2n ** 62n + 3n }) // past 2^53, within Redis integers
      await store.update(a.id, { status: 'confirmed', spentWei: 5n }) // a late duplicate changes nothing
      await store.update(b.id, { status: 'failed', error: { code: 'X', message: 'x' }, spentWei: 4n })
      const state = await store.siteState('pk_test', today)
      expect(state.spentWei - before).toBe(2n ** 62n + 7n)
      expect(state.usedWei).toBe(0n) // nothing was reserved, nothing is used
      expect((await store.get(a.id))?.spentWei).toBe(2n ** 62n + 3n)
    })

    it("caps a sender's requests in flight per chain, atomically, until one is final", async () => {
      const day = '2026-11-24'
      const capped = (from: Address, nonce: bigint, chainId = 31337) =>
        store.enqueue(
          newRequest(from, nonce, chainId, {
            inFlight: { maxPerSender: 2 },
            reservation: { day, limitWei: 10n ** 18n, amountWei: 1_000n },
            quota: { key: `pk_test:inflight:${from}:${day}`, limit: 100, ttlSeconds: 60 },
          }),
        )
      const a = await capped(ALICE, 0n)
      await capped(ALICE, 1n)
      await expect(capped(ALICE, 2n)).rejects.toBeInstanceOf(SenderInFlightError)
      // Another sender, and the same sender on another chain, count apart.
      await capped(BOB, 0n)
      await capped(ALICE, 0n, 10)
      // The refusal gave its budget reservation back.
      expect((await store.siteState('pk_test', day)).usedWei).toBe(4_000n)
      // Concurrent submissions cannot slip past the cap together.
      const carol = '0x00000000000000000000000000000000000CA201' as Address
      const raced = await Promise.allSettled([0n, 1n, 2n, 3n, 4n].map((n) => capped(carol, n)))
      expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(2)
      for (const r of raced) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(SenderInFlightError)
      // Submitted is still in flight; a final status frees the place.
      await store.update(a.id, { status: 'submitted', txHash: `0x${'ab'.repeat(32)}` })
      await expect(capped(ALICE, 2n)).rejects.toBeInstanceOf(SenderInFlightError)
      await store.update(a.id, { status: 'confirmed', spentWei: 10n })
      expect((await capped(ALICE, 2n)).status).toBe('queued')
    })

    it("caps a client address's requests in flight per chain and releases them once final", async () => {
      const fromIp = (from: Address, ipKey: string, chainId = 31337) =>
        store.enqueue(newRequest(from, 0n, chainId, { inFlight: { ipKey, maxPerIp: 2 } }))
      const signers = Array.from({ length: 6 }, (_, i) => `0x${(0xa1 + i).toString(16).padStart(40, '0')}` as Address)
      const [s0, s1, s2, s3, s4, s5] = signers as [Address, Address, Address, Address, Address, Address]
      const first = await fromIp(s0, 'ip-one')
      const second = await fromIp(s1, 'ip-one')
      await expect(fromIp(s2, 'ip-one')).rejects.toBeInstanceOf(IpInFlightError)
      // Other addresses and other chains count apart; no key, no count.
      await fromIp(s2, 'ip-two')
      await fromIp(s3, 'ip-one', 10)
      await store.enqueue(newRequest(s4, 0n, 31337, { inFlight: { maxPerIp: 2 } }))
      // Each final request gives its place back, once, whatever its outcome.
      await store.update(first.id, { status: 'failed', error: { code: 'X', message: 'x' } })
      await store.update(first.id, { status: 'confirmed' })
      const third = await fromIp(s5, 'ip-one')
      await expect(fromIp(s3, 'ip-one')).rejects.toBeInstanceOf(IpInFlightError)
      await store.update(second.id, { status: 'rejected', error: { code: 'EXPIRED', message: 'x' } })
      await store.update(third.id, { status: 'confirmed' })
      await fromIp(s3, 'ip-one')
      expect((await fromIp(s0, 'ip-one')).status).toBe('queued')
      await expect(fromIp(s1, 'ip-one')).rejects.toBeInstanceOf(IpInFlightError)
    })

    it("keeps a request's measured gas", async () => {
      const measured = await store.enqueue(newRequest(ALICE, 0n, 31337, { measuredGas: 65_252n }))
      expect(measured.measuredGas).toBe(65_252n)
      expect((await store.get(measured.id))?.measuredGas).toBe(65_252n)
      const [claimed] = await store.claimBatch(31337, { max: 1, leaseMs: 10_000 })
      expect(claimed?.measuredGas).toBe(65_252n)
      expect((await store.enqueue(newRequest(BOB, 0n))).measuredGas).toBeUndefined()
    })

    it('never over-reserves under concurrent enqueues', async () => {
      const day = '2026-11-21'
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          store.enqueue(
            newRequest(`0x${(i + 1).toString(16).padStart(40, '0')}` as Address, 0n, 31337, {
              reservation: { day, limitWei: 7_000n, amountWei: 1_000n },
            }),
          ),
        ),
      )
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(7)
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(BudgetExceededError)
      expect((await store.siteState('pk_test', day)).usedWei).toBe(7_000n)
    })

    it('counts a sender quota with enqueue', async () => {
      const quota = { key: 'pk_test:alice:2026-11-21', limit: 2, ttlSeconds: 60 }
      await store.enqueue(newRequest(ALICE, 0n, 31337, { quota }))
      await expect(store.enqueue(newRequest(ALICE, 0n, 31337, { quota }))).rejects.toBeInstanceOf(DuplicateNonceError)
      await store.enqueue(newRequest(ALICE, 1n, 31337, { quota }))
      await expect(store.enqueue(newRequest(ALICE, 2n, 31337, { quota }))).rejects.toBeInstanceOf(QuotaExceededError)
      expect(await store.pendingNonces(31337, ALICE)).toEqual([0n, 1n])
    })

    it('leases: exclusive, renewable by their owner only, expiring, releasable', async () => {
      expect(await store.leaseHolder('relayer:1')).toBeUndefined()
      expect(await store.acquireLease('relayer:1', 'a', 1000)).toBe(true)
      expect(await store.leaseHolder('relayer:1')).toBe('a')
      expect(await store.acquireLease('relayer:1', 'b', 1000)).toBe(false)
      expect(await store.acquireLease('relayer:1', 'a', 1000)).toBe(true)
      expect(await store.renewLease('relayer:1', 'b', 1000)).toBe(false)
      expect(await store.renewLease('relayer:1', 'a', 400)).toBe(true)
      await sleep(450)
      expect(await store.renewLease('relayer:1', 'a', 150)).toBe(false)
      expect(await store.acquireLease('relayer:1', 'b', 60_000)).toBe(true)
      await store.releaseLease('relayer:1', 'a')
      expect(await store.acquireLease('relayer:1', 'a', 150)).toBe(false)
      await store.releaseLease('relayer:1', 'b')
      expect(await store.acquireLease('relayer:1', 'a', 150)).toBe(true)
    })

    it('journals a transaction only under its lease, attaching claimed requests all or nothing', async () => {
      const fence = { name: 'relayer:31337', owner: 'me' }
      const a = await store.enqueue(newRequest(ALICE, 0n))
      const b = await store.enqueue(newRequest(BOB, 0n))
      await store.claimBatch(31337, { max: 1, leaseMs: 60_000, owner: 'claim-1' })
      // No lease: nothing is written.
      expect(await store.recordTransaction(journalEntry(4, [a.id]), fence, 'claim-1')).toEqual({
        ok: false,
        reason: 'lease',
      })
      expect(await store.acquireLease(fence.name, fence.owner, 60_000)).toBe(true)
      // b is not claimed by claim-1: nothing is written, a stays queued.
      expect(await store.recordTransaction(journalEntry(4, [a.id, b.id]), fence, 'claim-1')).toEqual({
        ok: false,
        reason: 'claim',
        ids: [b.id],
      })
      expect((await store.get(a.id))?.status).toBe('queued')
      expect(await store.journal(31337, RELAYER)).toEqual([])
      const seen: string[] = []
      await store.subscribe(a.id, (r) => seen.push(`${r.status}:${r.txHash}`))
      expect(await store.recordTransaction(journalEntry(4, [a.id]), fence, 'claim-1')).toEqual({ ok: true })
      expect(await store.get(a.id)).toMatchObject({ status: 'submitted', txHash: `0x${'cd'.repeat(32)}` })
      expect(await store.journal(31337, RELAYER)).toEqual([journalEntry(4, [a.id])])
      // A replacement updates the entry and the hash of its requests.
      const replaced = journalEntry(4, [a.id])
      replaced.transactions.push({
        ...(replaced.transactions[0] as SentTransaction),
        hash: `0x${'ef'.repeat(32)}`,
        maxFeePerGas: 3n,
      })
      expect(await store.recordTransaction(replaced, fence)).toEqual({ ok: true })
      expect((await store.journal(31337, RELAYER))[0]?.transactions).toHaveLength(2)
      expect((await store.get(a.id))?.txHash).toBe(`0x${'ef'.repeat(32)}`)
      await sleep(20)
      expect(seen).toEqual([`submitted:0x${'cd'.repeat(32)}`, `submitted:0x${'ef'.repeat(32)}`])
      // Removal is fenced too.
      expect(await store.removeTransaction(31337, RELAYER, 4, { ...fence, owner: 'other' })).toBe(false)
      expect(await store.removeTransaction(31337, RELAYER, 4, fence)).toBe(true)
      expect(await store.journal(31337, RELAYER)).toEqual([])
    })

    it('refuses to attach a request whose claim another instance took over', async () => {
      const fence = { name: 'relayer:31337:x', owner: 'me' }
      await store.acquireLease(fence.name, fence.owner, 60_000)
      const a = await store.enqueue(newRequest(ALICE, 0n))
      await store.claimBatch(31337, { max: 1, leaseMs: 100, owner: 'slow' })
      await sleep(150)
      expect((await store.claimBatch(31337, { max: 1, leaseMs: 60_000, owner: 'fast' })).map((r) => r.id)).toEqual([
        a.id,
      ])
      expect(await store.recordTransaction(journalEntry(0, [a.id]), fence, 'slow')).toMatchObject({
        ok: false,
        reason: 'claim',
      })
      expect(await store.recordTransaction(journalEntry(0, [a.id]), fence, 'fast')).toEqual({ ok: true })
    })

    it('pauses and resumes a site; a paused site enqueues nothing', async () => {
      expect((await store.siteState('pk_x', '2026-11-21')).paused).toBe(false)
      await store.setSitePaused('pk_x', true)
      expect((await store.siteState('pk_x', '2026-11-21')).paused).toBe(true)
      await expect(store.enqueue(newRequest(ALICE, 0n, 31337, { siteKey: 'pk_x' }))).rejects.toBeInstanceOf(
        SitePausedError,
      )
      await store.enqueue(newRequest(ALICE, 0n, 31337, { siteKey: 'pk_y' }))
      await store.setSitePaused('pk_x', false)
      expect((await store.siteState('pk_x', '2026-11-21')).paused).toBe(false)
    })

    it('names the rule an enqueue breaks', async () => {
      const first = await store.enqueue(newRequest(ALICE, 0n))
      // The same id again (another nonce): ids are unique, whatever the request.
      await expect(store.enqueue({ ...newRequest(ALICE, 1n), id: first.id })).rejects.toThrow(
        `request id ${first.id} already exists`,
      )
      await expect(store.enqueue(newRequest(ALICE, 0n))).rejects.toThrow(`nonce 0 of ${ALICE} is already pending`)
      const quota = { key: `pk_test:bob:${counter}`, limit: 1, ttlSeconds: 60 }
      await store.enqueue(newRequest(BOB, 0n, 31337, { quota }))
      await expect(store.enqueue(newRequest(BOB, 1n, 31337, { quota }))).rejects.toThrow(
        'the sender used its quota of 1 requests',
      )
      const reservation = { day: '2026-11-24', limitWei: 10n, amountWei: 11n }
      await expect(store.enqueue(newRequest(BOB, 2n, 31337, { reservation }))).rejects.toThrow(
        "the site's daily gas budget is used up",
      )
      await store.setSitePaused('pk_z', true)
      await expect(store.enqueue(newRequest(BOB, 3n, 31337, { siteKey: 'pk_z' }))).rejects.toThrow(
        'site pk_z is paused',
      )
      await expect(store.update('31337-req-nope', { status: 'confirmed' })).rejects.toThrow(
        'unknown request 31337-req-nope',
      )
      // Nothing refused was stored: only the two first requests are pending.
      expect(await store.pendingNonces(31337, BOB)).toEqual([0n])
      expect(await store.pendingNonces(31337, ALICE)).toEqual([0n])
    })

    it('keeps the hash and block an update does not name', async () => {
      const a = await store.enqueue(newRequest(ALICE, 0n))
      const txHash = `0x${'ab'.repeat(32)}` as Hex
      await store.update(a.id, { status: 'submitted', txHash, blockNumber: 4n })
      const done = await store.update(a.id, { status: 'confirmed' })
      expect(done).toMatchObject({ status: 'confirmed', txHash, blockNumber: 4n })
      expect(await store.get(a.id)).toMatchObject({ txHash, blockNumber: 4n })
    })

    it('takes a final request out of the queue even when it was never claimed', async () => {
      const a = await store.enqueue(newRequest(ALICE, 0n))
      const b = await store.enqueue(newRequest(BOB, 0n))
      await store.update(a.id, { status: 'rejected', error: { code: 'EXPIRED', message: 'x' } })
      expect((await store.claimBatch(31337, { max: 10, leaseMs: 60_000 })).map((r) => r.id)).toEqual([b.id])
      expect(await store.claimBatch(31337, { max: 10, leaseMs: 60_000 })).toEqual([])
    })

    it('leaves a request updated to queued in the queue, its sender free', async () => {
      const a = await store.enqueue(newRequest(ALICE, 0n))
      await store.update(a.id, { status: 'queued' })
      expect((await store.claimBatch(31337, { max: 10, leaseMs: 60_000 })).map((r) => r.id)).toEqual([a.id])
    })

    it('returns a submitted request to the queue when its transaction can never run', async () => {
      const a = await store.enqueue(newRequest(ALICE, 0n))
      expect((await store.claimBatch(31337, { max: 1, leaseMs: 60_000 })).map((r) => r.id)).toEqual([a.id])
      await store.update(a.id, { status: 'submitted', txHash: `0x${'ab'.repeat(32)}` })
      expect(await store.claimBatch(31337, { max: 10, leaseMs: 60_000 })).toEqual([])
      await store.update(a.id, { status: 'queued' })
      // Claimable again at once: no claim left on it and its sender no longer counted in flight.
      expect((await store.claimBatch(31337, { max: 10, leaseMs: 60_000 })).map((r) => r.id)).toEqual([a.id])
    })

    it('rate-limits per key', async () => {
      const limiter = store.rateLimiter({ keyPrefix: `ip${counter}`, points: 3, durationSeconds: 60 })
      for (let i = 0; i < 3; i++) await limiter.consume('1.2.3.4')
      await expect(limiter.consume('1.2.3.4')).rejects.toBeInstanceOf(RateLimitedError)
      await limiter.consume('5.6.7.8')
    })
  })
}

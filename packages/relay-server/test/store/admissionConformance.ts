import type { Address } from 'viem'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  BudgetExceededError,
  DuplicateNonceError,
  IpInFlightError,
  QuotaExceededError,
  SenderInFlightError,
  SitePausedError,
  type Stores,
} from '../../src/index.js'
import { ALICE, BOB, newRequest, requestCount, type StoresFactory } from './fixtures.js'

/**
 * The admission store (`src/store/admission/`): enqueue with its atomic checks and counters, site state and pause:
 * what every backend's adapter must do. `describeStoreConformance` runs it on each backend.
 */
export function describeAdmissionConformance(name: string, createStores: StoresFactory) {
  describe(`AdmissionStore conformance: ${name}`, () => {
    let stores: Stores
    beforeEach(async () => {
      stores = await createStores()
    })
    afterEach(async () => {
      await stores.close()
    })

    it('enqueues as queued and reads back bigints intact', async () => {
      const input = newRequest(ALICE, 7n)
      const stored = await stores.admission.enqueue(input)
      expect(stored).toMatchObject({ id: input.id, status: 'queued', request: input.request })
      expect(await stores.requests.get(input.id)).toEqual(stored)
      expect(await stores.requests.get('nope')).toBeUndefined()
    })

    it('refuses a second pending request with the same chain, sender and nonce', async () => {
      await stores.admission.enqueue(newRequest(ALICE, 0n))
      await expect(stores.admission.enqueue(newRequest(ALICE, 0n))).rejects.toBeInstanceOf(DuplicateNonceError)
      const results = await Promise.allSettled([
        stores.admission.enqueue(newRequest(BOB, 0n)),
        stores.admission.enqueue(newRequest(BOB, 0n)),
      ])
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
      // Another chain, or once the first is final, is fine.
      await stores.admission.enqueue(newRequest(ALICE, 0n, 1))
    })

    it('allows a nonce again once the earlier request is final', async () => {
      const first = await stores.admission.enqueue(newRequest(ALICE, 0n))
      await stores.requests.update(first.id, { status: 'failed', error: { code: 'NOT_EXECUTED', message: 'x' } })
      await expect(stores.admission.enqueue(newRequest(ALICE, 0n))).resolves.toMatchObject({ status: 'queued' })
    })

    it('reserves budget with enqueue and settles it exactly, above 2^53 wei', async () => {
      const day = '2026-11-21'
      const limitWei = 9_000_000_000_000_000_001n // > 2^63 / 1.03, exact to the wei
      const amountWei = 3_000_000_000_000_000_000n
      const reserve = (nonce: bigint, amount = amountWei) =>
        stores.admission.enqueue(newRequest(ALICE, nonce, 31337, { reservation: { day, limitWei, amountWei: amount } }))
      const a = await reserve(0n)
      expect(a.reservedWei).toBe(amountWei)
      await reserve(1n)
      await reserve(2n)
      expect((await stores.admission.siteState('pk_test', day)).usedWei).toBe(9_000_000_000_000_000_000n)
      await expect(reserve(3n, 2n)).rejects.toBeInstanceOf(BudgetExceededError)
      const ok = await reserve(3n, 1n) // exactly up to the limit
      expect(ok.status).toBe('queued')
      // A refused reservation leaves nothing behind, and a nonce refused for budget is free again.
      expect((await stores.admission.siteState('pk_test', day)).usedWei).toBe(limitWei)
      // Settling returns the unused part once, however often the final update is repeated.
      await stores.requests.update(a.id, { status: 'confirmed', spentWei: 1_000_000_000_000_000_007n })
      await stores.requests.update(a.id, { status: 'confirmed', spentWei: 1n })
      let state = await stores.admission.siteState('pk_test', day)
      expect(state.usedWei).toBe(limitWei - 2_000_000_000_000_000_000n + 7n)
      expect(state.spentWei).toBe(1_000_000_000_000_000_007n)
      expect((await stores.requests.get(a.id))?.spentWei).toBe(1_000_000_000_000_000_007n)
      // A rejected request gives its whole reservation back (the cap is its own test below).
      await stores.requests.update(ok.id, { status: 'rejected', error: { code: 'EXPIRED', message: 'x' } })
      state = await stores.admission.siteState('pk_test', day)
      expect(state.usedWei).toBe(limitWei - 2_000_000_000_000_000_000n + 6n)
      expect((await stores.admission.siteState('pk_test', '2026-11-22')).usedWei).toBe(0n)
    })

    it('caps a settled cost at the reservation: never charges more than it reserved', async () => {
      const day = '2026-11-23'
      const limitWei = 9_000_000_000_000_000_000n
      const reserved = 3_000_000_000_000_000_000n // past 2^53: compared as decimal strings in Lua
      const reserve = (from: Address, nonce: bigint, amountWei = reserved) =>
        stores.admission.enqueue(newRequest(from, nonce, 31337, { reservation: { day, limitWei, amountWei } }))
      const over = await reserve(ALICE, 0n)
      const longer = await reserve(BOB, 0n)
      const exact = await reserve(ALICE, 1n, 7n)
      expect((await stores.admission.siteState('pk_test', day)).usedWei).toBe(2n * reserved + 7n)
      // Same number of digits, larger: a string compare that ignored length or order would pass it.
      const settledOver = await stores.requests.update(over.id, { status: 'confirmed', spentWei: reserved + 1n })
      expect(settledOver.spentWei).toBe(reserved)
      // More digits than the reservation (an overflowing estimate).
      await stores.requests.update(longer.id, {
        status: 'failed',
        error: { code: 'X', message: 'x' },
        spentWei: 10n ** 30n,
      })
      // A tiny reservation against a claimed cost of 8 wei (one digit each).
      await stores.requests.update(exact.id, { status: 'confirmed', spentWei: 8n })
      const state = await stores.admission.siteState('pk_test', day)
      expect(state.spentWei).toBe(2n * reserved + 7n)
      expect(state.usedWei).toBe(2n * reserved + 7n)
      expect((await stores.requests.get(over.id))?.spentWei).toBe(reserved)
      expect((await stores.requests.get(longer.id))?.spentWei).toBe(reserved)
      expect((await stores.requests.get(exact.id))?.spentWei).toBe(7n)
    })

    it('counts the gas of a request without a budget on the day it is paid', async () => {
      const today = new Date().toISOString().slice(0, 10)
      const before = (await stores.admission.siteState('pk_test', today)).spentWei
      const a = await stores.admission.enqueue(newRequest(ALICE, 0n))
      const b = await stores.admission.enqueue(newRequest(BOB, 0n))
      await stores.requests.update(a.id, { status: 'confirmed', spentWei: 2n ** 62n + 3n }) // past 2^53, within Redis integers
      await stores.requests.update(a.id, { status: 'confirmed', spentWei: 5n }) // a late duplicate changes nothing
      await stores.requests.update(b.id, { status: 'failed', error: { code: 'X', message: 'x' }, spentWei: 4n })
      const state = await stores.admission.siteState('pk_test', today)
      expect(state.spentWei - before).toBe(2n ** 62n + 7n)
      expect(state.usedWei).toBe(0n) // nothing was reserved, nothing is used
      expect((await stores.requests.get(a.id))?.spentWei).toBe(2n ** 62n + 3n)
    })

    it("caps a sender's requests in flight per chain, atomically, until one is final", async () => {
      const day = '2026-11-24'
      const capped = (from: Address, nonce: bigint, chainId = 31337) =>
        stores.admission.enqueue(
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
      expect((await stores.admission.siteState('pk_test', day)).usedWei).toBe(4_000n)
      // Concurrent submissions cannot slip past the cap together.
      const carol = '0x00000000000000000000000000000000000CA201' as Address
      const raced = await Promise.allSettled([0n, 1n, 2n, 3n, 4n].map((n) => capped(carol, n)))
      expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(2)
      for (const r of raced) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(SenderInFlightError)
      // Submitted is still in flight; a final status frees the place.
      await stores.requests.update(a.id, { status: 'submitted', txHash: `0x${'ab'.repeat(32)}` })
      await expect(capped(ALICE, 2n)).rejects.toBeInstanceOf(SenderInFlightError)
      await stores.requests.update(a.id, { status: 'confirmed', spentWei: 10n })
      expect((await capped(ALICE, 2n)).status).toBe('queued')
    })

    it("caps a client address's requests in flight per chain and releases them once final", async () => {
      const fromIp = (from: Address, ipKey: string, chainId = 31337) =>
        stores.admission.enqueue(newRequest(from, 0n, chainId, { inFlight: { ipKey, maxPerIp: 2 } }))
      const signers = Array.from({ length: 6 }, (_, i) => `0x${(0xa1 + i).toString(16).padStart(40, '0')}` as Address)
      const [s0, s1, s2, s3, s4, s5] = signers as [Address, Address, Address, Address, Address, Address]
      const first = await fromIp(s0, 'ip-one')
      const second = await fromIp(s1, 'ip-one')
      await expect(fromIp(s2, 'ip-one')).rejects.toBeInstanceOf(IpInFlightError)
      // Other addresses and other chains count apart; no key, no count.
      await fromIp(s2, 'ip-two')
      await fromIp(s3, 'ip-one', 10)
      await stores.admission.enqueue(newRequest(s4, 0n, 31337, { inFlight: { maxPerIp: 2 } }))
      // Each final request gives its place back, once, whatever its outcome.
      await stores.requests.update(first.id, { status: 'failed', error: { code: 'X', message: 'x' } })
      await stores.requests.update(first.id, { status: 'confirmed' })
      const third = await fromIp(s5, 'ip-one')
      await expect(fromIp(s3, 'ip-one')).rejects.toBeInstanceOf(IpInFlightError)
      await stores.requests.update(second.id, { status: 'rejected', error: { code: 'EXPIRED', message: 'x' } })
      await stores.requests.update(third.id, { status: 'confirmed' })
      await fromIp(s3, 'ip-one')
      expect((await fromIp(s0, 'ip-one')).status).toBe('queued')
      await expect(fromIp(s1, 'ip-one')).rejects.toBeInstanceOf(IpInFlightError)
    })

    it('never over-reserves under concurrent enqueues', async () => {
      const day = '2026-11-21'
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, (_, i) =>
          stores.admission.enqueue(
            newRequest(`0x${(i + 1).toString(16).padStart(40, '0')}` as Address, 0n, 31337, {
              reservation: { day, limitWei: 7_000n, amountWei: 1_000n },
            }),
          ),
        ),
      )
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(7)
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(BudgetExceededError)
      expect((await stores.admission.siteState('pk_test', day)).usedWei).toBe(7_000n)
    })

    it('counts a sender quota with enqueue', async () => {
      const quota = { key: 'pk_test:alice:2026-11-21', limit: 2, ttlSeconds: 60 }
      await stores.admission.enqueue(newRequest(ALICE, 0n, 31337, { quota }))
      await expect(stores.admission.enqueue(newRequest(ALICE, 0n, 31337, { quota }))).rejects.toBeInstanceOf(
        DuplicateNonceError,
      )
      await stores.admission.enqueue(newRequest(ALICE, 1n, 31337, { quota }))
      await expect(stores.admission.enqueue(newRequest(ALICE, 2n, 31337, { quota }))).rejects.toBeInstanceOf(
        QuotaExceededError,
      )
      expect(await stores.requests.pendingNonces(31337, ALICE)).toEqual([0n, 1n])
    })

    it('pauses and resumes a site; a paused site enqueues nothing', async () => {
      expect((await stores.admission.siteState('pk_x', '2026-11-21')).paused).toBe(false)
      await stores.admission.setSitePaused('pk_x', true)
      expect((await stores.admission.siteState('pk_x', '2026-11-21')).paused).toBe(true)
      await expect(stores.admission.enqueue(newRequest(ALICE, 0n, 31337, { siteKey: 'pk_x' }))).rejects.toBeInstanceOf(
        SitePausedError,
      )
      await stores.admission.enqueue(newRequest(ALICE, 0n, 31337, { siteKey: 'pk_y' }))
      await stores.admission.setSitePaused('pk_x', false)
      expect((await stores.admission.siteState('pk_x', '2026-11-21')).paused).toBe(false)
    })

    it('names the rule an enqueue breaks', async () => {
      const first = await stores.admission.enqueue(newRequest(ALICE, 0n))
      // The same id again (another nonce): ids are unique, whatever the request.
      await expect(stores.admission.enqueue({ ...newRequest(ALICE, 1n), id: first.id })).rejects.toThrow(
        `request id ${first.id} already exists`,
      )
      await expect(stores.admission.enqueue(newRequest(ALICE, 0n))).rejects.toThrow(
        `nonce 0 of ${ALICE} is already pending`,
      )
      const quota = { key: `pk_test:bob:${requestCount()}`, limit: 1, ttlSeconds: 60 }
      await stores.admission.enqueue(newRequest(BOB, 0n, 31337, { quota }))
      await expect(stores.admission.enqueue(newRequest(BOB, 1n, 31337, { quota }))).rejects.toThrow(
        'the sender used its quota of 1 requests',
      )
      const reservation = { day: '2026-11-24', limitWei: 10n, amountWei: 11n }
      await expect(stores.admission.enqueue(newRequest(BOB, 2n, 31337, { reservation }))).rejects.toThrow(
        "the site's daily gas budget is used up",
      )
      await stores.admission.setSitePaused('pk_z', true)
      await expect(stores.admission.enqueue(newRequest(BOB, 3n, 31337, { siteKey: 'pk_z' }))).rejects.toThrow(
        'site pk_z is paused',
      )
      await expect(stores.requests.update('31337-req-nope', { status: 'confirmed' })).rejects.toThrow(
        'unknown request 31337-req-nope',
      )
      // Nothing refused was stored: only the two first requests are pending.
      expect(await stores.requests.pendingNonces(31337, BOB)).toEqual([0n])
      expect(await stores.requests.pendingNonces(31337, ALICE)).toEqual([0n])
    })
  })
}

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AdmissionLimits, NewSolanaRequest, SiteState, SolanaRequestRecord, SolanaStore } from '../src/index.js'

/** One backend (one memory, one Redis key prefix) that several handles open, as relay instances would. */
export interface SolanaStoreBackend {
  /** A new handle on the shared state; on Redis, through a connection of its own. */
  open(): Promise<SolanaStore>
  /** Closes every handle it opened and what they run on. */
  close(): Promise<void>
  /** Pauses (resumes) a site as the admin route does: through the backend's admission store. */
  pause(siteKey: string, paused: boolean): Promise<void>
  /** The site's state as the admin API reads it: through the backend's admission store. */
  siteState(siteKey: string, day: string): Promise<SiteState>
}

export interface SolanaBackendOptions {
  finalRetentionMs?: number
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const TWO_53 = 2n ** 53n

let counter = 0
/** A request with a fresh id and signature (base58-looking, unique). */
function newRequest(extra: Partial<NewSolanaRequest> = {}): NewSolanaRequest {
  counter++
  return {
    id: `sol_test-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    siteKey: 'pk_sol',
    wallet: 'Vis1tor11111111111111111111111111111111111',
    signature: `Sig${counter}x${Math.random().toString(36).slice(2, 12)}`,
    transaction: Buffer.from(`wire transaction ${counter}`).toString('base64'),
    blockhash: 'EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG',
    lamports: 5_000n,
    ...extra,
  }
}

/** A fresh day, so counters of earlier tests on a shared backend never count. */
let dayCounter = 0
function limits(extra: Partial<AdmissionLimits> = {}): AdmissionLimits {
  dayCounter++
  return {
    day: `2${String(dayCounter).padStart(3, '0')}-01-01`,
    siteLamportsPerDay: 1_000_000_000n,
    walletRequestsPerDay: 100,
    ...extra,
  }
}

async function admitted(store: SolanaStore, request: NewSolanaRequest, l: AdmissionLimits) {
  const result = await store.admit(request, l)
  if (!result.ok) throw new Error(`refused: ${result.reason}`)
  return result.record
}

async function until(check: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await sleep(10)
  }
}

/** The behaviour every `SolanaStore` adapter must have; adapters call this from their own test file. */
export function describeSolanaStoreConformance(
  name: string,
  createBackend: (options?: SolanaBackendOptions) => Promise<SolanaStoreBackend>,
) {
  describe(`SolanaStore conformance: ${name}`, () => {
    let backend: SolanaStoreBackend
    let store: SolanaStore
    beforeEach(async () => {
      backend = await createBackend()
      store = await backend.open()
    })
    afterEach(async () => {
      await backend.close()
    })

    it('admits as queued and reads back every field, bigints above 2^53 intact', async () => {
      const request = newRequest({ lamports: TWO_53 * 3n + 1n })
      const record = await admitted(store, request, limits({ siteLamportsPerDay: TWO_53 * 4n }))
      expect(record).toMatchObject({ ...request, status: 'queued' })
      expect(record.createdAt).toBe(record.updatedAt)
      expect(Math.abs(record.createdAt - Date.now())).toBeLessThan(5_000)
      expect(await store.get(request.id)).toEqual(record)
      expect(await store.findBySignature(request.signature)).toBe(request.id)
      const confirmed = await store.update(request.id, { status: 'confirmed', slot: TWO_53 + 7n })
      expect(confirmed).toMatchObject({ status: 'confirmed', slot: TWO_53 + 7n, lamports: TWO_53 * 3n + 1n })
      expect(typeof confirmed.slot).toBe('bigint')
      expect(await store.get(request.id)).toEqual(confirmed)
      const failed = newRequest()
      await admitted(store, failed, limits())
      const error = { code: 'TRANSACTION_FAILED', message: 'the transaction failed on chain: {"x":1} ünïcode' }
      expect(await store.update(failed.id, { status: 'failed', slot: 3n, error })).toMatchObject({ error, slot: 3n })
      expect((await store.get(failed.id))?.error).toEqual(error)
      expect(await store.get('sol_nope')).toBeUndefined()
      expect(await store.findBySignature('nope')).toBeUndefined()
      await expect(store.update('sol_nope', { status: 'submitted' })).rejects.toThrow(/unknown/)
    })

    it('refuses a signature seen before (DUPLICATE, with the id that used it), without counting it', async () => {
      const l = limits()
      const first = newRequest()
      await admitted(store, first, l)
      const again = await store.admit({ ...newRequest(), signature: first.signature }, l)
      expect(again).toEqual({ ok: false, reason: 'DUPLICATE', existingId: first.id })
      // Still refused once the first is final, from another handle too.
      await store.update(first.id, { status: 'failed', error: { code: 'SEND_FAILED', message: 'x' } })
      const other = await backend.open()
      expect(await other.admit({ ...newRequest(), signature: first.signature }, l)).toMatchObject({
        ok: false,
        reason: 'DUPLICATE',
        existingId: first.id,
      })
      expect(await store.usage(first.siteKey, first.wallet, l.day)).toEqual({ siteLamports: 5_000n, walletRequests: 1 })
    })

    it('admits one of concurrent submissions of one signature', async () => {
      const l = limits()
      const other = await backend.open()
      const signature = newRequest().signature
      const requests = Array.from({ length: 8 }, () => newRequest({ signature }))
      const results = await Promise.all(requests.map((r, i) => (i % 2 ? other : store).admit(r, l)))
      const winners = results.filter((r) => r.ok)
      expect(winners).toHaveLength(1)
      const winner = winners[0] as { ok: true; record: SolanaRequestRecord }
      for (const result of results.filter((r) => !r.ok)) {
        expect(result).toEqual({ ok: false, reason: 'DUPLICATE', existingId: winner.record.id })
      }
      expect(await store.findBySignature(signature)).toBe(winner.record.id)
      expect((await store.usage('pk_sol', requests[0]?.wallet ?? '', l.day)).walletRequests).toBe(1)
    })

    it('refuses a site over its daily lamports budget to the lamport, per site and per day', async () => {
      // 2^54 + 1 and 2^54 + 2 are the same double: only exact arithmetic tells them apart.
      const limit = TWO_53 * 2n + 1n
      const l = limits({ siteLamportsPerDay: limit })
      await admitted(store, newRequest({ lamports: TWO_53 }), l)
      await admitted(store, newRequest({ lamports: TWO_53, wallet: 'W2' }), l)
      expect(await store.admit(newRequest({ lamports: 2n, wallet: 'W3' }), l)).toEqual({
        ok: false,
        reason: 'SITE_BUDGET',
      })
      await admitted(store, newRequest({ lamports: 1n, wallet: 'W3' }), l)
      expect(await store.admit(newRequest({ lamports: 1n, wallet: 'W4' }), l)).toEqual({
        ok: false,
        reason: 'SITE_BUDGET',
      })
      expect(await store.usage('pk_sol', 'W3', l.day)).toEqual({ siteLamports: limit, walletRequests: 1 })
      // A request larger than the whole budget, and another site, and another day.
      expect(await store.admit(newRequest({ lamports: limit + 1n, siteKey: 'pk_other' }), l)).toMatchObject({
        reason: 'SITE_BUDGET',
      })
      await admitted(store, newRequest({ lamports: limit, siteKey: 'pk_other', wallet: 'W5' }), l)
      const next = { ...l, day: `${l.day.slice(0, 8)}02` }
      await admitted(store, newRequest({ lamports: limit }), next)
      expect((await store.usage('pk_sol', 'W3', next.day)).siteLamports).toBe(limit)
    })

    it('refuses a wallet over its daily quota (across sites), and takes nothing from the budget then', async () => {
      const l = limits({ walletRequestsPerDay: 2, siteLamportsPerDay: 100_000n })
      await admitted(store, newRequest({ wallet: 'WQ', siteKey: 'pk_a' }), l)
      await admitted(store, newRequest({ wallet: 'WQ', siteKey: 'pk_b' }), l)
      expect(await store.admit(newRequest({ wallet: 'WQ', siteKey: 'pk_a' }), l)).toEqual({
        ok: false,
        reason: 'WALLET_QUOTA',
      })
      expect(await store.usage('pk_a', 'WQ', l.day)).toEqual({ siteLamports: 5_000n, walletRequests: 2 })
      // Other wallets are not held back.
      await admitted(store, newRequest({ wallet: 'WR', siteKey: 'pk_a' }), l)
      expect(await store.usage('pk_a', 'WR', l.day)).toEqual({ siteLamports: 10_000n, walletRequests: 1 })
      // The site budget is checked first.
      const tight = { ...l, siteLamportsPerDay: 10_000n }
      expect(await store.admit(newRequest({ wallet: 'WQ', siteKey: 'pk_a' }), tight)).toMatchObject({
        reason: 'SITE_BUDGET',
      })
    })

    it('a paused site admits no Solana request and reserves nothing', async () => {
      const l = limits({ siteLamportsPerDay: 1_000_000n })
      const other = await backend.open()
      const earlier = newRequest({ siteKey: 'pk_paused', wallet: 'WP' })
      await admitted(store, earlier, l)
      await backend.pause('pk_paused', true)
      const refused = newRequest({ siteKey: 'pk_paused', wallet: 'WP' })
      expect(await store.admit(refused, l)).toEqual({ ok: false, reason: 'SITE_PAUSED' })
      // From every handle, whatever else the request would hit: over budget, a replay, a full quota.
      for (const extra of [{ wallet: 'WP2' }, { lamports: 2_000_000n }, { signature: earlier.signature }]) {
        expect(await other.admit(newRequest({ siteKey: 'pk_paused', ...extra }), l)).toEqual({
          ok: false,
          reason: 'SITE_PAUSED',
        })
      }
      expect(
        await store.admit(newRequest({ siteKey: 'pk_paused', wallet: 'WP' }), { ...l, walletRequestsPerDay: 1 }),
      ).toEqual({ ok: false, reason: 'SITE_PAUSED' })
      // Nothing reserved, counted or stored: only the request admitted before the pause.
      expect(await store.usage('pk_paused', 'WP', l.day)).toEqual({ siteLamports: 5_000n, walletRequests: 1 })
      expect((await other.usage('pk_paused', 'WP2', l.day)).walletRequests).toBe(0)
      expect(await store.findBySignature(refused.signature)).toBeUndefined()
      expect(await store.get(refused.id)).toBeUndefined()
      expect((await other.pending()).map((r) => r.id)).toContain(earlier.id)
      expect((await other.pending()).map((r) => r.id)).not.toContain(refused.id)
      // Another site is not held back; the paused site's earlier request goes on.
      await admitted(other, newRequest({ siteKey: 'pk_open', wallet: 'WP' }), l)
      expect((await store.update(earlier.id, { status: 'submitted' })).status).toBe('submitted')
      // Resumed, the very transaction refused is admitted, counted once.
      await backend.pause('pk_paused', false)
      await admitted(other, refused, l)
      expect(await store.usage('pk_paused', 'WP', l.day)).toEqual({ siteLamports: 10_000n, walletRequests: 3 })
    })

    it('never overspends a budget under concurrent admits, not by a single lamport', async () => {
      const handles = [store, await backend.open(), await backend.open()]
      const limit = TWO_53 + 123_456_789n
      const l = limits({ siteLamportsPerDay: limit })
      // Amounts around limit / 25 with odd remainders, so the budget runs out in the middle of the burst.
      const amounts = Array.from({ length: 60 }, (_, i) => limit / 25n + BigInt(i * 7919 + (i % 3)))
      const requests = amounts.map((lamports, i) => newRequest({ lamports, wallet: `WC${i % 10}` }))
      const results = await Promise.all(
        requests.map((r, i) => (handles[i % handles.length] as SolanaStore).admit(r, l)),
      )
      const spent = results.reduce((sum, r) => (r.ok ? sum + r.record.lamports : sum), 0n)
      const { siteLamports } = await store.usage('pk_sol', 'WC0', l.day)
      expect(siteLamports).toBe(spent)
      expect(spent <= limit).toBe(true)
      const refused = results.flatMap((r, i) => (r.ok ? [] : [[r, amounts[i] as bigint] as const]))
      expect(refused.length).toBeGreaterThan(0)
      expect(results.filter((r) => r.ok).length).toBeGreaterThan(20)
      for (const [result, amount] of refused) {
        expect(result).toEqual({ ok: false, reason: 'SITE_BUDGET' })
        // Spending only grows, so each refusal must still be needed at the end.
        expect(spent + amount > limit).toBe(true)
      }
      // The wallet counters agree with what was admitted.
      let walletTotal = 0
      for (let w = 0; w < 10; w++) walletTotal += (await store.usage('pk_sol', `WC${w}`, l.day)).walletRequests
      expect(walletTotal).toBe(results.filter((r) => r.ok).length)
    })

    it('never goes over a wallet quota under concurrent admits', async () => {
      const handles = [store, await backend.open()]
      const l = limits({ walletRequestsPerDay: 3 })
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (handles[i % 2] as SolanaStore).admit(newRequest({ wallet: 'WX', siteKey: `pk_${i % 4}` }), l),
        ),
      )
      expect(results.filter((r) => r.ok)).toHaveLength(3)
      expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === 'WALLET_QUOTA')).toBe(true)
      let lamports = 0n
      for (let s = 0; s < 4; s++) lamports += (await store.usage(`pk_${s}`, 'WX', l.day)).siteLamports
      expect(lamports).toBe(15_000n)
    })

    it("the site's state (admin API) reads its Solana lamports: reserved at admission, given back on release", async () => {
      const l = limits()
      const other = await backend.open()
      const unsent = newRequest({ siteKey: 'pk_lam', lamports: 7_000n, wallet: 'WL1' })
      await admitted(store, unsent, l)
      const landed = newRequest({ siteKey: 'pk_lam', lamports: 5_000n + 2_039_280n, wallet: 'WL2' })
      await admitted(other, landed, l)
      // The wei figures are the EVM's alone; the lamports are this site's and this day's.
      expect(await backend.siteState('pk_lam', l.day)).toEqual({
        paused: false,
        usedWei: 0n,
        spentWei: 0n,
        usedLamports: 2_051_280n,
      })
      expect((await backend.siteState('pk_lam', limits().day)).usedLamports).toBe(0n)
      expect((await backend.siteState('pk_sol', l.day)).usedLamports).toBe(0n)
      // A landed transaction keeps its reservation (its fee was known ahead); one that never landed gives it back.
      await store.update(landed.id, { status: 'confirmed', slot: 9n })
      await store.update(unsent.id, { status: 'failed', error: { code: 'NOT_SUBMITTED', message: 'never sent' } })
      expect(await other.release(unsent.id)).toBe(true)
      expect(await store.release(landed.id)).toBe(false)
      expect((await backend.siteState('pk_lam', l.day)).usedLamports).toBe(2_044_280n)
      expect((await store.usage('pk_lam', 'WL1', l.day)).siteLamports).toBe(2_044_280n)
    })

    it('a released reservation frees its budget; releasing twice or after settle changes nothing', async () => {
      const l = limits({ siteLamportsPerDay: 12_000n })
      const used = async () => (await store.usage('pk_sol', 'WR1', l.day)).siteLamports
      const unsent = newRequest({ lamports: 7_000n, wallet: 'WR1' })
      await admitted(store, unsent, l)
      expect(await store.admit(newRequest({ lamports: 7_000n, wallet: 'WR2' }), l)).toEqual({
        ok: false,
        reason: 'SITE_BUDGET',
      })
      // A request that may still land keeps its reservation.
      expect(await store.release(unsent.id)).toBe(false)
      await store.update(unsent.id, { status: 'submitted' })
      expect(await store.release(unsent.id)).toBe(false)
      expect(await used()).toBe(7_000n)
      await store.update(unsent.id, { status: 'failed', error: { code: 'NOT_SUBMITTED', message: 'never sent' } })
      const other = await backend.open()
      expect(await other.release(unsent.id)).toBe(true)
      // The lamports come back; the wallet's request still counts.
      expect(await store.usage('pk_sol', 'WR1', l.day)).toEqual({ siteLamports: 0n, walletRequests: 1 })
      expect(await Promise.all([store.release(unsent.id), other.release(unsent.id)])).toEqual([false, false])
      expect(await used()).toBe(0n)
      expect((await store.get(unsent.id))?.status).toBe('failed')
      // The freed budget is spent again, to the lamport.
      const next = newRequest({ lamports: 12_000n, wallet: 'WR2' })
      await admitted(store, next, l)
      await store.update(next.id, { status: 'confirmed', slot: 1n })
      expect(await store.release(next.id)).toBe(false)
      expect(await used()).toBe(12_000n)
      expect(await store.release('sol_nope')).toBe(false)

      // Two handles releasing one failed request at once: it is freed exactly once.
      const wide = limits({ siteLamportsPerDay: 100_000n })
      const keep = newRequest({ lamports: 3_000n, wallet: 'WR3' })
      const raced = newRequest({ lamports: 5_000n, wallet: 'WR3' })
      for (const r of [keep, raced]) await admitted(store, r, wide)
      await store.update(raced.id, { status: 'failed', error: { code: 'NOT_SUBMITTED', message: 'x' } })
      const answers = await Promise.all([store.release(raced.id), other.release(raced.id), store.release(raced.id)])
      expect(answers.filter(Boolean)).toHaveLength(1)
      expect((await store.usage('pk_sol', 'WR3', wide.day)).siteLamports).toBe(3_000n)

      // Released on a later day, a reservation never credits that day's budget.
      const dayOne = limits()
      const old = newRequest({ lamports: 4_000n, wallet: 'WR4' })
      await admitted(store, old, dayOne)
      const dayTwo = { ...dayOne, day: `${dayOne.day.slice(0, 8)}02` }
      await admitted(store, newRequest({ lamports: 6_000n, wallet: 'WR4' }), dayTwo)
      await store.update(old.id, { status: 'failed', error: { code: 'NOT_SUBMITTED', message: 'x' } })
      expect(await store.release(old.id)).toBe(true)
      expect((await store.usage('pk_sol', 'WR4', dayTwo.day)).siteLamports).toBe(6_000n)
    })

    it('keeps the first final status: a late update never rewrites an outcome', async () => {
      const request = newRequest()
      await admitted(store, request, limits())
      expect((await store.update(request.id, { status: 'submitted' })).status).toBe('submitted')
      const confirmed = await store.update(request.id, { status: 'confirmed', slot: 42n })
      const seen: string[] = []
      await store.subscribe(request.id, (r) => seen.push(r.status))
      const late = await store.update(request.id, {
        status: 'failed',
        slot: 43n,
        error: { code: 'BLOCKHASH_EXPIRED', message: 'late' },
      })
      expect(late).toEqual(confirmed)
      expect(await (await backend.open()).update(request.id, { status: 'submitted' })).toEqual(confirmed)
      expect(await store.get(request.id)).toEqual(confirmed)
      // A subscriber may be told the current (final) state, never a late change.
      await sleep(200)
      expect(seen.every((s) => s === 'confirmed')).toBe(true)
      // Concurrent final updates from two handles: exactly one outcome, and both callers see it.
      const raced = newRequest()
      await admitted(store, raced, limits())
      const other = await backend.open()
      const answers = await Promise.all([
        store.update(raced.id, { status: 'confirmed', slot: 1n }),
        other.update(raced.id, { status: 'failed', error: { code: 'CONFIRMATION_TIMEOUT', message: 'x' } }),
      ])
      const final = await store.get(raced.id)
      expect(['confirmed', 'failed']).toContain(final?.status)
      expect(answers).toEqual([final, final])
    })

    it('lists exactly the non-final requests as pending, from every handle', async () => {
      const l = limits()
      const requests = Array.from({ length: 6 }, () => newRequest())
      for (const r of requests) await admitted(store, r, l)
      const ids = () => store.pending().then((list) => list.map((r) => r.id).sort())
      const mine = (list: string[]) => list.filter((id) => requests.some((r) => r.id === id))
      expect(mine(await ids())).toEqual(requests.map((r) => r.id).sort())
      const [a, b, c, d] = requests as [NewSolanaRequest, NewSolanaRequest, NewSolanaRequest, NewSolanaRequest]
      await store.update(a.id, { status: 'submitted' })
      await store.update(b.id, { status: 'confirmed', slot: 5n })
      await store.update(c.id, { status: 'failed', error: { code: 'SEND_FAILED', message: 'x' } })
      await store.update(d.id, { status: 'rejected' })
      await store.update(b.id, { status: 'submitted' }) // late: stays final and out of the index
      const left = requests.filter((r) => ![b.id, c.id, d.id].includes(r.id)).map((r) => r.id)
      expect(mine(await ids())).toEqual(left.sort())
      const other = await backend.open()
      const listed = (await other.pending()).filter((r) => left.includes(r.id))
      expect(listed.map((r) => r.id).sort()).toEqual(left.sort())
      expect(listed.find((r) => r.id === a.id)).toMatchObject({ status: 'submitted', transaction: a.transaction })
      // Concurrent finals keep the index exact.
      await Promise.all(left.map((id, i) => (i % 2 ? other : store).update(id, { status: 'confirmed', slot: 9n })))
      expect(mine(await ids())).toEqual([])
    })

    it("notifies this handle's subscribers at once and other handles' by polling", async () => {
      const request = newRequest()
      await admitted(store, request, limits())
      const other = await backend.open()
      const here: string[] = []
      const there: SolanaRequestRecord[] = []
      const offHere = await store.subscribe(request.id, (r) => here.push(r.status))
      const offThere = await other.subscribe(request.id, (r) => there.push(r))
      await store.update(request.id, { status: 'submitted' })
      expect(here).toEqual(['submitted'])
      await until(() => there.some((r) => r.status === 'submitted'))
      await store.update(request.id, { status: 'confirmed', slot: TWO_53 + 1n })
      expect(here).toEqual(['submitted', 'confirmed'])
      await until(() => there.some((r) => r.status === 'confirmed'))
      expect(there.at(-1)).toMatchObject({ id: request.id, status: 'confirmed', slot: TWO_53 + 1n })
      // In order, each change at most once.
      const statuses = there.map((r) => r.status)
      expect(statuses.indexOf('confirmed')).toBe(statuses.length - 1)
      expect(statuses.filter((s) => s === 'confirmed')).toHaveLength(1)
      await offHere()
      await offThere()

      // The other way round, and nothing after unsubscribing.
      const second = newRequest()
      await admitted(other, second, limits())
      const seen: string[] = []
      const off = await store.subscribe(second.id, (r) => seen.push(r.status))
      await other.update(second.id, { status: 'submitted' })
      await until(() => seen.includes('submitted'))
      await off()
      await other.update(second.id, { status: 'confirmed', slot: 1n })
      await sleep(300)
      expect(seen).not.toContain('confirmed')
    })

    it("closing a handle ends only that handle's subscriptions", async () => {
      const request = newRequest()
      await admitted(store, request, limits())
      const other = await backend.open()
      const closedSeen: string[] = []
      const openSeen: string[] = []
      await other.subscribe(request.id, (r) => closedSeen.push(r.status))
      await store.subscribe(request.id, (r) => openSeen.push(r.status))
      await other.close()
      await store.update(request.id, { status: 'submitted' })
      expect(openSeen).toEqual(['submitted'])
      await sleep(300)
      expect(closedSeen).toEqual([])
      // The backend is still usable through a new handle.
      expect((await (await backend.open()).get(request.id))?.status).toBe('submitted')
    })

    it('keeps a final record for the retention time, its replay guard at least as long; never a pending one', async () => {
      const short = await createBackend({ finalRetentionMs: 300 })
      try {
        const s = await short.open()
        const l = limits()
        const done = newRequest()
        const failed = newRequest()
        const pending = newRequest()
        for (const r of [done, failed, pending]) await admitted(s, r, l)
        await s.update(done.id, { status: 'confirmed', slot: 1n })
        await s.update(failed.id, { status: 'failed', error: { code: 'SEND_FAILED', message: 'x' } })
        await s.update(pending.id, { status: 'submitted' })
        expect((await s.get(done.id))?.status).toBe('confirmed')
        await sleep(800)
        expect(await s.get(done.id)).toBeUndefined()
        expect(await s.get(failed.id)).toBeUndefined()
        // The replay guard outlives the record: the transaction is still refused.
        expect(await s.findBySignature(done.signature)).toBe(done.id)
        expect(await s.admit({ ...newRequest(), signature: failed.signature }, l)).toMatchObject({
          ok: false,
          reason: 'DUPLICATE',
          existingId: failed.id,
        })
        // A request that has not reached its outcome is never dropped, however old.
        expect((await s.get(pending.id))?.status).toBe('submitted')
        expect((await s.pending()).map((r) => r.id)).toContain(pending.id)
        expect(await s.findBySignature(pending.signature)).toBe(pending.id)
        // Its retention starts when it becomes final.
        await s.update(pending.id, { status: 'confirmed', slot: 2n })
        expect((await s.get(pending.id))?.status).toBe('confirmed')
        await sleep(800)
        expect(await s.get(pending.id)).toBeUndefined()
        expect((await s.pending()).map((r) => r.id)).not.toContain(pending.id)
      } finally {
        await short.close()
      }
    })
  })
}

// One behaviour for every ledger backend: each backend's test file calls `ledgerConformance` with a
// factory of fresh, empty ledgers (a new database each time).
import { describe, expect, it } from 'vitest'
import { requestsCsv } from '../src/csv.js'
import { MIGRATIONS } from '../src/migrations.js'
import { InvalidStageEventError } from '../src/sqlLedger.js'
import type { FunnelBatch, FunnelCount, Ledger, StageEvent } from '../src/types.js'

const T0 = Date.UTC(2026, 11, 5, 10, 0, 0)
const DAY = 86_400_000

/** An EVM request's stages through confirmation (received at `at`, confirmed `confirmMs` later). */
export function evmLife(id: string, at: number, confirmMs: number, extra: Partial<StageEvent> = {}): StageEvent[] {
  const base = { requestId: id, kind: 'evm' as const, ...extra }
  return [
    { ...base, stage: 'received', at, site: extra.site ?? 'pk_a', chain: extra.chain ?? '31337' },
    {
      ...base,
      stage: 'admitted',
      at: at + 1,
      sender: '0x00000000000000000000000000000000000000a1',
      target: '0x00000000000000000000000000000000000000b2',
      selector: '0x379607f5',
      functionName: 'claim(uint256)',
      gas: '100000',
    },
    { ...base, stage: 'submitted', at: at + 2, txHash: `0x${'11'.repeat(32)}` },
    { ...base, stage: 'confirmed', at: at + confirmMs, txHash: `0x${'22'.repeat(32)}` },
    { ...base, stage: 'settled', at: at + confirmMs, status: 'confirmed', fee: '21000000000000' },
  ]
}

async function stageCount(ledger: Ledger, id: string) {
  return (await ledger.timeline(id))?.stages.length ?? 0
}

export function ledgerConformance(name: string, open: () => Promise<Ledger>) {
  describe(`ledger conformance: ${name}`, () => {
    it('applies its migrations at start and records them in schema_migrations', async () => {
      const ledger = await open()
      try {
        expect(await ledger.migrations()).toEqual(MIGRATIONS.map((m) => m.version))
        await ledger.ping()
      } finally {
        await ledger.close()
      }
    })

    it('writes a stage written twice once and leaves the row as one write left it', async () => {
      const ledger = await open()
      try {
        const events = evmLife('r1', T0, 4000)
        await ledger.record(events)
        await ledger.record(events)
        await ledger.record([events[2] as StageEvent, events[4] as StageEvent])
        const timeline = await ledger.timeline('r1')
        expect(timeline?.stages.map((s) => s.stage)).toEqual([
          'received',
          'admitted',
          'submitted',
          'confirmed',
          'settled',
        ])
        expect(timeline?.request).toMatchObject({
          id: 'r1',
          kind: 'evm',
          site: 'pk_a',
          chain: '31337',
          sender: '0x00000000000000000000000000000000000000a1',
          functionName: 'claim(uint256)',
          status: 'confirmed',
          gas: '100000',
          fee: '21000000000000',
          txHash: `0x${'22'.repeat(32)}`,
          createdAt: T0,
          confirmedAt: T0 + 4000,
        })
        const [row] = await ledger.history()
        expect(row?.requests).toBe(1)
        expect(row?.fee).toBe('21000000000000')
      } finally {
        await ledger.close()
      }
    })

    it('keeps repeats of one stage with distinct seq (each replacement) and follows the latest hash', async () => {
      const ledger = await open()
      try {
        const base = { requestId: 'r2', kind: 'evm' as const }
        await ledger.record([
          { ...base, stage: 'received', at: T0 },
          { ...base, stage: 'submitted', at: T0 + 10, txHash: '0xa1' },
          { ...base, stage: 'replaced', seq: 1, at: T0 + 20, txHash: '0xa2' },
          { ...base, stage: 'replaced', seq: 2, at: T0 + 30, txHash: '0xa3' },
          { ...base, stage: 'replaced', seq: 2, at: T0 + 30, txHash: '0xa3' },
        ])
        const timeline = await ledger.timeline('r2')
        expect(timeline?.stages.map((s) => `${s.stage}:${s.seq}`)).toEqual([
          'received:0',
          'submitted:0',
          'replaced:1',
          'replaced:2',
        ])
        expect(timeline?.request.status).toBe('submitted')
        expect(timeline?.request.txHash).toBe('0xa3')
      } finally {
        await ledger.close()
      }
    })

    it('moves a status forward only, whatever order the stages arrive in', async () => {
      const ledger = await open()
      try {
        const [received, admitted, submitted, confirmed] = evmLife('r3', T0, 5000)
        await ledger.record([confirmed as StageEvent])
        await ledger.record([submitted as StageEvent, admitted as StageEvent, received as StageEvent])
        const timeline = await ledger.timeline('r3')
        expect(timeline?.request.status).toBe('confirmed')
        expect(timeline?.request.txHash).toBe(`0x${'22'.repeat(32)}`)
        expect(timeline?.request.createdAt).toBe(T0)
        expect(timeline?.request.confirmedAt).toBe(T0 + 5000)
        // A second final status never rewrites the first.
        await ledger.record([{ requestId: 'r3', kind: 'evm', stage: 'failed', at: T0 + 9000, code: 'X' }])
        expect((await ledger.timeline('r3'))?.request).toMatchObject({ status: 'confirmed', code: null })
      } finally {
        await ledger.close()
      }
    })

    it('sums history by day and site: counts, success rate, gas, lamports, fees and p50/p95 to confirmation', async () => {
      const ledger = await open()
      try {
        const events: StageEvent[] = []
        // Day 1, pk_a on EVM: confirmations after 1..10 s.
        for (let i = 1; i <= 10; i++) events.push(...evmLife(`a${i}`, T0 + i * 60_000, i * 1000))
        events.push(
          { requestId: 'f1', kind: 'evm', stage: 'received', at: T0, site: 'pk_a', chain: '31337' },
          { requestId: 'f1', kind: 'evm', stage: 'admitted', at: T0 + 1, gas: '50000' },
          { requestId: 'f1', kind: 'evm', stage: 'failed', at: T0 + 2, status: 'rejected', code: 'REVERTED' },
          { requestId: 'x1', kind: 'evm', stage: 'refused', at: T0, site: 'pk_a', chain: '31337', code: 'BAD_SIG' },
        )
        // Day 2, pk_b on Solana.
        events.push(
          { requestId: 's1', kind: 'solana', stage: 'received', at: T0 + DAY, site: 'pk_b', chain: 'solana:devnet' },
          { requestId: 's1', kind: 'solana', stage: 'admitted', at: T0 + DAY + 1, lamports: '5000', sender: 'W1' },
          { requestId: 's1', kind: 'solana', stage: 'confirmed', at: T0 + DAY + 2000, txHash: 'sig1' },
          { requestId: 's1', kind: 'solana', stage: 'settled', at: T0 + DAY + 2000, status: 'confirmed', fee: '5000' },
        )
        await ledger.record(events)
        const history = await ledger.history()
        expect(history).toEqual([
          {
            day: '2026-12-05',
            site: 'pk_a',
            kind: 'evm',
            chain: '31337',
            requests: 12,
            confirmed: 10,
            failed: 1,
            refused: 1,
            successRate: 10 / 11,
            gas: String(10 * 100_000 + 50_000),
            lamports: '0',
            fee: String(10n * 21_000_000_000_000n),
            p50ConfirmMs: 5500,
            p95ConfirmMs: 9550,
          },
          {
            day: '2026-12-06',
            site: 'pk_b',
            kind: 'solana',
            chain: 'solana:devnet',
            requests: 1,
            confirmed: 1,
            failed: 0,
            refused: 0,
            successRate: 1,
            gas: '0',
            lamports: '5000',
            fee: '5000',
            p50ConfirmMs: 2000,
            p95ConfirmMs: 2000,
          },
        ])
        expect((await ledger.history({ site: 'pk_b' })).map((r) => r.site)).toEqual(['pk_b'])
        expect((await ledger.history({ from: T0 + DAY / 2 })).map((r) => r.day)).toEqual(['2026-12-06'])
        expect(await ledger.history({ to: T0 })).toEqual([])
      } finally {
        await ledger.close()
      }
    })

    it('counts refusals by code, most frequent first, within the filters', async () => {
      const ledger = await open()
      try {
        const refusal = (id: string, code: string, site: string, at = T0): StageEvent => ({
          requestId: id,
          kind: 'evm',
          stage: 'refused',
          at,
          site,
          chain: '31337',
          code,
        })
        await ledger.record([
          refusal('x1', 'BAD_SIGNATURE', 'pk_a'),
          refusal('x2', 'RATE_LIMITED', 'pk_a'),
          refusal('x3', 'RATE_LIMITED', 'pk_a'),
          refusal('x4', 'RATE_LIMITED', 'pk_b'),
          refusal('x5', 'BAD_SIGNATURE', 'pk_a', T0 + DAY),
          ...evmLife('ok', T0, 1000),
        ])
        expect(await ledger.refusals()).toEqual([
          { code: 'RATE_LIMITED', count: 3 },
          { code: 'BAD_SIGNATURE', count: 2 },
        ])
        expect(await ledger.refusals({ site: 'pk_a', to: T0 + DAY })).toEqual([
          { code: 'RATE_LIMITED', count: 2 },
          { code: 'BAD_SIGNATURE', count: 1 },
        ])
      } finally {
        await ledger.close()
      }
    })

    it('lists requests oldest first across pages, filtered by time, site, chain and status', async () => {
      const ledger = await open()
      try {
        const events: StageEvent[] = []
        for (let i = 0; i < 7; i++) {
          events.push(...evmLife(`p${i}`, T0 + i * 1000, 500, { site: i % 2 ? 'pk_odd' : 'pk_even' }))
        }
        events.push({ requestId: 'q', kind: 'evm', stage: 'received', at: T0 + 3000, site: 'pk_even', chain: '10' })
        await ledger.record(events)
        const ids = async (filter: Parameters<Ledger['requests']>[0]) => {
          const out: string[] = []
          for await (const r of ledger.requests(filter, 2)) out.push(r.id)
          return out
        }
        expect(await ids({})).toEqual(['p0', 'p1', 'p2', 'p3', 'q', 'p4', 'p5', 'p6'])
        expect(await ids({ site: 'pk_odd' })).toEqual(['p1', 'p3', 'p5'])
        expect(await ids({ from: T0 + 2000, to: T0 + 4000 })).toEqual(['p2', 'p3', 'q'])
        expect(await ids({ chain: '10' })).toEqual(['q'])
        expect(await ids({ status: 'received' })).toEqual(['q'])
        expect(await ids({ status: 'confirmed', site: 'pk_even' })).toEqual(['p0', 'p2', 'p4', 'p6'])
      } finally {
        await ledger.close()
      }
    })

    it('exports CSV: a header, one row per request, quoted fields and no formula', async () => {
      const ledger = await open()
      try {
        await ledger.record([
          ...evmLife('c1', T0, 3000),
          {
            requestId: 'c2',
            kind: 'evm',
            stage: 'refused',
            at: T0 + 10,
            site: '=HYPERLINK("x")',
            chain: '31337',
            code: 'A,B',
          },
        ])
        let csv = ''
        for await (const chunk of requestsCsv(ledger)) csv += chunk
        const lines = csv.split('\r\n')
        expect(lines[0]).toBe(
          'id,site,kind,chain,sender,target,function,status,code,gas,lamports,fee,tx_hash,created_at,updated_at,confirmed_at',
        )
        expect(lines[1]).toBe(
          [
            'c1',
            'pk_a',
            'evm',
            '31337',
            '0x00000000000000000000000000000000000000a1',
            '0x00000000000000000000000000000000000000b2',
            'claim(uint256)',
            'confirmed',
            '',
            '100000',
            '',
            '21000000000000',
            `0x${'22'.repeat(32)}`,
            new Date(T0).toISOString(),
            new Date(T0 + 3000).toISOString(),
            new Date(T0 + 3000).toISOString(),
          ].join(','),
        )
        expect(lines[2]).toBe(
          `c2,"'=HYPERLINK(""x"")",evm,31337,,,,refused,"A,B",,,,,${new Date(T0 + 10).toISOString()},${new Date(T0 + 10).toISOString()},`,
        )
        expect(lines).toHaveLength(4)
        expect(lines[3]).toBe('')
      } finally {
        await ledger.close()
      }
    })

    it('refuses a batch holding an invalid event and writes none of it', async () => {
      const ledger = await open()
      try {
        const bad = { requestId: 'b2', kind: 'evm', stage: 'lost', at: T0 } as unknown as StageEvent
        await expect(ledger.record([...evmLife('b1', T0, 100), bad])).rejects.toBeInstanceOf(InvalidStageEventError)
        await expect(
          ledger.record([{ requestId: 'b3', kind: 'evm', stage: 'settled', at: T0, fee: '1e18' }]),
        ).rejects.toBeInstanceOf(InvalidStageEventError)
        expect(await stageCount(ledger, 'b1')).toBe(0)
        expect(await ledger.timeline('b1')).toBeUndefined()
      } finally {
        await ledger.close()
      }
    })

    it('rolls back a whole batch when the database fails one statement', async () => {
      const ledger = await open()
      try {
        // A 79-digit fee passes the decimal check but not numeric(78, 0): the database refuses it.
        const tooLarge = '9'.repeat(79)
        const events = [
          ...evmLife('t1', T0, 100),
          { requestId: 't2', kind: 'evm' as const, stage: 'settled' as const, at: T0, fee: tooLarge },
        ]
        await expect(ledger.record(events)).rejects.toThrow()
        expect(await ledger.timeline('t1')).toBeUndefined()
      } finally {
        await ledger.close()
      }
    })

    it('counts funnel batches per UTC day, site and widget, each batch once however often it is written', async () => {
      const ledger = await open()
      try {
        const batch = (id: string, site: string, at: number, counts: FunnelCount[]): FunnelBatch => ({
          type: 'funnel',
          id,
          site,
          at,
          counts,
        })
        const claimDay1 = batch('f1', 'pk_a', T0, [
          { widget: 'claim', kind: 'view', count: 3 },
          { widget: 'claim', kind: 'connect', count: 2 },
          { widget: 'claim', kind: 'submit', count: 1 },
          { widget: 'claim', kind: 'success', count: 1 },
          { widget: 'claim', kind: 'error', code: 'USER_REJECTED', count: 1 },
          { widget: 'tip', kind: 'view', count: 1 },
        ])
        const moreDay1 = batch('f2', 'pk_a', T0 + 3_600_000, [
          { widget: 'claim', kind: 'view', count: 2 },
          { widget: 'claim', kind: 'error', code: 'USER_REJECTED', count: 2 },
          { widget: 'claim', kind: 'error', count: 1 },
        ])
        const otherSite = batch('f3', 'pk_b', T0, [{ widget: 'buy', kind: 'view', count: 5 }])
        const day2 = batch('f4', 'pk_a', T0 + DAY, [{ widget: 'claim', kind: 'view', count: 7 }])
        // Mixed with stage events in one call, and written again (an outbox drained twice).
        await ledger.record([claimDay1, ...evmLife('fr', T0, 100), otherSite])
        await ledger.record([claimDay1, moreDay1, day2, otherSite])
        const row = (day: string, site: string, widget: string, n: number[]) => {
          const [views, connects, submits, successes, errors] = n
          return { day, site, widget, views, connects, submits, successes, errors }
        }
        expect(await ledger.funnel()).toEqual([
          row('2026-12-05', 'pk_a', 'claim', [5, 2, 1, 1, 4]),
          row('2026-12-05', 'pk_a', 'tip', [1, 0, 0, 0, 0]),
          row('2026-12-05', 'pk_b', 'buy', [5, 0, 0, 0, 0]),
          row('2026-12-06', 'pk_a', 'claim', [7, 0, 0, 0, 0]),
        ])
        expect(await ledger.funnel({ site: 'pk_b' })).toEqual([row('2026-12-05', 'pk_b', 'buy', [5, 0, 0, 0, 0])])
        // A day counts when any instant of it is in [from, to).
        const days = (rows: { day: string; widget: string }[]) => rows.map((r) => `${r.day} ${r.widget}`)
        expect(days(await ledger.funnel({ from: Date.UTC(2026, 11, 6) - 1, site: 'pk_a' }))).toEqual([
          '2026-12-05 claim',
          '2026-12-05 tip',
          '2026-12-06 claim',
        ])
        expect(days(await ledger.funnel({ from: Date.UTC(2026, 11, 6), site: 'pk_a' }))).toEqual(['2026-12-06 claim'])
        expect((await ledger.funnel({ to: Date.UTC(2026, 11, 6) })).map((r) => r.day)).toEqual([
          '2026-12-05',
          '2026-12-05',
          '2026-12-05',
        ])
        expect(await ledger.funnel({ from: Date.UTC(2026, 11, 7) })).toEqual([])
        expect(await ledger.funnelErrors({ site: 'pk_a' })).toEqual([
          { widget: 'claim', code: 'USER_REJECTED', count: 3 },
          { widget: 'claim', code: '', count: 1 },
        ])
        // The stage events of the same calls are there, once.
        expect(await stageCount(ledger, 'fr')).toBe(5)
      } finally {
        await ledger.close()
      }
    })

    it('refuses a call holding an invalid funnel batch and counts none of it', async () => {
      const ledger = await open()
      try {
        const good: FunnelBatch = {
          type: 'funnel',
          id: 'g1',
          site: 'pk_a',
          at: T0,
          counts: [{ widget: 'claim', kind: 'view', count: 1 }],
        }
        for (const counts of [
          [{ widget: 'swap', kind: 'view', count: 1 }],
          [{ widget: 'claim', kind: 'click', count: 1 }],
          [{ widget: 'claim', kind: 'error', code: 'not a code', count: 1 }],
          [{ widget: 'claim', kind: 'view', count: 0 }],
        ]) {
          const bad = { ...good, id: 'b1', counts } as unknown as FunnelBatch
          await expect(ledger.record([good, ...evmLife('fb', T0, 100), bad])).rejects.toBeInstanceOf(
            InvalidStageEventError,
          )
        }
        expect(await ledger.funnel()).toEqual([])
        expect(await ledger.timeline('fb')).toBeUndefined()
      } finally {
        await ledger.close()
      }
    })
  })
}

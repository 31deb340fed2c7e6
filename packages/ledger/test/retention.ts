// Retention on every ledger backend: old days folded into daily aggregates read as they did row by
// row, their requests and stages gone, later days untouched, late stages of a folded day dropped.
import { describe, expect, it } from 'vitest'
import { requestsCsv } from '../src/csv.js'
import { retentionCutoff } from '../src/retention.js'
import type { Ledger, LedgerFilter, StageEvent } from '../src/types.js'
import { evmLife } from './conformance.js'

const DAY = 86_400_000
const D1 = Date.UTC(2026, 10, 2, 9, 0, 0)
const D2 = D1 + DAY
const D3 = D1 + 2 * DAY
const midnight = (ms: number) => Math.floor(ms / DAY) * DAY

/** Three days of EVM and Solana activity: confirmations, a failure, refusals, a request still pending. */
function activity(): StageEvent[] {
  const events: StageEvent[] = []
  for (let i = 1; i <= 6; i++) events.push(...evmLife(`a${i}`, D1 + i * 60_000, i * 700))
  for (let i = 1; i <= 3; i++) events.push(...evmLife(`b${i}`, D1 + i * 1000, i * 2000, { site: 'pk_b', chain: '10' }))
  events.push(
    { requestId: 'f1', kind: 'evm', stage: 'received', at: D1 + 5, site: 'pk_a', chain: '31337' },
    { requestId: 'f1', kind: 'evm', stage: 'admitted', at: D1 + 6, gas: '70000' },
    { requestId: 'f1', kind: 'evm', stage: 'failed', at: D1 + 900, status: 'rejected', code: 'REVERTED' },
    { requestId: 'x1', kind: 'evm', stage: 'refused', at: D1 + 7, site: 'pk_a', chain: '31337', code: 'BAD_SIG' },
    { requestId: 'x2', kind: 'evm', stage: 'refused', at: D1 + 8, code: 'NO_SITE' },
    { requestId: 'x3', kind: 'evm', stage: 'refused', at: D2 + 8, site: 'pk_a', chain: '31337', code: 'BAD_SIG' },
    { requestId: 'p1', kind: 'evm', stage: 'received', at: D2 + 9, site: 'pk_a', chain: '31337' },
  )
  for (const [id, at, ms] of [
    ['s1', D2 + 100, 1500],
    ['s2', D2 + 200, 2500],
    ['s3', D3 + 300, 900],
  ] as const) {
    events.push(
      { requestId: id, kind: 'solana', stage: 'received', at, site: 'pk_b', chain: 'solana:devnet' },
      { requestId: id, kind: 'solana', stage: 'admitted', at: at + 1, lamports: '2044280', sender: 'W1' },
      { requestId: id, kind: 'solana', stage: 'confirmed', at: at + ms, txHash: `sig_${id}` },
      { requestId: id, kind: 'solana', stage: 'settled', at: at + ms, status: 'confirmed', fee: '2044280' },
    )
  }
  events.push(...evmLife('c1', D3 + 500, 3000))
  return events
}

const FILTERS: LedgerFilter[] = [
  {},
  { site: 'pk_b' },
  { chain: '31337' },
  { status: 'confirmed' },
  { status: 'refused' },
  { from: midnight(D2) },
  { to: midnight(D2) },
  { from: midnight(D2), to: midnight(D3), site: 'pk_a' },
]

async function read(ledger: Ledger) {
  return Promise.all(
    FILTERS.map(async (f) => ({ history: await ledger.history(f), refusals: await ledger.refusals(f) })),
  )
}

async function ids(ledger: Ledger): Promise<string[]> {
  const out: string[] = []
  for await (const r of ledger.requests()) out.push(r.id)
  return out
}

export function retentionConformance(name: string, open: () => Promise<Ledger>) {
  describe(`ledger retention: ${name}`, () => {
    it('folds days before the cutoff: history and refusals read the same, their requests and stages are gone', async () => {
      const ledger = await open()
      try {
        await ledger.record(activity())
        const before = await read(ledger)
        expect(before[0]?.history.map((r) => r.day)).toContain('2026-11-02')

        const funnelBatch = (id: string, at: number) => ({
          type: 'funnel' as const,
          id,
          site: 'pk_a',
          at,
          counts: [{ widget: 'claim' as const, kind: 'view' as const, count: 2 }],
        })
        await ledger.record([funnelBatch('fb1', D1), funnelBatch('fb2', D3)])
        const funnel = await ledger.funnel()
        const result = await ledger.prune({ before: D3 })
        expect(result).toEqual({
          skipped: false,
          prunedBefore: midnight(D3),
          days: ['2026-11-02', '2026-11-03'],
          requests: 6 + 3 + 1 + 2 + 1 + 1 + 2,
          stages: 6 * 5 + 3 * 5 + 3 + 2 + 1 + 1 + 2 * 4,
          // The old batch's id goes, the funnel's counts per day stay.
          funnelBatches: 1,
        })
        expect(await ledger.funnel()).toEqual(funnel)
        // Every filter of the dashboard reads what it read row by row, p50/p95 included.
        expect(await read(ledger)).toEqual(before)
        expect(await ids(ledger)).toEqual(['s3', 'c1'])
        expect(await ledger.timeline('a1')).toBeUndefined()
        expect((await ledger.timeline('c1'))?.stages).toHaveLength(5)
        let csv = ''
        for await (const chunk of requestsCsv(ledger)) csv += chunk
        expect(csv.trimEnd().split('\r\n')).toHaveLength(1 + 2)

        // Again: nothing left to fold, nothing counted twice.
        expect(await ledger.prune({ before: D3 })).toMatchObject({ skipped: false, days: [], requests: 0 })
        expect(await read(ledger)).toEqual(before)
      } finally {
        await ledger.close()
      }
    })

    it('drops a late stage of a folded day and writes the days after it', async () => {
      const ledger = await open()
      try {
        await ledger.record([...evmLife('old', D1, 1000), ...evmLife('kept', D2, 1000)])
        await ledger.prune({ before: D2 })
        const before = await ledger.history()
        // An outbox drained late: a repeat of the folded request, and a new one dated on the folded day.
        await ledger.record([...evmLife('old', D1, 1000), ...evmLife('late', D1 + 3600_000, 500)])
        expect(await ledger.timeline('old')).toBeUndefined()
        expect(await ledger.timeline('late')).toBeUndefined()
        expect(await ledger.history()).toEqual(before)
        await ledger.record(evmLife('new', D2 + 60_000, 800))
        expect((await ledger.timeline('new'))?.request.status).toBe('confirmed')
        expect((await ledger.history()).map((r) => [r.day, r.requests])).toEqual([
          ['2026-11-02', 1],
          ['2026-11-03', 2],
        ])
      } finally {
        await ledger.close()
      }
    })

    it('keeps the days a retention in days names: the cutoff is the UTC midnight that many days back', () => {
      expect(retentionCutoff(Date.UTC(2026, 11, 6, 7, 30), 90)).toBe(Date.UTC(2026, 8, 7))
      expect(retentionCutoff(Date.UTC(2026, 11, 6, 0, 0), 1)).toBe(Date.UTC(2026, 11, 5))
    })
  })
}

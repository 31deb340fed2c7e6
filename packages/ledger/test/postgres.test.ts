import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type PostgresServer, startPostgres } from '@tokentags/testkit/postgres'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestsCsv } from '../src/csv.js'
import { MIGRATIONS } from '../src/migrations.js'
import { createPostgresLedger } from '../src/postgres.js'
import { type Ledger, LedgerUnavailableError, type StageEvent } from '../src/types.js'
import { evmLife, ledgerConformance } from './conformance.js'
import { retentionConformance } from './retention.js'

let server: PostgresServer
let databases = 0

beforeAll(async () => {
  server = await startPostgres()
})
afterAll(async () => {
  await server?.destroy()
})

/** A new, empty database on the test server. */
async function freshDatabase(name = `ledger_${++databases}`): Promise<string> {
  const admin = new pg.Client({ connectionString: server.url })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  return server.urlOf(name)
}

ledgerConformance('postgres (Debian server)', async () => createPostgresLedger({ url: await freshDatabase() }))
retentionConformance('postgres (Debian server)', async () => createPostgresLedger({ url: await freshDatabase() }))

describe('postgres server', () => {
  it('applies each migration once when two ledgers open one database together', async () => {
    const url = await freshDatabase()
    const [a, b] = await Promise.all([createPostgresLedger({ url }), createPostgresLedger({ url })])
    try {
      expect(await a.migrations()).toEqual(MIGRATIONS.map((m) => m.version))
      expect(await b.migrations()).toEqual(MIGRATIONS.map((m) => m.version))
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  it('answers LedgerUnavailableError while the server is down and works again once it is back', async () => {
    const ledger = await createPostgresLedger({ url: await freshDatabase(), connectTimeoutMs: 1000 })
    try {
      await ledger.record(evmLife('u1', Date.UTC(2026, 0, 1), 100))
      await server.stop()
      await expect(ledger.record(evmLife('u2', Date.UTC(2026, 0, 1), 100))).rejects.toBeInstanceOf(
        LedgerUnavailableError,
      )
      await server.start()
      await ledger.record(evmLife('u2', Date.UTC(2026, 0, 1), 100))
      expect((await ledger.timeline('u2'))?.stages).toHaveLength(5)
      expect((await ledger.timeline('u1'))?.request.status).toBe('confirmed')
    } finally {
      await ledger.close()
    }
  })
})

describe('retention on a shared server', () => {
  it('skips a prune while another client prunes, and folds once that one is done', async () => {
    const url = await freshDatabase()
    const ledger = await createPostgresLedger({ url })
    const other = new pg.Client({ connectionString: url })
    await other.connect()
    try {
      await ledger.record(evmLife('o1', Date.UTC(2026, 0, 1), 100))
      // Another relay's prune in progress: it holds the pruner's lock.
      await other.query('SELECT pg_advisory_lock(7163009)')
      expect(await ledger.prune({ before: Date.UTC(2026, 0, 2) })).toMatchObject({ skipped: true, days: [] })
      expect((await ledger.timeline('o1'))?.stages).toHaveLength(5)
      await other.query('SELECT pg_advisory_unlock(7163009)')
      expect(await ledger.prune({ before: Date.UTC(2026, 0, 2) })).toMatchObject({
        skipped: false,
        days: ['2026-01-01'],
      })
      expect(await ledger.timeline('o1')).toBeUndefined()
      expect((await ledger.history()).map((r) => [r.day, r.confirmed])).toEqual([['2026-01-01', 1]])
    } finally {
      await other.end()
      await ledger.close()
    }
  })
})

describe('backup and restore', () => {
  it('restores a pg_dump into a fresh database that reads the same history, refusals, timelines and CSV', async () => {
    const T = Date.UTC(2026, 5, 1, 12)
    const events: StageEvent[] = []
    for (let i = 0; i < 6; i++) events.push(...evmLife(`b${i}`, T + i * 3_600_000, 1000 + i * 500))
    events.push(
      { requestId: 'bx', kind: 'evm', stage: 'refused', at: T, site: 'pk_a', chain: '31337', code: 'BAD_NONCE' },
      { requestId: 'bs', kind: 'solana', stage: 'received', at: T + 5, site: 'pk_b', chain: 'solana:devnet' },
      { requestId: 'bs', kind: 'solana', stage: 'confirmed', at: T + 2500, txHash: 'sig' },
      // Two days earlier, folded into the daily aggregates below: the dump carries those too.
      ...evmLife('old1', T - 2 * 86_400_000, 1200),
      { requestId: 'oldx', kind: 'evm', stage: 'refused', at: T - 2 * 86_400_000, code: 'BAD_SIG' },
    )
    const sourceUrl = await freshDatabase('backup_source')
    const source = await createPostgresLedger({ url: sourceUrl })
    const dir = mkdtempSync(join(tmpdir(), 'tokentags-dump-'))
    const file = join(dir, 'ledger.dump')
    let restored: Ledger | undefined
    try {
      await source.record(events)
      expect((await source.prune({ before: T })).days).toEqual(['2026-05-30'])
      execFileSync(server.bin('pg_dump'), ['--format=custom', `--file=${file}`, `--dbname=${sourceUrl}`])
      const targetUrl = await freshDatabase('backup_target')
      execFileSync(server.bin('pg_restore'), ['--no-owner', `--dbname=${targetUrl}`, file])
      restored = await createPostgresLedger({ url: targetUrl })
      const read = async (ledger: Ledger) => {
        let csv = ''
        for await (const chunk of requestsCsv(ledger)) csv += chunk
        return {
          migrations: await ledger.migrations(),
          history: await ledger.history(),
          refusals: await ledger.refusals(),
          timelines: await Promise.all(['b0', 'b5', 'bx', 'bs'].map((id) => ledger.timeline(id))),
          csv,
        }
      }
      const before = await read(source)
      expect(before.history.map((r) => r.day)).toEqual(['2026-05-30', '2026-05-30', '2026-06-01', '2026-06-01'])
      expect(before.refusals).toEqual([
        { code: 'BAD_NONCE', count: 1 },
        { code: 'BAD_SIG', count: 1 },
      ])
      expect(before.csv.split('\r\n')).toHaveLength(1 + 8 + 1)
      expect(await read(restored)).toEqual(before)
    } finally {
      await Promise.all([source.close(), restored?.close()])
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

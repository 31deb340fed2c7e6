import { mkdtempSync, rmSync } from 'node:fs'
import { constants, getPriority, tmpdir } from 'node:os'
import { join } from 'node:path'
import { threadId } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { MIGRATIONS } from '../src/migrations.js'
import { createPgliteLedger } from '../src/pglite.js'
import { startPgliteWorker } from '../src/pgliteWorker.js'
import { ledgerConformance } from './conformance.js'
import { retentionConformance } from './retention.js'

const dirs: string[] = []
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokentags-pglite-'))
  dirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

// Starting PGlite costs seconds (WASM and initdb); a clone of one fresh instance is a fresh database in one.
let base: PGlite
beforeAll(async () => {
  base = await PGlite.create()
})
afterAll(async () => {
  await base?.close()
})

ledgerConformance('pglite (in memory)', async () => createPgliteLedger({ instance: await base.clone() }))
retentionConformance('pglite (in memory)', async () => createPgliteLedger({ instance: await base.clone() }))

// A worker PGlite per ledger costs its start (seconds): the conformance suites run on the clones above,
// and once here on the worker (every query and transaction through postMessage).
ledgerConformance('pglite (worker, in memory)', () => createPgliteLedger())
retentionConformance('pglite (worker, in memory)', () => createPgliteLedger())

describe('pglite in a worker thread', () => {
  it('runs no PGlite code in the caller’s thread while it records and reads 2,000 stage events', async () => {
    // Spied before the ledger starts: PGlite.create or any query in this thread would count.
    const spies = (['query', 'exec', 'transaction'] as const).map((name) => vi.spyOn(PGlite.prototype, name))
    const create = vi.spyOn(PGlite, 'create')
    const ledger = await createPgliteLedger()
    try {
      const at = Date.UTC(2026, 11, 1)
      const events = Array.from({ length: 2000 }, (_, i) => ({
        requestId: `w${i % 500}`,
        kind: 'evm' as const,
        stage: (['received', 'simulated', 'admitted', 'confirmed'] as const)[Math.floor(i / 500)] ?? 'received',
        at: at + i,
      }))
      await ledger.record(events)
      expect((await ledger.timeline('w499'))?.request).toMatchObject({ id: 'w499', status: 'confirmed' })
      expect(create).not.toHaveBeenCalled()
      for (const spy of spies) expect(spy).not.toHaveBeenCalled()
    } finally {
      await ledger.close()
      create.mockRestore()
      for (const spy of spies) spy.mockRestore()
    }
  })

  it('runs PGlite on a thread other than the caller’s, niced, serializes a transaction and reports SQL errors with their code', async () => {
    const beforePriority = getPriority()
    const driver = await startPgliteWorker(undefined)
    try {
      const where = await driver.thread()
      expect(where.threadId).not.toBe(threadId)
      // Niced on Linux (per thread): PGlite writes with the CPU the relay leaves; this thread is not reniced.
      if (process.platform === 'linux') {
        expect(where.priority).toBe(constants.priority.PRIORITY_LOW)
        expect(getPriority()).toBe(beforePriority)
      }
      await driver.query('CREATE TABLE t (n int PRIMARY KEY, big bigint, at timestamptz)')
      // A statement sent while a transaction holds the connection waits for its COMMIT or ROLLBACK:
      // it must not see the rolled-back row, nor run inside that transaction.
      let seen: Promise<{ rows: { count: number }[] }> | undefined
      const rolledBack = driver.transaction(async (tx) => {
        await tx.query('INSERT INTO t (n) VALUES (1)')
        seen = driver.query<{ count: number }>('SELECT count(*)::int AS count FROM t')
        await new Promise((resolve) => setTimeout(resolve, 20))
        throw new RangeError('undo')
      })
      await expect(rolledBack).rejects.toThrow('undo')
      expect((await seen)?.rows).toEqual([{ count: 0 }])
      // bigint and Date cross the thread both ways.
      const at = new Date(Date.UTC(2026, 0, 2))
      await driver.transaction((tx) => tx.query('INSERT INTO t VALUES (2, $1, $2)', [2n ** 62n, at]))
      expect((await driver.query('SELECT big::text, at FROM t')).rows).toEqual([{ big: (2n ** 62n).toString(), at }])
      const duplicate = driver.query('INSERT INTO t (n) VALUES (2)')
      await expect(duplicate).rejects.toThrow(/duplicate key/)
      await expect(duplicate).rejects.toMatchObject({ code: '23505' })
    } finally {
      await driver.close()
    }
    await expect(driver.query('SELECT 1')).rejects.toThrow(/closed/)
  })
})

describe('pglite in the thread of its caller', () => {
  it('gives the event loop a turn between statements while it writes a batch', async () => {
    const ledger = await createPgliteLedger({ instance: await base.clone() })
    try {
      const at = Date.UTC(2026, 11, 1)
      const events = Array.from({ length: 60 }, (_, i) => ({
        requestId: `t${i}`,
        kind: 'evm' as const,
        stage: 'received' as const,
        at,
      }))
      // Without a turn between statements the whole batch settles in microtasks: no I/O callback
      // (an HTTP request of the relay) and no `setImmediate` runs until it is written.
      let turns = 0
      let writing = true
      const tick = () => {
        if (!writing) return
        turns++
        setImmediate(tick)
      }
      setImmediate(tick)
      await ledger.record(events)
      writing = false
      expect(turns).toBeGreaterThanOrEqual(events.length)
    } finally {
      await ledger.close()
    }
  })
})

describe('pglite in a directory', () => {
  it('keeps its history across a reopen and applies no migration twice', async () => {
    const dir = freshDir()
    const first = await createPgliteLedger({ dir })
    await first.record([{ requestId: 'k1', kind: 'solana', stage: 'received', at: Date.UTC(2026, 0, 1), site: 'pk' }])
    await first.close()
    const second = await createPgliteLedger({ dir })
    try {
      expect(await second.migrations()).toEqual(MIGRATIONS.map((m) => m.version))
      expect((await second.timeline('k1'))?.request).toMatchObject({ id: 'k1', kind: 'solana', status: 'received' })
    } finally {
      await second.close()
    }
  })
})

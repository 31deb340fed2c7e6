import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../src/migrations.js'
import { createPgliteLedger } from '../src/pglite.js'
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

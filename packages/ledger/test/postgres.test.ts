import { type PostgresServer, startPostgres } from '@tokentags/testkit/postgres'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPostgresLedger } from '../src/postgres.js'
import { LedgerUnavailableError } from '../src/types.js'
import { evmLife, ledgerConformance } from './conformance.js'

let server: PostgresServer
let databases = 0

beforeAll(async () => {
  server = await startPostgres()
})
afterAll(async () => {
  await server?.destroy()
})

/** A new, empty database on the test server. */
async function freshDatabase(): Promise<string> {
  const name = `ledger_${++databases}`
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

describe('postgres server', () => {
  it('applies each migration once when two ledgers open one database together', async () => {
    const url = await freshDatabase()
    const [a, b] = await Promise.all([createPostgresLedger({ url }), createPostgresLedger({ url })])
    try {
      expect(await a.migrations()).toEqual([1])
      expect(await b.migrations()).toEqual([1])
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

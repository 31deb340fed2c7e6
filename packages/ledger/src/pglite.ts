import type { PGliteInterface } from '@electric-sql/pglite'
import type { SqlDriver } from './driver.js'
import { startPgliteWorker } from './pgliteWorker.js'
import { migrate, SqlLedger } from './sqlLedger.js'
import type { Ledger } from './types.js'

export interface PgliteLedgerOptions {
  /** Data directory (kept across restarts, e.g. `.tokentags/ledger`); in memory when absent. PGlite then runs in a worker thread. */
  dir?: string
  /**
   * An open PGlite to use instead (`dir` is then ignored), in the caller's thread (it cannot move to a
   * worker): the ledger's `close` closes it.
   */
  instance?: PGliteInterface
}

/**
 * With `instance`, PGlite runs in this thread and settles its queries without giving the event loop a turn: a drained
 * batch of hundreds of statements held every HTTP request of the relay for seconds (bench/ledger.ts
 * measured no request accepted at all). One turn before each statement lets them through.
 */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * The ledger on embedded PostgreSQL (PGlite, WASM, one process), in a worker thread unless `instance`
 * is given; applies pending migrations before resolving.
 */
export async function createPgliteLedger(options: PgliteLedgerOptions = {}): Promise<Ledger> {
  const driver = options.instance ? inThread(options.instance) : await startPgliteWorker(options.dir)
  try {
    await migrate(driver)
  } catch (error) {
    await driver.close().catch(() => {})
    throw error
  }
  return new SqlLedger(driver)
}

function inThread(db: PGliteInterface): SqlDriver {
  return {
    backend: 'pglite',
    query: async <R>(sql: string, params?: unknown[]) => {
      await turn()
      return { rows: (await db.query<R>(sql, params)).rows }
    },
    transaction: (fn) =>
      db.transaction((tx) =>
        fn({
          query: async <R>(sql: string, params?: unknown[]) => {
            await turn()
            return { rows: (await tx.query<R>(sql, params)).rows }
          },
        }),
      ),
    close: () => db.close(),
  }
}

import { createHash } from 'node:crypto'
import pg from 'pg'
import type { SqlClient, SqlDriver } from './driver.js'
import { migrate, SqlLedger } from './sqlLedger.js'
import { type Ledger, LedgerUnavailableError } from './types.js'

export interface PostgresLedgerOptions {
  /** `postgres://user:password@host:port/database` (`TOKENTAGS_DATABASE_URL`). */
  url: string
  /** Most connections (default 4). */
  poolSize?: number
  /** A connection attempt fails after this long (default 3000 ms), so an outage is seen quickly. */
  connectTimeoutMs?: number
  /**
   * Statements with parameters are named prepared statements, parsed and planned once per connection
   * (default true): the drainer's writes cost the server less. `false` behind a pooler that cannot
   * keep them (PgBouncer before 1.21 in transaction mode).
   */
  prepare?: boolean
}

const names = new Map<string, string>()
/** A prepared statement's name: the same for the same text, so every connection reuses its own plan. */
function statementName(sql: string): string {
  let name = names.get(sql)
  if (name === undefined) {
    name = `tokentags_${createHash('sha256').update(sql).digest('hex').slice(0, 20)}`
    names.set(sql, name)
  }
  return name
}

/** The ledger on a PostgreSQL server through `pg`; applies pending migrations before resolving. */
export async function createPostgresLedger(options: PostgresLedgerOptions): Promise<Ledger> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
    idleTimeoutMillis: 10_000,
  })
  // An idle connection dropped by the server (a restart) is reported here; without a listener it
  // would crash the process. The next query opens a fresh connection.
  pool.on('error', () => {})
  const prepare = options.prepare ?? true
  const statement = (sql: string, params?: unknown[]) =>
    prepare && params && params.length > 0
      ? { name: statementName(sql), text: sql, values: params }
      : { text: sql, values: params }
  const driver: SqlDriver = {
    backend: 'postgres',
    query: async <R>(sql: string, params?: unknown[]) => {
      const result = await pool.query(statement(sql, params))
      return { rows: result.rows as R[] }
    },
    async transaction(fn) {
      const client = await pool.connect()
      let broken = false
      try {
        await client.query('BEGIN')
        const tx: SqlClient = {
          query: async <R>(sql: string, params?: unknown[]) => ({
            rows: (await client.query(statement(sql, params))).rows as R[],
          }),
        }
        const result = await fn(tx)
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true
        })
        throw error
      } finally {
        client.release(broken)
      }
    },
    close: () => pool.end(),
  }
  try {
    await migrate(driver)
  } catch (error) {
    await pool.end().catch(() => {})
    throw new LedgerUnavailableError(`ledger: cannot migrate ${redactUrl(options.url)}: ${(error as Error).message}`, {
      cause: error,
    })
  }
  return new SqlLedger(driver)
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'postgres://(unparsable url)'
  }
}

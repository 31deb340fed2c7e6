import { createPgliteLedger } from './pglite.js'
import { createPostgresLedger } from './postgres.js'
import type { Ledger } from './types.js'

export interface OpenLedgerOptions {
  /** A PostgreSQL server (`TOKENTAGS_DATABASE_URL`); when absent, PGlite under `dir`. */
  url?: string
  /** PGlite's data directory (in memory when absent too). */
  dir?: string
}

/** A PostgreSQL server when a URL is given, else embedded PGlite: the one choice the dev stack and the relay make. */
export function openLedger(options: OpenLedgerOptions): Promise<Ledger> {
  if (options.url) return createPostgresLedger({ url: options.url })
  return createPgliteLedger(options.dir ? { dir: options.dir } : {})
}

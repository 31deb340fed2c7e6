/** The little of a SQL client the ledger needs: `pg` and PGlite both answer it. */
export interface SqlClient {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>
}

/** A connection (pool) with transactions, one per backend. */
export interface SqlDriver extends SqlClient {
  readonly backend: 'postgres' | 'pglite'
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it rejects. */
  transaction<T>(fn: (client: SqlClient) => Promise<T>): Promise<T>
  close(): Promise<void>
}

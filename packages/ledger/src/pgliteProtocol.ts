// The messages between the PGlite ledger (pgliteWorker.ts) and its worker (pgliteThread.ts); types only.

export type ThreadRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[] }
  /** Where PGlite runs (its worker's `threadId` and nice value): lets a test tell that it is not the caller's thread. */
  | { id: number; op: 'thread' }
  | { id: number; op: 'close' }

/** Id 0 is the worker's "PGlite is open" (or why not); every other id answers the request with that id. */
export type ThreadReply =
  | { id: number; ok: true; rows: unknown[] }
  | { id: number; ok: false; error: { message: string; fields: Record<string, unknown> } }

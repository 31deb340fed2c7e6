import { Worker } from 'node:worker_threads'
import type { SqlClient, SqlDriver } from './driver.js'
import type { ThreadReply, ThreadRequest } from './pgliteProtocol.js'

type Request = ThreadRequest extends infer R ? (R extends ThreadRequest ? Omit<R, 'id'> : never) : never

/**
 * The built worker entry. From the sources (vitest runs src/*.ts) the built one is used too: Node 20
 * loads no TypeScript in a worker, and the entry imports nothing of the package, so dist/ has the same code.
 */
const threadEntry = import.meta.url.endsWith('.ts')
  ? new URL('../dist/pgliteThread.js', import.meta.url)
  : new URL('./pgliteThread.js', import.meta.url)

/** A PGlite error as the caller would have had it in-thread: its message, and its `code`, `detail`… as fields. */
function toError(error: { message: string; fields: Record<string, unknown> }): Error {
  return Object.assign(new Error(error.message), error.fields)
}

/**
 * PGlite in a `worker_threads` Worker: its ~1 ms of CPU per statement no longer runs in the relay's
 * thread (bench/ledger.ts: in-thread, the relay accepted half the requests per second). PGlite is one
 * connection, so statements queue here; a transaction holds the queue from BEGIN to COMMIT/ROLLBACK.
 */
export interface PgliteWorkerDriver extends SqlDriver {
  /** The `threadId` PGlite runs on (a test's proof that it is not the caller's) and that thread's nice value. */
  thread(): Promise<{ threadId: number; priority: number }>
}

export async function startPgliteWorker(dir: string | undefined): Promise<PgliteWorkerDriver> {
  const worker = new Worker(threadEntry, { workerData: { dir } })
  const pending = new Map<number, { resolve: (rows: unknown[]) => void; reject: (error: Error) => void }>()
  let nextId = 1
  let gone: Error | undefined

  // The worker keeps the process alive only while a request waits for it (the in-thread PGlite held
  // nothing): a relay that forgets `close()` still exits, a script awaiting a query does not exit early.
  const settle = (id: number) => {
    const entry = pending.get(id)
    pending.delete(id)
    if (pending.size === 0) worker.unref()
    return entry
  }
  const opened = new Promise<void>((resolve, reject) => {
    pending.set(0, { resolve: () => resolve(), reject })
  })
  worker.on('message', (reply: ThreadReply) => {
    const entry = settle(reply.id)
    if (!entry) return
    if (reply.ok) entry.resolve(reply.rows)
    else entry.reject(toError(reply.error))
  })
  const fail = (error: Error) => {
    gone ??= error
    for (const id of [...pending.keys()]) settle(id)?.reject(gone)
  }
  worker.on('error', (error) =>
    fail(new Error(`ledger (pglite): the worker failed: ${error.message}`, { cause: error })),
  )
  worker.on('exit', (code) => fail(new Error(`ledger (pglite): the worker exited (code ${code})`)))

  const send = (request: Request): Promise<unknown[]> => {
    if (gone) return Promise.reject(gone)
    const id = nextId++
    return new Promise<unknown[]>((resolve, reject) => {
      if (pending.size === 0) worker.ref()
      pending.set(id, { resolve, reject })
      worker.postMessage({ ...request, id } as ThreadRequest)
    })
  }

  // The connection's queue: each holder runs alone, in the order it asked.
  let tail: Promise<unknown> = Promise.resolve()
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn)
    tail = run.catch(() => {})
    return run
  }
  const raw: SqlClient = {
    query: async <R>(sql: string, params?: unknown[]) => ({ rows: (await send({ op: 'query', sql, params })) as R[] }),
  }

  try {
    await opened
  } catch (error) {
    await worker.terminate()
    throw error
  }

  return {
    backend: 'pglite',
    query: (sql, params) => exclusive(() => raw.query(sql, params)),
    transaction: (fn) =>
      exclusive(async () => {
        await raw.query('BEGIN')
        try {
          const result = await fn(raw)
          await raw.query('COMMIT')
          return result
        } catch (error) {
          await raw.query('ROLLBACK').catch(() => {})
          throw error
        }
      }),
    thread: async () => {
      const [row] = (await exclusive(() => send({ op: 'thread' }))) as { threadId: number; priority: number }[]
      if (!row) throw new TypeError('ledger (pglite): the worker did not say where it runs')
      return row
    },
    close: () =>
      exclusive(async () => {
        try {
          if (!gone) await send({ op: 'close' })
        } finally {
          gone ??= new Error('ledger (pglite): closed')
          await worker.terminate()
        }
      }),
  }
}

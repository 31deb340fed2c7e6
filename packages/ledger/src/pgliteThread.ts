// The worker entry of the PGlite ledger (see pgliteWorker.ts): PGlite and every statement it runs live
// here, off the relay's thread. It imports nothing of the package so that the built file stands alone.
import { mkdirSync } from 'node:fs'
import { constants, getPriority, setPriority } from 'node:os'
import { parentPort, threadId, workerData } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'
import type { ThreadReply, ThreadRequest } from './pgliteProtocol.js'

const port = parentPort
if (!port) throw new TypeError('pgliteThread.js runs only as a worker_threads Worker')

/** What structured clone would drop from a PGlite error (its own fields: code, detail, position…). */
function describe(error: unknown): { message: string; fields: Record<string, unknown> } {
  if (!(error instanceof Error)) return { message: String(error), fields: {} }
  const fields: Record<string, unknown> = { name: error.name }
  for (const [key, value] of Object.entries(error)) {
    if (value === undefined || typeof value === 'function' || (typeof value === 'object' && value !== null)) continue
    fields[key] = value
  }
  return { message: error.message, fields }
}

// PGlite needs ~1 ms of CPU per statement, three statements per relayed request: more than a core at
// the relay's peak. At the same priority this thread took its share of the cores from the relay's
// (bench/ledger.ts: half the accepted requests/s on 2 cores); niced, it writes with the CPU the relay
// leaves and catches up after a burst (the relay's outbox holds the backlog). Linux's nice value is
// per thread (setpriority(2), pid 0: the calling thread); elsewhere it would renice the whole process.
if (process.platform === 'linux') setPriority(constants.priority.PRIORITY_LOW)

const dir: string | undefined = (workerData as { dir?: string } | undefined)?.dir
const ready = (async () => {
  if (dir) mkdirSync(dir, { recursive: true })
  return PGlite.create(dir)
})()

// One statement at a time, in the order they were sent: the main thread already serializes, this keeps
// the order even if it did not.
let chain: Promise<unknown> = Promise.resolve()

async function answer(request: ThreadRequest): Promise<ThreadReply> {
  try {
    const db = await ready
    if (request.op === 'query') {
      const { rows } = await db.query(request.sql, request.params)
      return { id: request.id, ok: true, rows }
    }
    if (request.op === 'thread') return { id: request.id, ok: true, rows: [{ threadId, priority: getPriority() }] }
    await db.close()
    return { id: request.id, ok: true, rows: [] }
  } catch (error) {
    return { id: request.id, ok: false, error: describe(error) }
  }
}

port.on('message', (request: ThreadRequest) => {
  chain = chain.then(async () => port.postMessage(await answer(request)))
})
ready.then(
  () => port.postMessage({ id: 0, ok: true, rows: [] } satisfies ThreadReply),
  (error: unknown) => port.postMessage({ id: 0, ok: false, error: describe(error) } satisfies ThreadReply),
)

// The drainer on a real PostgreSQL (Debian's server: it starts faster than PGlite): batches land once,
// an event the database refuses while it answers is dropped without holding back the others, and a
// batch delivered twice lands once.
import { createPostgresLedger, type Ledger, type StageEvent } from '@tokentags/ledger'
import { type PostgresServer, startPostgres } from '@tokentags/testkit/postgres'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LedgerDrainer } from '../../src/ledger/drainer.js'
import { createMemoryOutbox } from '../../src/ledger/outbox.js'

let server: PostgresServer
let ledger: Ledger
beforeAll(async () => {
  server = await startPostgres()
  ledger = await createPostgresLedger({ url: server.url })
})
afterAll(async () => {
  await ledger?.close()
  await server?.destroy()
})

const at = Date.UTC(2026, 11, 1)
const received = (id: string): StageEvent => ({ requestId: id, stage: 'received', at, kind: 'evm', site: 'pk' })

describe('ledger drainer', () => {
  it('drops an event the ledger refuses and writes the rest of its batch', async () => {
    const outbox = createMemoryOutbox()
    const drainer = new LedgerDrainer({ outbox, ledger, logger: pino({ level: 'silent' }), owner: 'a' })
    await outbox.push([
      received('d1'),
      { requestId: 'd2', stage: 'lost', at, kind: 'evm' } as unknown as StageEvent,
      received('d3'),
      // A fee the database refuses (more digits than numeric(78, 0)): its error is not an outage.
      { requestId: 'd4', stage: 'settled', at, kind: 'evm', fee: '9'.repeat(79) },
      received('d5'),
    ])
    expect(await drainer.drainOnce()).toBe(5)
    expect(await outbox.size()).toBe(0)
    expect(drainer.dropped).toBe(2)
    for (const id of ['d1', 'd3', 'd5']) expect((await ledger.timeline(id))?.stages).toHaveLength(1)
    expect(await ledger.timeline('d2')).toBeUndefined()
    expect(await ledger.timeline('d4')).toBeUndefined()
  })

  it('writes a batch delivered twice once (a drainer that died before its ack)', async () => {
    const outbox = createMemoryOutbox()
    const logger = pino({ level: 'silent' })
    const events = [received('e1'), { ...received('e1'), stage: 'admitted' as const, gas: '100' }]
    await outbox.push(events)
    // The first drainer writes, then loses its lock before the ack: the next one gets the same events.
    await ledger.record(await outbox.take(10, 'dead', 1))
    await new Promise((r) => setTimeout(r, 5))
    const next = new LedgerDrainer({ outbox, ledger, logger, owner: 'b' })
    expect(await next.drainOnce()).toBe(2)
    // Written again, idempotently: not refused (and dropped) as duplicates.
    expect(next.written).toBe(2)
    expect(next.dropped).toBe(0)
    const timeline = await ledger.timeline('e1')
    expect(timeline?.stages.map((s) => s.stage)).toEqual(['received', 'admitted'])
    expect(timeline?.request.gas).toBe('100')
  })
})

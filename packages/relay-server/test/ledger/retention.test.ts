// The relay's ledger retention: at start (then periodically) the days past the retention are folded
// into daily aggregates; the history reads them as before, their rows are gone, younger days stay.
import { Writable } from 'node:stream'
import { PGlite } from '@electric-sql/pglite'
import { createPgliteLedger, type Ledger, type StageEvent } from '@tokentags/ledger'
import { pino } from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/configError.js'
import { ledgerRetentionFromEnv } from '../../src/ledger/fromEnv.js'
import { attachLedger, type RelayLedger } from '../../src/ledger/setup.js'
import { createMemoryStores } from '../../src/store/memory.js'
import { eventually } from '../helpers.js'

const DAY = 86_400_000

function confirmed(id: string, at: number): StageEvent[] {
  const base = { requestId: id, kind: 'evm' as const }
  return [
    { ...base, stage: 'received', at, site: 'pk_r', chain: '31337' },
    { ...base, stage: 'admitted', at: at + 1, gas: '90000' },
    { ...base, stage: 'confirmed', at: at + 3000, txHash: '0xaa' },
    { ...base, stage: 'settled', at: at + 3000, status: 'confirmed', fee: '42000' },
  ]
}

// Starting PGlite costs seconds: each test clones one fresh instance.
let base: PGlite
beforeAll(async () => {
  base = await PGlite.create()
}, 60_000)
afterAll(async () => {
  await base?.close()
})
const freshLedger = async () => createPgliteLedger({ instance: await base.clone() })

let attached: RelayLedger | undefined
afterEach(async () => {
  await attached?.close()
  attached = undefined
})

async function attachWith(ledger: Ledger, retention: Parameters<typeof attachLedger>[0]['retention']) {
  const logs: Record<string, unknown>[] = []
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line))
      done()
    },
  })
  attached = attachLedger(
    { ledger, ...(retention === undefined ? {} : { retention }) },
    { stores: createMemoryStores(), logger: pino({ level: 'info' }, sink), sites: new Map(), instanceId: 'r1' },
  )
  return logs
}

describe('ledger retention in the relay', () => {
  it('folds the days older than 90 by default at start; the history reads them as before', async () => {
    const ledger = await freshLedger()
    const now = Date.now()
    await ledger.record([
      ...confirmed('old', now - 100 * DAY),
      ...confirmed('older', now - 120 * DAY),
      ...confirmed('young', now - 80 * DAY),
    ])
    const before = await ledger.history()
    const logs = await attachWith(ledger, undefined)
    await eventually(async () => (await ledger.timeline('old')) === undefined, 20_000, 'the old day folded')
    expect(await ledger.timeline('older')).toBeUndefined()
    expect((await ledger.timeline('young'))?.stages).toHaveLength(4)
    expect(await ledger.history()).toEqual(before)
    expect(before).toHaveLength(3)
    const line = logs.find((l) => l.msg === 'ledger: old days folded into daily aggregates')
    expect(line).toMatchObject({ requests: 2, stages: 8, retentionDays: 90 })
  })

  it('keeps the days a shorter retention names, and every row with retention off', async () => {
    const ledger = await freshLedger()
    const now = Date.now()
    await ledger.record([...confirmed('d40', now - 40 * DAY), ...confirmed('d20', now - 20 * DAY)])
    await attachWith(ledger, ledgerRetentionFromEnv({ TOKENTAGS_LEDGER_RETENTION_DAYS: '30' }))
    await eventually(async () => (await ledger.timeline('d40')) === undefined, 20_000, 'the 40-day-old day folded')
    expect((await ledger.timeline('d20'))?.request.status).toBe('confirmed')
    await attached?.close()

    const kept = await freshLedger()
    await kept.record(confirmed('ancient', now - 400 * DAY))
    attached = undefined
    await attachWith(kept, ledgerRetentionFromEnv({ TOKENTAGS_LEDGER_RETENTION_DAYS: 'off' }))
    expect(attached?.pruner).toBeUndefined()
    expect((await kept.timeline('ancient'))?.stages).toHaveLength(4)
  })

  it('reads TOKENTAGS_LEDGER_RETENTION_DAYS: days, off, unset, and refuses anything else', () => {
    expect(ledgerRetentionFromEnv({})).toBeUndefined()
    expect(ledgerRetentionFromEnv({ TOKENTAGS_LEDGER_RETENTION_DAYS: '365' })).toEqual({ days: 365 })
    expect(ledgerRetentionFromEnv({ TOKENTAGS_LEDGER_RETENTION_DAYS: 'off' })).toBe(false)
    expect(ledgerRetentionFromEnv({ TOKENTAGS_LEDGER_RETENTION_DAYS: '0' })).toBe(false)
    for (const bad of ['-1', '1.5', 'ninety', '100000'])
      expect(() => ledgerRetentionFromEnv({ TOKENTAGS_LEDGER_RETENTION_DAYS: bad })).toThrow(ConfigError)
  })
})

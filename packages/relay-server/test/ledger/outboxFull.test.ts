// A full memory outbox under a ledger that is down: a gasless claim is still accepted and confirmed,
// the stage events that do not fit are dropped, counted in /metrics and logged (once, then summarised).
import { Writable } from 'node:stream'
import { PGlite } from '@electric-sql/pglite'
import { createPgliteLedger } from '@tokentags/ledger'
import { pino } from 'pino'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryOutbox } from '../../src/ledger/outbox.js'
import type { RunningRelay } from '../../src/relay.js'
import {
  claimData,
  ORIGIN,
  postRequest,
  SITE_KEY,
  setupChain,
  signedBody,
  startTestRelay,
  type TestChain,
  waitForFinal,
} from '../helpers.js'

const logs: Record<string, unknown>[] = []
let chain: TestChain
let db: PGlite
let relay: RunningRelay

beforeAll(async () => {
  ;[chain, db] = await Promise.all([setupChain(), PGlite.create()])
  const ledger = await createPgliteLedger({ instance: db })
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line))
      done()
    },
  })
  relay = await startTestRelay(chain, {
    ledger: {
      ledger,
      outbox: createMemoryOutbox({ maxEvents: 3 }),
      drain: { minBackoffMs: 60_000, maxBackoffMs: 60_000 },
    },
    batch: { maxSize: 10, maxWaitMs: 50, pollIntervalMs: 50 },
    sites: {
      [SITE_KEY]: {
        origins: [ORIGIN],
        targets: [{ address: chain.vestingVault, functions: ['claim(uint256 id)'] }],
        dailyBudgetWei: 'unlimited',
      },
    },
    logger: pino({ level: 'warn' }, sink),
  })
  // The database goes away: nothing leaves the outbox any more.
  await db.close()
}, 120_000)

afterAll(async () => {
  // The ledger's database is closed already: a second close may reject, which is not under test.
  await relay?.close().catch(() => {})
  await chain?.anvil.stop()
})

describe('bounded memory outbox', () => {
  it('confirms a request while the outbox is full, and counts and logs the stage events it drops', async () => {
    const account = privateKeyToAccount(generatePrivateKey())
    const id = await chain.createVestedSchedule(account.address, 1000n)
    const body = await signedBody({
      account,
      forwarder: chain.forwarder,
      to: chain.vestingVault,
      data: claimData(id),
      nonce: 0n,
    })
    const { status, json } = await postRequest(relay, body)
    expect(status).toBe(202)
    expect(await waitForFinal(relay, json.id)).toMatchObject({ status: 'confirmed' })

    // received, simulated and admitted fill it; batched, submitted, confirmed and settled are dropped.
    const metrics = await (await fetch(`${relay.url}/metrics`)).text()
    expect(metrics).toMatch(/^tokentags_relay_ledger_outbox_events 3$/m)
    const dropped = Number(
      /^tokentags_relay_ledger_events_dropped_total\{reason="outbox_full"\} (\d+)$/m.exec(metrics)?.[1],
    )
    expect(dropped).toBeGreaterThanOrEqual(4)
    // The first drop is logged at once; later ones wait for the summary (one line per 10 s at most).
    const lines = logs.filter((l) => String(l.msg).startsWith('ledger stage events dropped'))
    expect(lines).toHaveLength(1)
    expect(lines[0]?.dropped).toEqual({ outbox_full: 1 })
  })
})

// The relay on a real Redis and a real PostgreSQL: requests through the relay appear in the ledger with
// their stages; with PostgreSQL stopped during 200 requests every request still completes and every
// stage arrives once after it returns; the CSV export.
import { createPostgresLedger, type Ledger } from '@tokentags/ledger'
import { type PostgresServer, startPostgres } from '@tokentags/testkit/postgres'
import type { LocalAccount } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisOutbox, type LedgerOutbox } from '../../src/ledger/outbox.js'
import type { RunningRelay } from '../../src/relay.js'
import { createRedisStore } from '../../src/store/redis.js'
import {
  CHAIN_ID,
  claimData,
  eventually,
  ORIGIN,
  postRequest,
  SITE_KEY,
  setupChain,
  signedBody,
  startTestRelay,
  type TestChain,
  waitForFinal,
} from '../helpers.js'
import { type RedisInstance, startRedis } from '../support/redis.js'

const ADMIN = 'ledger-admin-token'
const CONFIRMED_STAGES = ['received', 'simulated', 'admitted', 'batched', 'submitted', 'confirmed', 'settled']

let chain: TestChain
let redis: RedisInstance
let pg: PostgresServer
let relay: RunningRelay
let ledger: Ledger
let outbox: LedgerOutbox

beforeAll(async () => {
  ;[chain, redis, pg] = await Promise.all([setupChain(), startRedis(), startPostgres()])
  ledger = await createPostgresLedger({ url: pg.url, connectTimeoutMs: 1000 })
  outbox = await createRedisOutbox({ url: redis.url, prefix: 'relaytest:' })
  relay = await startTestRelay(chain, {
    store: await createRedisStore({ url: redis.url, prefix: 'relaytest:' }),
    ledger: { ledger, outbox, drain: { idleMs: 100, minBackoffMs: 100, maxBackoffMs: 400 } },
    admin: { token: ADMIN },
    // 200 requests from one test client at once: the per-address limits are not what this file tests.
    limits: { perIp: false, inFlightPerIp: false },
    batch: { maxSize: 50, maxWaitMs: 200, pollIntervalMs: 100 },
    sites: {
      [SITE_KEY]: {
        origins: [ORIGIN],
        targets: [{ address: chain.vestingVault, functions: ['claim(uint256 id)'] }],
        dailyBudgetWei: 'unlimited',
      },
    },
  })
}, 120_000)

afterAll(async () => {
  await relay?.close()
  await Promise.all([redis?.stop(), pg?.destroy(), chain?.anvil.stop()])
})

/** A fresh user with a vested schedule, and its signed claim (a gasless claim needs no funds). */
async function claimBody(): Promise<{ account: LocalAccount; body: Awaited<ReturnType<typeof signedBody>> }> {
  const account = privateKeyToAccount(generatePrivateKey())
  const id = await chain.createVestedSchedule(account.address, 1000n)
  const body = await signedBody({
    account,
    forwarder: chain.forwarder,
    to: chain.vestingVault,
    data: claimData(id),
    nonce: 0n,
  })
  return { account, body }
}

/** The deployer creates the schedules one after the other (one account, one nonce sequence). */
async function claimBodies(count: number) {
  const bodies = []
  for (let i = 0; i < count; i++) bodies.push(await claimBody())
  return bodies
}

async function drained() {
  await eventually(async () => (await outbox.size()) === 0, 30_000, 'an empty ledger outbox')
}

describe('ledger on Redis and PostgreSQL', () => {
  it('records each request through the relay with its stages, and a refusal with its code', async () => {
    const sent = await claimBodies(3)
    const ids: string[] = []
    for (const { body } of sent) {
      const { status, json } = await postRequest(relay, body)
      expect(status).toBe(202)
      ids.push(json.id)
    }
    const finals = await Promise.all(ids.map((id) => waitForFinal(relay, id)))
    // A tampered request: signed for one nonce, sent with another.
    const bad = await claimBody()
    const refused = await postRequest(relay, { ...bad.body, request: { ...bad.body.request, nonce: '7' } })
    expect(refused.status).toBeGreaterThanOrEqual(400)
    expect(refused.status).toBeLessThan(500)

    await drained()
    for (const [i, id] of ids.entries()) {
      const timeline = await ledger.timeline(id)
      expect(timeline?.stages.map((s) => s.stage)).toEqual(CONFIRMED_STAGES)
      expect(timeline?.request).toMatchObject({
        id,
        kind: 'evm',
        site: SITE_KEY,
        chain: String(CHAIN_ID),
        sender: sent[i]?.account.address.toLowerCase(),
        target: chain.vestingVault.toLowerCase(),
        selector: claimData(0n).slice(0, 10),
        functionName: 'claim(uint256)',
        status: 'confirmed',
        gas: '200000',
        txHash: finals[i]?.txHash,
      })
      expect(BigInt(timeline?.request.fee ?? '0')).toBeGreaterThan(0n)
      expect(timeline?.request.confirmedAt).not.toBeNull()
    }
    expect(await ledger.refusals({ site: SITE_KEY })).toEqual([{ code: refused.json.error.code, count: 1 }])
    const [day] = await ledger.history({ site: SITE_KEY })
    expect(day).toMatchObject({ requests: 4, confirmed: 3, refused: 1, successRate: 1, gas: '600000' })
    expect(day?.p95ConfirmMs).not.toBeNull()
  })

  it('completes every request while PostgreSQL is down, then writes each stage once when it returns', async () => {
    const COUNT = 200
    const bodies = await claimBodies(COUNT)
    await pg.stop()
    try {
      const ids = await Promise.all(
        bodies.map(async ({ body }) => {
          const { status, json } = await postRequest(relay, body)
          expect(status).toBe(202)
          return json.id
        }),
      )
      const finals = await Promise.all(ids.map((id) => waitForFinal(relay, id, 60_000)))
      expect(finals.map((f) => f.status)).toEqual(ids.map(() => 'confirmed'))
      // Every stage waits in Redis meanwhile (received, simulated, admitted, batched, submitted, confirmed, settled).
      expect(await outbox.size()).toBeGreaterThanOrEqual(COUNT * CONFIRMED_STAGES.length)
      await expect(ledger.ping()).rejects.toThrow()
      await pg.start()
      await drained()
      for (const id of ids) {
        const timeline = await ledger.timeline(id)
        expect(timeline?.stages.map((s) => s.stage)).toEqual(CONFIRMED_STAGES)
        expect(timeline?.request.status).toBe('confirmed')
      }
      expect(relay.ledger?.drainer.dropped).toBe(0)
    } finally {
      if (
        !(await ledger.ping().then(
          () => true,
          () => false,
        ))
      )
        await pg.start()
    }
  }, 180_000)

  it('exports the requests as CSV behind the admin token, filtered and streamed', async () => {
    const get = (query: string, token: string | null = ADMIN) =>
      fetch(`${relay.url}/admin/api/requests.csv${query}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      })
    expect((await get('', null)).status).toBe(401)
    const badFrom = await get('?from=yesterday')
    expect(badFrom.status).toBe(400)
    expect(((await badFrom.json()) as { error: { code: string } }).error.code).toBe('INVALID_BODY')

    const all = await get('')
    expect(all.status).toBe(200)
    expect(all.headers.get('content-type')).toMatch(/^text\/csv/)
    const lines = (await all.text()).trimEnd().split('\r\n')
    expect(lines[0]).toBe(
      'id,site,kind,chain,sender,target,function,status,code,gas,lamports,fee,tx_hash,created_at,updated_at,confirmed_at',
    )
    const rows = lines.slice(1).map((l) => l.split(','))
    expect(rows).toHaveLength(3 + 1 + 200)
    const confirmed = rows.filter((r) => r[7] === 'confirmed')
    expect(confirmed).toHaveLength(203)
    for (const r of confirmed) {
      expect(r[1]).toBe(SITE_KEY)
      expect(r[6]).toBe('claim(uint256)')
      expect(r[12]).toMatch(/^0x[0-9a-f]{64}$/)
      expect(BigInt(r[11] ?? '0')).toBeGreaterThan(0n)
    }

    const refusedOnly = (await (await get('?status=refused')).text()).trimEnd().split('\r\n')
    expect(refusedOnly).toHaveLength(2)
    expect(refusedOnly[1]?.split(',')[7]).toBe('refused')
    const none = (await (await get(`?site=pk_other&from=${encodeURIComponent('2020-01-01')}`)).text()).trimEnd()
    expect(none.split('\r\n')).toHaveLength(1)
    const future = (await (await get(`?from=${Date.now() + 3_600_000}`)).text()).trimEnd()
    expect(future.split('\r\n')).toHaveLength(1)

    // More than one page (500) and more than one 64 KiB write: every row once, in order.
    // Within the retention (90 days by default): stages dated before it are dropped as already folded.
    const bulkStart = Date.now() - 3_600_000
    const bulk = Array.from({ length: 1500 }, (_, i) => ({
      requestId: `bulk-${String(i).padStart(4, '0')}`,
      stage: 'refused' as const,
      kind: 'evm' as const,
      at: bulkStart + i,
      site: 'pk_bulk',
      chain: String(CHAIN_ID),
      code: 'RATE_LIMITED',
      detail: { note: 'x'.repeat(100) },
    }))
    await ledger.record(bulk)
    const bulkCsv = await (await get('?site=pk_bulk')).text()
    expect(bulkCsv.length).toBeGreaterThan(2 * 64 * 1024)
    expect(
      bulkCsv
        .trimEnd()
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(',')[0]),
    ).toEqual(bulk.map((e) => e.requestId))
  })
})

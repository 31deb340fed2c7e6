// Two tokentags-relay processes on one Redis and one PostgreSQL (issue 16): requests through both give
// the same CSV export and the same dashboard history from either; one of them killed with SIGKILL at a
// random point of the clients' progress and restarted loses no ledger row of an acknowledged request.
import { createPostgresLedger, type Ledger } from '@tokentags/ledger'
import { freePort } from '@tokentags/testkit'
import { type PostgresServer, startPostgres } from '@tokentags/testkit/postgres'
import type { LocalAccount } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHAIN_ID, eventually, ORIGIN, SITE_KEY, setupChain, type TestChain } from '../helpers.js'
import { fundedUsers, getJson, post, relayerKeys, transferBody, transferSelector } from '../support/load.js'
import { type RelayProcess, relayProcess } from '../support/relayProcess.js'
import { type StoreBackend, startStoreBackend } from '../support/storeBackend.js'

const ADMIN = 'two-relays-admin-token'
/** Every stage a confirmed EVM request has (a replaced transaction adds `replaced` rows on top). */
const CONFIRMED_STAGES = ['received', 'simulated', 'admitted', 'batched', 'submitted', 'confirmed', 'settled']
const CSV_HEADER =
  'id,site,kind,chain,sender,target,function,status,code,gas,lamports,fee,tx_hash,created_at,updated_at,confirmed_at'

let chain: TestChain
let backend: StoreBackend
let pg: PostgresServer
let ledger: Ledger
let relays: [RelayProcess, RelayProcess]

beforeAll(async () => {
  ;[chain, backend, pg] = await Promise.all([setupChain(), startStoreBackend('redis'), startPostgres()])
  ledger = await createPostgresLedger({ url: pg.url })
  const config = {
    chains: [
      {
        chainId: CHAIN_ID,
        rpcUrl: chain.anvil.rpcUrl,
        forwarder: chain.forwarder,
        relayerPrivateKeys: relayerKeys(2),
        replaceAfterMs: 20_000,
      },
    ],
    sites: {
      [SITE_KEY]: {
        origins: [ORIGIN],
        targets: [{ address: chain.token, selectors: [transferSelector] }],
        dailyBudgetWei: 'unlimited',
      },
    },
    batch: { maxSize: 20, maxWaitMs: 100, pollIntervalMs: 100, claimLeaseMs: 2000, keyLeaseMs: 1500 },
    limits: { perIp: false, perSender: false, perSite: { points: 10_000, durationSeconds: 60 } },
  }
  const env = { ...backend.env, TOKENTAGS_DATABASE_URL: pg.url, TOKENTAGS_ADMIN_TOKEN: ADMIN }
  relays = [
    relayProcess({ port: await freePort(), env, name: 'ledger-a', config }),
    relayProcess({ port: await freePort(), env, name: 'ledger-b', config }),
  ]
  await Promise.all(relays.map((r) => r.start()))
}, 120_000)

afterAll(async () => {
  await Promise.all((relays ?? []).map((r) => r.kill()))
  await ledger?.close()
  await pg?.destroy()
  await backend?.stop()
  await chain?.anvil.stop()
})

const admin = (relay: RelayProcess, path: string) =>
  fetch(`${relay.url}${path}`, { headers: { authorization: `Bearer ${ADMIN}` } })

async function csvOf(relay: RelayProcess, query = ''): Promise<string> {
  const response = await admin(relay, `/admin/api/requests.csv${query}`)
  expect(response.status).toBe(200)
  return response.text()
}

async function historyOf(relay: RelayProcess, query = ''): Promise<unknown> {
  const response = await admin(relay, `/admin/api/ledger/history${query}`)
  expect(response.status).toBe(200)
  return response.json()
}

async function waitFinal(ids: readonly string[], timeoutMs = 120_000): Promise<Map<string, string>> {
  const finals = new Map<string, string>()
  const until = Date.now() + timeoutMs
  while (finals.size < ids.length && Date.now() < until) {
    for (const [i, id] of ids.entries()) {
      if (finals.has(id)) continue
      // Either relay answers for any request: the store is shared.
      const view = await getJson(`${relays[i % 2].url}/v1/requests/${id}`)
      if (view && ['confirmed', 'failed', 'rejected'].includes(view.status)) finals.set(id, view.status)
    }
    if (finals.size < ids.length) await new Promise((r) => setTimeout(r, 300))
  }
  return finals
}

/** Every stage of every id in PostgreSQL (the drainers write them a little after the final status). */
async function waitStages(ids: readonly string[]): Promise<Map<string, string[]>> {
  const stages = new Map<string, string[]>()
  await eventually(
    async () => {
      for (const id of ids) {
        if (stages.has(id)) continue
        const timeline = await ledger.timeline(id)
        const names = timeline?.stages.map((s) => s.stage) ?? []
        if (CONFIRMED_STAGES.every((s) => names.includes(s))) stages.set(id, names)
      }
      return stages.size === ids.length
    },
    60_000,
    'every stage of every request in PostgreSQL',
  ).catch(() => {})
  return stages
}

describe('two relay processes on one Redis and one PostgreSQL', () => {
  it('show the same CSV and the same dashboard history from either', async () => {
    const users = await fundedUsers(chain, 6, 100n)
    const acked: string[] = []
    // Each user's requests alternate between the relays; each relay refuses one unknown site key.
    await Promise.all(
      users.map(async (user, u) => {
        for (let nonce = 0n; nonce < 3n; nonce++) {
          const relay = relays[(u + Number(nonce)) % 2] as RelayProcess
          const { status, json } = await post(relay.url, await transferBody(chain, user, nonce), SITE_KEY, ORIGIN)
          expect(status).toBe(202)
          acked.push(json.id as string)
        }
      }),
    )
    for (const relay of relays) {
      const refused = await post(
        relay.url,
        await transferBody(chain, users[0] as LocalAccount, 9n),
        'pk_nobody',
        ORIGIN,
      )
      expect(refused.status).toBeGreaterThanOrEqual(400)
      expect(refused.status).toBeLessThan(500)
    }
    const finals = await waitFinal(acked)
    expect([...finals.values()]).toEqual(acked.map(() => 'confirmed'))
    expect((await waitStages(acked)).size).toBe(acked.length)
    await eventually(
      async () => (await ledger.refusals({ site: 'pk_nobody' })).reduce((n, r) => n + r.count, 0) === 2,
      30_000,
      'both refusals in PostgreSQL',
    )

    const [csvA, csvB] = await Promise.all(relays.map((r) => csvOf(r)))
    expect(csvB).toBe(csvA)
    const rows = (csvA ?? '').trimEnd().split('\r\n')
    expect(rows[0]).toBe(CSV_HEADER)
    const byId = new Map(rows.slice(1).map((line) => [line.split(',')[0], line.split(',')]))
    expect(byId.size).toBe(acked.length + 2)
    for (const id of acked) {
      expect(byId.get(id)?.[7]).toBe('confirmed')
      expect(byId.get(id)?.[12]).toMatch(/^0x[0-9a-f]{64}$/)
    }
    expect(rows.slice(1).filter((l) => l.split(',')[7] === 'refused')).toHaveLength(2)
    // Filtered the same way on both.
    const [confirmedA, confirmedB] = await Promise.all(relays.map((r) => csvOf(r, '?status=confirmed')))
    expect(confirmedB).toBe(confirmedA)
    expect((confirmedA ?? '').trimEnd().split('\r\n')).toHaveLength(acked.length + 1)

    const [historyA, historyB] = await Promise.all(relays.map((r) => historyOf(r)))
    expect(historyB).toEqual(historyA)
    const { days } = historyA as {
      days: { site: string | null; requests: number; confirmed: number; refused: number }[]
    }
    const site = days.filter((d) => d.site === SITE_KEY)
    expect(site.reduce((n, d) => n + d.confirmed, 0)).toBe(acked.length)
    expect(site.reduce((n, d) => n + d.refused, 0)).toBe(0)
    expect(days.filter((d) => d.site === 'pk_nobody').reduce((n, d) => n + d.refused, 0)).toBe(2)
    // A request's timeline, asked of the relay that did not take it.
    const [timelineA, timelineB] = await Promise.all(
      relays.map(async (r) => (await admin(r, `/admin/api/ledger/requests/${acked[0]}`)).json()),
    )
    expect(timelineB).toEqual(timelineA)
  }, 240_000)

  it('loses no ledger row when the relays are killed at random points of the load and restarted', async () => {
    const USERS = 10
    const PER_USER = 15
    const users = await fundedUsers(chain, USERS, 100n)
    const acked: string[] = []
    let clientsDone = false
    // Each user sends its nonces in order, to both relays by turns; an unanswered POST goes to the
    // other relay, a 409 BAD_NONCE means the first one stored it before it died (not acknowledged).
    const client = async (user: LocalAccount, u: number) => {
      let nonce = 0n
      let turn = u
      while (nonce < BigInt(PER_USER)) {
        const relay = relays[turn++ % 2] as RelayProcess
        const { status, json } = await post(relay.url, await transferBody(chain, user, nonce), SITE_KEY, ORIGIN)
        if (status === 202 && json.id) {
          acked.push(json.id)
          nonce++
        } else if (status === 409 && json.error?.code === 'BAD_NONCE') {
          nonce++
        } else if (status === 0 || status === 503) {
          await new Promise((r) => setTimeout(r, 50))
        } else {
          throw new Error(`unexpected answer ${status} ${JSON.stringify(json)}`)
        }
      }
    }
    // Kills come at random points of the clients' progress, never of the clock: one relay, then (when the
    // load is not over by the time it is back) the other, at a random point of what is left.
    const total = USERS * PER_USER
    const marks: number[] = []
    const killer = async () => {
      for (let k = 0; k < 2; k++) {
        const mark = acked.length + Math.floor((total - acked.length) * (0.2 + Math.random() * 0.3))
        while (!clientsDone && acked.length < mark) await new Promise((r) => setTimeout(r, 5))
        if (clientsDone) break
        const victim = relays[k % 2] as RelayProcess
        await victim.kill()
        marks.push(acked.length)
        await new Promise((r) => setTimeout(r, Math.random() * 300))
        await victim.start()
      }
    }
    const killing = killer()
    await Promise.all(users.map(client))
    clientsDone = true
    await killing
    expect(marks.length).toBeGreaterThanOrEqual(1)

    const finals = await waitFinal(acked)
    expect(finals.size).toBe(acked.length)
    expect([...finals.values()].filter((s) => s !== 'confirmed')).toEqual([])
    const stages = await waitStages(acked)
    const missing = acked
      .filter((id) => !stages.has(id))
      .slice(0, 5)
      .map(async (id) => `${id}: ${(await ledger.timeline(id))?.stages.map((s) => s.stage).join(' ') ?? 'no row'}`)
    expect(await Promise.all(missing)).toEqual([])
    for (const [id, names] of stages) {
      // Each stage once (a replacement may add `replaced` rows, each with its own seq).
      const once = names.filter((s) => s !== 'replaced')
      expect(once, id).toEqual(CONFIRMED_STAGES)
    }
    // The request rows and the day's counts agree: nothing counted twice.
    const csv = (await csvOf(relays[1], '?status=confirmed')).trimEnd().split('\r\n').slice(1)
    const confirmedIds = new Set(csv.map((l) => l.split(',')[0]))
    expect(csv.length).toBe(confirmedIds.size)
    for (const id of acked) expect(confirmedIds.has(id)).toBe(true)
    console.info(`ledger crash test: killed at ${marks.join(' and ')} of ${total} acknowledgements`)
  }, 360_000)
})

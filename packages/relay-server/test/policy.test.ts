// Budgets, quotas, rate limits and the admin API, on the Redis store.

import type { Hex, LocalAccount } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChainRuntime } from '../src/evm/chain.js'
import { BATCH_FIXED_GAS } from '../src/evm/gas.js'
import { reservationFeePerGas } from '../src/evm/reservation.js'
import { simulateAsIs } from '../src/evm/simulate.js'
import { createRedisStore, type RunningRelay } from '../src/index.js'
import { OPEN_SITE_CACHE_MS } from '../src/network/sitePause.js'
import { CHAIN_ID, ORIGIN, relayConfig, SITE_KEY, setupChain, startTestRelay, type TestChain } from './helpers.js'
import { fundedUsers, getJson, post, relayerKeys, transferBody, transferSelector } from './support/load.js'
import { type RedisInstance, startRedis } from './support/redis.js'

const CEILING = 10_000_000_000n // 10 gwei
const ADMIN_TOKEN = 'admin-secret-for-tests'
/** What the relay reserves for one transfer request: its measured gas and a batch's fixed part at today's fee. */
let PER_REQUEST: bigint
let BUDGET: bigint

let chain: TestChain
let redis: RedisInstance
let relay: RunningRelay
let users: LocalAccount[]

beforeAll(async () => {
  ;[chain, redis] = await Promise.all([setupChain(), startRedis()])
  users = await fundedUsers(chain, 114, 10n)
  // Read as the relay will: no block is mined before the burst, so fee and measured gas stay put.
  const runtime = createChainRuntime({
    chainId: CHAIN_ID,
    rpcUrl: chain.anvil.rpcUrl,
    forwarder: chain.forwarder,
    relayerPrivateKeys: relayerKeys(2),
    maxFeePerGas: CEILING,
  })
  const probe = await transferBody(chain, users[0] as LocalAccount, 0n)
  const probed = await simulateAsIs(
    runtime,
    {
      ...probe.request,
      from: probe.request.from,
      value: 0n,
      gas: BigInt(probe.request.gas),
      nonce: 0n,
      deadline: BigInt(probe.request.deadline),
      data: probe.request.data as Hex,
    },
    probe.signature as Hex,
  )
  if (!probed.executes || probed.measuredGas === undefined) throw new Error('the probe transfer was not measured')
  PER_REQUEST = (probed.measuredGas + BATCH_FIXED_GAS) * (await reservationFeePerGas(runtime))
  BUDGET = PER_REQUEST * 10n + PER_REQUEST / 2n
  const base = relayConfig(chain)
  relay = await startTestRelay(chain, {
    store: await createRedisStore({ url: redis.url }),
    chains: [
      {
        chainId: CHAIN_ID,
        rpcUrl: chain.anvil.rpcUrl,
        forwarder: chain.forwarder,
        relayerPrivateKeys: relayerKeys(2),
        maxFeePerGas: CEILING,
      },
    ],
    sites: {
      ...base.sites,
      [SITE_KEY]: {
        origins: [ORIGIN],
        targets: [{ address: chain.token, selectors: [transferSelector] }],
        dailyBudgetWei: BUDGET,
      },
      pk_quota: {
        origins: [ORIGIN],
        targets: [{ address: chain.token, selectors: [transferSelector] }],
        senderDailyQuota: 2,
        dailyBudgetWei: 'unlimited',
      },
    },
    batch: { maxSize: 20, maxWaitMs: 100, pollIntervalMs: 100 },
    limits: { perIp: false, perSender: { points: 3, durationSeconds: 60 } },
    admin: { token: ADMIN_TOKEN },
  })
}, 120_000)

afterAll(async () => {
  await relay?.close()
  await redis?.stop()
  await chain?.anvil.stop()
})

const rpc = (method: string, params: unknown[] = []) =>
  fetch(chain.anvil.rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  }).then((r) => r.json())

const admin = (path: string, init: RequestInit = {}, token = ADMIN_TOKEN) =>
  fetch(`${relay.url}/admin/api${path}`, {
    ...init,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.headers ?? {}) },
  })

async function waitFinal(id: string) {
  for (let i = 0; i < 300; i++) {
    const view = await getJson(`${relay.url}/v1/requests/${id}`)
    if (view && ['confirmed', 'failed', 'rejected'].includes(view.status)) return view
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`request ${id} not final`)
}

describe('daily budget', () => {
  it('lets 100 concurrent clients spend no more than the budget, to the wei', async () => {
    const clients = users.slice(0, 100)
    const bodies = await Promise.all(clients.map((u) => transferBody(chain, u, 0n)))
    // No blocks while the burst lands, so no reservation is settled (and freed) during it.
    await rpc('evm_setAutomine', [false])
    const results = await Promise.all(bodies.map((b) => post(relay.url, b, SITE_KEY, ORIGIN)))
    const accepted = results.filter((r) => r.status === 202)
    const refused = results.filter((r) => r.status !== 202)
    // Every transfer reserves the same measured gas at the same fee: exactly ten fit.
    expect(accepted).toHaveLength(10)
    expect(new Set(refused.map((r) => `${r.status} ${r.json.error?.code}`))).toEqual(new Set(['429 BUDGET_EXCEEDED']))
    const during = await (await admin(`/sites/${SITE_KEY}`)).json()
    // Reservations differ only by the senders' address bytes in calldata (a zero byte costs 12 gas less).
    const held = await Promise.all(accepted.map(async (r) => (await relay.store.get(r.json.id as string))?.reservedWei))
    for (const r of held)
      expect((r as bigint) * 1000n > PER_REQUEST * 997n && (r as bigint) <= PER_REQUEST + PER_REQUEST / 300n).toBe(true)
    expect(BigInt(during.today.usedWei)).toBe(held.reduce((sum: bigint, r) => sum + (r as bigint), 0n))
    await rpc('evm_setAutomine', [true])
    await rpc('evm_mine')

    const finals = await Promise.all(accepted.map((r) => waitFinal(r.json.id as string)))
    expect(finals.map((f) => f.status)).toEqual(Array(10).fill('confirmed'))

    // Settled with the gas really used: never below the chain's real cost, never above the budget.
    let onChain = 0n
    for (const hash of new Set(finals.map((f) => f.txHash as Hex))) {
      const receipt = await chain.publicClient.getTransactionReceipt({ hash })
      onChain += receipt.gasUsed * receipt.effectiveGasPrice
    }
    const site = await (await admin(`/sites/${SITE_KEY}`)).json()
    const spent = BigInt(site.today.spentWei)
    expect(spent).toBeGreaterThanOrEqual(onChain)
    expect(spent).toBeLessThan(onChain + 100n)
    expect(BigInt(site.today.usedWei)).toBe(spent)
    expect(spent).toBeLessThanOrEqual(BUDGET)
    expect(BigInt(site.today.remainingWei)).toBe(BUDGET - spent)

    // What settlement gave back is usable again, and still never past the budget.
    const more = await Promise.all(
      users.slice(100, 110).map(async (u) => post(relay.url, await transferBody(chain, u, 0n), SITE_KEY, ORIGIN)),
    )
    const again = more.filter((r) => r.status === 202)
    expect(again.length).toBeGreaterThan(0)
    // Blocks were mined meanwhile: the fee, hence each reservation, may have moved since the burst.
    const reserved = await Promise.all(
      again.map(async (r) => (await relay.store.get(r.json.id as string))?.reservedWei),
    )
    expect(reserved.reduce((sum: bigint, r) => sum + (r ?? BUDGET), 0n)).toBeLessThanOrEqual(BUDGET - spent)
    await Promise.all(again.map((r) => waitFinal(r.json.id as string)))
    const after = await (await admin(`/sites/${SITE_KEY}`)).json()
    expect(BigInt(after.today.usedWei)).toBeLessThanOrEqual(BUDGET)
  }, 120_000)
})

describe('quotas and rate limits', () => {
  it('refuses a sender past its daily quota (429 QUOTA_EXCEEDED)', async () => {
    const user = users[110] as LocalAccount
    const statuses: string[] = []
    for (let nonce = 0n; nonce < 3n; nonce++) {
      const { status, json } = await post(relay.url, await transferBody(chain, user, nonce), 'pk_quota', ORIGIN)
      statuses.push(`${status}${json.error ? ` ${json.error.code}` : ''}`)
    }
    expect(statuses).toEqual(['202', '202', '429 QUOTA_EXCEEDED'])
  })

  it('rate-limits a sender after its signature checks (429 RATE_LIMITED with Retry-After)', async () => {
    const user = users[111] as LocalAccount
    const answers: string[] = []
    let retryAfter: string | null = null
    for (let i = 0; i < 4; i++) {
      // Bad nonces still count once the signature is valid; the 4th is over the limit of 3 per minute.
      const response = await fetch(`${relay.url}/v1/evm/${CHAIN_ID}/requests`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tokentags-site': 'pk_quota', origin: ORIGIN },
        body: JSON.stringify(await transferBody(chain, user, 9n)),
      })
      answers.push(`${response.status} ${(await response.json()).error?.code}`)
      retryAfter = response.headers.get('retry-after')
    }
    expect(answers).toEqual(['409 BAD_NONCE', '409 BAD_NONCE', '409 BAD_NONCE', '429 RATE_LIMITED'])
    expect(Number(retryAfter)).toBeGreaterThan(0)
  })

  it('counts a sender only once its signature checks: forged requests in its name use up none of its allowance', async () => {
    const victim = users[113] as LocalAccount
    const real = await transferBody(chain, victim, 0n)
    // A canonical signature by the victim, but over another nonce: it does not match the request.
    const forged = { ...real, signature: (await transferBody(chain, victim, 7n)).signature }
    const answers: string[] = []
    for (let i = 0; i < 4; i++) {
      const { status, json } = await post(relay.url, forged, 'pk_quota', ORIGIN)
      answers.push(`${status} ${json.error?.code}`)
    }
    expect(answers).toEqual(Array(4).fill('400 BAD_SIGNATURE'))
    const { status } = await post(relay.url, real, 'pk_quota', ORIGIN)
    expect(status).toBe(202)
  })

  it('rate-limits per client IP before any work', async () => {
    const limited = await startTestRelay(chain, {
      store: await createRedisStore({ url: redis.url, prefix: 'iptest:' }),
      limits: { perIp: { points: 5, durationSeconds: 60 }, perSender: false },
    })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 7; i++) statuses.push((await post(limited.url, { nope: true }, SITE_KEY, ORIGIN)).status)
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429])
    } finally {
      await limited.close()
    }
  })

  it('believes X-Forwarded-For only from proxies the operator trusts', async () => {
    const postFrom = async (url: string, forwardedFor: string) =>
      (
        await fetch(`${url}/v1/evm/31337/requests`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-tokentags-site': SITE_KEY,
            origin: ORIGIN,
            'x-forwarded-for': forwardedFor,
          },
          body: '{}',
        })
      ).status
    const limits = { perIp: { points: 2, durationSeconds: 60 }, perSender: false } as const
    // Behind a trusted proxy (here: loopback), each client address has its own allowance.
    const proxied = await startTestRelay(chain, {
      store: await createRedisStore({ url: redis.url, prefix: 'xff-trusted:' }),
      limits,
      trustProxy: ['loopback'],
    })
    try {
      const a = [await postFrom(proxied.url, '203.0.113.1'), await postFrom(proxied.url, '203.0.113.1')]
      expect([...a, await postFrom(proxied.url, '203.0.113.1')]).toEqual([400, 400, 429])
      expect(await postFrom(proxied.url, '203.0.113.2')).toBe(400)
    } finally {
      await proxied.close()
    }
    // Not trusted (the default): a forged header is no way around the limit.
    const direct = await startTestRelay(chain, {
      store: await createRedisStore({ url: redis.url, prefix: 'xff-direct:' }),
      limits,
    })
    try {
      const statuses = []
      for (let i = 0; i < 3; i++) statuses.push(await postFrom(direct.url, `198.51.100.${i}`))
      expect(statuses).toEqual([400, 400, 429])
    } finally {
      await direct.close()
    }
  })
})

describe('admin API', () => {
  it('needs the bearer token', async () => {
    for (const token of ['', 'wrong-token']) {
      const response = await admin('/stats', {}, token)
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toBe('Bearer')
      expect((await response.json()).error.code).toBe('UNAUTHORIZED')
    }
  })

  it('reports queue, keys and site state', async () => {
    const stats = await (await admin('/stats')).json()
    expect(stats).toMatchObject({
      store: 'redis',
      chains: [{ chainId: CHAIN_ID, queue: { depth: expect.any(Number) } }],
    })
    expect(stats.chains[0].heldKeys.length).toBeGreaterThan(0)
    const site = await (await admin(`/sites/${SITE_KEY}`)).json()
    expect(site).toMatchObject({ key: SITE_KEY, paused: false, dailyBudgetWei: String(BUDGET), origins: [ORIGIN] })
    expect((await admin('/sites/pk_nope')).status).toBe(404)
  })

  it('pauses a site for every instance, and resumes it', async () => {
    const user = users[112] as LocalAccount
    expect((await (await admin('/sites/pk_quota/pause', { method: 'POST' })).json()).paused).toBe(true)
    const paused = await post(relay.url, await transferBody(chain, user, 0n), 'pk_quota', ORIGIN)
    expect({ status: paused.status, code: paused.json.error?.code }).toEqual({ status: 403, code: 'SITE_PAUSED' })
    expect((await (await admin('/sites/pk_quota/resume', { method: 'POST' })).json()).paused).toBe(false)
    const resumed = await post(relay.url, await transferBody(chain, user, 0n), 'pk_quota', ORIGIN)
    expect(resumed.status).toBe(202)
  })

  it("refuses a paused site's request before the nonce rule and the simulation (403, not 409 BAD_NONCE)", async () => {
    const user = users[113] as LocalAccount
    expect((await (await admin('/sites/pk_quota/pause', { method: 'POST' })).json()).paused).toBe(true)
    // The previous test's request left the site read as open for up to a second (admission refuses meanwhile).
    await new Promise((resolve) => setTimeout(resolve, OPEN_SITE_CACHE_MS + 100))
    try {
      // Nonce 5 of a fresh sender: the nonce rule (after a node call) would answer 409 BAD_NONCE.
      const paused = await post(relay.url, await transferBody(chain, user, 5n), 'pk_quota', ORIGIN)
      expect({ status: paused.status, code: paused.json.error?.code }).toEqual({ status: 403, code: 'SITE_PAUSED' })
    } finally {
      await admin('/sites/pk_quota/resume', { method: 'POST' })
    }
    const resumed = await post(relay.url, await transferBody(chain, user, 5n), 'pk_quota', ORIGIN)
    expect({ status: resumed.status, code: resumed.json.error?.code }).toEqual({ status: 409, code: 'BAD_NONCE' })
  })

  it('is absent without a configured token', async () => {
    const bare = await startTestRelay(chain)
    try {
      const response = await fetch(`${bare.url}/admin/api/stats`, { headers: { authorization: 'Bearer x' } })
      expect(response.status).toBe(404)
    } finally {
      await bare.close()
    }
  })
})

describe('security headers', () => {
  it('are on every answer', async () => {
    const response = await fetch(`${relay.url}/v1/config`)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('x-frame-options')).toBe('DENY')
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(response.headers.get('cache-control')).toBe('no-store')
  })
})

// A relay on TOKENTAGS_STORE=upstash keeps the operators' ledger, the sites' webhooks and the operator
// alerts, each queued in Upstash itself: the factories of the bin accept upstash (they refused it), a
// confirmed claim's stages reach Debian's PostgreSQL through the Upstash outbox, and the bin killed with
// SIGKILL while PostgreSQL is down loses no stage (they wait in Upstash). Upstash's stand-in is
// test/support/upstashBridge.ts: Upstash's REST protocol in front of a real redis-server, driven by the
// real `@upstash/redis` client (no Upstash service can be reached here); the raw Redis behind it shows
// where each queue lives.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createPostgresLedger, type Ledger } from '@tokentags/ledger'
import { freePort } from '@tokentags/testkit'
import { type PostgresServer, startPostgres } from '@tokentags/testkit/postgres'
import { Redis as IORedis } from 'ioredis'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { operatorAlertsFromEnv } from '../../src/alerts/fromEnv.js'
import { ConfigError } from '../../src/configError.js'
import { ledgerOutboxFromEnv } from '../../src/ledger/fromEnv.js'
import type { RunningRelay } from '../../src/relay.js'
import { createStoresFromEnv } from '../../src/store/factory.js'
import { webhooksFromEnv } from '../../src/webhooks/fromEnv.js'
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from '../../src/webhooks/signature.js'
import {
  CHAIN_ID,
  claimData,
  eventually,
  ORIGIN,
  postRequest,
  relayer,
  SITE_KEY,
  setupChain,
  signedBody,
  startTestRelay,
  type TestChain,
  waitForFinal,
} from '../helpers.js'
import { fundedUsers, getJson, post, relayerKeys, transferBody, transferSelector } from '../support/load.js'
import { type RedisInstance, startRedis } from '../support/redis.js'
import { type RelayProcess, relayProcess } from '../support/relayProcess.js'
import { startUpstashBridge, type UpstashBridge } from '../support/upstashBridge.js'

const SECRET = 'whsec_upstash_test_only_0123'
const CONFIRMED_STAGES = ['received', 'simulated', 'admitted', 'batched', 'submitted', 'confirmed', 'settled']

let redis: RedisInstance
let bridge: UpstashBridge
let raw: IORedis
let dir: string
let hooksFile: string
let receiver: Server
let receiverUrl: string
const received: { body: string; signed: boolean }[] = []

const upstashEnv = (prefix: string, more: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  TOKENTAGS_STORE: 'upstash',
  UPSTASH_REDIS_REST_URL: bridge.url,
  UPSTASH_REDIS_REST_TOKEN: bridge.token,
  TOKENTAGS_STORE_PREFIX: prefix,
  ...more,
})

beforeAll(async () => {
  redis = await startRedis()
  bridge = await startUpstashBridge(redis.url)
  raw = new IORedis(redis.url)
  receiver = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => {
      body += c
    })
    req.on('end', () => {
      const header = req.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined
      received.push({ body, signed: verifyWebhookSignature({ header, body, secret: SECRET }).ok })
      res.writeHead(200).end()
    })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
  dir = mkdtempSync(join(tmpdir(), 'tt-upstash-ledger-'))
  hooksFile = join(dir, 'webhooks.json')
  writeFileSync(hooksFile, JSON.stringify({ [SITE_KEY]: { url: receiverUrl, secret: SECRET } }))
}, 60_000)

afterAll(async () => {
  await new Promise((r) => receiver?.close(r))
  if (dir) rmSync(dir, { recursive: true, force: true })
  raw?.disconnect()
  await bridge?.close()
  await redis?.stop()
})

describe('the bin factories on TOKENTAGS_STORE=upstash', () => {
  it('give a ledger outbox in Upstash (no longer refused)', async () => {
    const outbox = await ledgerOutboxFromEnv(upstashEnv('f1:'))
    try {
      expect(outbox.kind).toBe('redis')
      await outbox.push([{ requestId: 'r1', stage: 'received', at: 1, kind: 'evm' }])
      // In the backend, not in this process: another instance (or this one restarted) finds it.
      expect(await raw.llen('f1:{ledger}:outbox')).toBe(1)
      expect(await outbox.size()).toBe(1)
    } finally {
      await outbox.close()
    }
    await expect(
      ledgerOutboxFromEnv({ TOKENTAGS_STORE: 'upstash', UPSTASH_REDIS_REST_URL: bridge.url }),
    ).rejects.toThrow(
      new ConfigError('TOKENTAGS_STORE=upstash needs UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN'),
    )
  })

  it("give the sites' webhooks and the operator alerts durable queues in Upstash", async () => {
    const hooks = await webhooksFromEnv(upstashEnv('f2:', { TOKENTAGS_WEBHOOKS_FILE: hooksFile }), [SITE_KEY])
    const alerts = await operatorAlertsFromEnv(
      upstashEnv('f2:', { TOKENTAGS_OPERATOR_WEBHOOK_URL: receiverUrl, TOKENTAGS_OPERATOR_WEBHOOK_SECRET: SECRET }),
    )
    try {
      expect(hooks?.sites).toEqual({ [SITE_KEY]: { url: receiverUrl, secret: SECRET } })
      expect(alerts?.operator).toEqual({ url: receiverUrl, secret: SECRET })
      const delivery = { id: 'final:r1', site: SITE_KEY, body: '{}', attempts: 0, dueAt: 0 }
      expect(await hooks?.queue?.push(delivery)).toBe(true)
      expect(await alerts?.queue?.push({ ...delivery, site: '@operator' })).toBe(true)
      expect(await raw.zcard('f2:{webhooks}:due')).toBe(1)
      expect(await raw.zcard('f2:operator:{webhooks}:due')).toBe(1)
    } finally {
      await hooks?.queue?.close?.()
      await alerts?.queue?.close?.()
    }
  })
})

describe('a relay on the upstash store with a ledger', () => {
  let chain: TestChain
  let pg: PostgresServer
  let ledger: Ledger
  let relay: RunningRelay

  beforeAll(async () => {
    ;[chain, pg] = await Promise.all([setupChain(), startPostgres()])
    ledger = await createPostgresLedger({ url: pg.url })
    const env = upstashEnv('relay:', {
      TOKENTAGS_WEBHOOKS_FILE: hooksFile,
      TOKENTAGS_OPERATOR_WEBHOOK_URL: receiverUrl,
      TOKENTAGS_OPERATOR_WEBHOOK_SECRET: SECRET,
    })
    const webhooks = await webhooksFromEnv(env, [SITE_KEY])
    if (!webhooks) throw new TypeError('no webhooks from TOKENTAGS_WEBHOOKS_FILE')
    relay = await startTestRelay(chain, {
      stores: await createStoresFromEnv(env),
      ledger: {
        ledger,
        outbox: await ledgerOutboxFromEnv(env),
        drain: { idleMs: 100, minBackoffMs: 100, maxBackoffMs: 400 },
        webhooks: { ...webhooks, delivery: { minBackoffMs: 100, pollMs: 50 } },
      },
      // Every relayer key is below this: one low-balance alert, through the Upstash queue.
      alerts: { ...(await operatorAlertsFromEnv(env)), lowBalanceWei: 10n ** 30n, checkIntervalMs: 200 },
      limits: { perIp: false, inFlightPerIp: false },
      batch: { maxSize: 10, maxWaitMs: 100, pollIntervalMs: 100 },
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
    await pg?.destroy()
    await chain?.anvil.stop()
  })

  it("records a confirmed claim's stages in PostgreSQL, sends its webhook and the low-balance alert", async () => {
    const account = privateKeyToAccount(generatePrivateKey())
    const schedule = await chain.createVestedSchedule(account.address, 1000n)
    const body = await signedBody({
      account,
      forwarder: chain.forwarder,
      to: chain.vestingVault,
      data: claimData(schedule),
      nonce: 0n,
    })
    const posted = await postRequest(relay, body)
    expect(posted.status).toBe(202)
    const id = posted.json.id as string
    const final = await waitForFinal(relay, id)
    expect(final.status).toBe('confirmed')

    const timeline = await eventually(
      async () => {
        const t = await ledger.timeline(id)
        return t && t.stages.length >= CONFIRMED_STAGES.length ? t : undefined
      },
      30_000,
      "the claim's stages in the ledger",
    )
    expect(timeline.stages.map((s) => s.stage)).toEqual(CONFIRMED_STAGES)
    expect(timeline.request).toMatchObject({
      id,
      kind: 'evm',
      site: SITE_KEY,
      chain: String(CHAIN_ID),
      sender: account.address.toLowerCase(),
      status: 'confirmed',
      txHash: final.txHash,
    })
    // Written, then removed from the Upstash list (not held in this process meanwhile).
    await eventually(async () => (await raw.llen('relay:{ledger}:outbox')) === 0, 10_000, 'an empty outbox')

    const hook = await eventually(
      async () => received.find((r) => r.body.includes(`"request.final"`) && r.body.includes(id)),
      20_000,
      "the site's webhook",
    )
    expect(hook.signed).toBe(true)
    expect(JSON.parse(hook.body)).toMatchObject({
      type: 'request.final',
      site: SITE_KEY,
      request: { id, status: 'confirmed' },
    })
    const alert = await eventually(
      async () => received.find((r) => r.body.includes('"balance.low"')),
      20_000,
      'the low-balance alert',
    )
    expect(alert.signed).toBe(true)
    expect(JSON.parse(alert.body)).toMatchObject({ type: 'balance.low', kind: 'evm', role: 'relayer' })
    expect(JSON.parse(alert.body).account.toLowerCase()).toBe(relayer.address.toLowerCase())
    // Both queues drained from Upstash once delivered.
    await eventually(
      async () => (await raw.zcard('relay:{webhooks}:due')) + (await raw.zcard('relay:operator:{webhooks}:due')) === 0,
      10_000,
      'empty webhook queues',
    )
  }, 120_000)
})

describe('the tokentags-relay bin on TOKENTAGS_STORE=upstash', () => {
  let chain: TestChain
  let pg: PostgresServer
  let ledger: Ledger
  let relay: RelayProcess

  beforeAll(async () => {
    ;[chain, pg] = await Promise.all([setupChain(), startPostgres()])
    ledger = await createPostgresLedger({ url: pg.url, connectTimeoutMs: 1000 })
    relay = relayProcess({
      port: await freePort(),
      name: 'upstash-ledger-bin',
      env: {
        TOKENTAGS_STORE: 'upstash',
        UPSTASH_REDIS_REST_URL: bridge.url,
        UPSTASH_REDIS_REST_TOKEN: bridge.token,
        TOKENTAGS_STORE_PREFIX: 'bin:',
        TOKENTAGS_DATABASE_URL: pg.url,
        TOKENTAGS_WEBHOOKS_FILE: hooksFile,
      },
      config: {
        chains: [
          {
            chainId: CHAIN_ID,
            rpcUrl: chain.anvil.rpcUrl,
            forwarder: chain.forwarder,
            relayerPrivateKeys: relayerKeys(1),
          },
        ],
        sites: {
          [SITE_KEY]: {
            origins: [ORIGIN],
            targets: [{ address: chain.token, selectors: [transferSelector] }],
            dailyBudgetWei: 'unlimited',
          },
        },
        batch: { maxSize: 5, maxWaitMs: 50, pollIntervalMs: 50 },
        limits: { perIp: false, perSender: false },
      },
    })
    await relay.start()
  }, 120_000)

  afterAll(async () => {
    await relay?.stop()
    await ledger?.close()
    await pg?.destroy()
    await chain?.anvil.stop()
  })

  it('killed with SIGKILL while PostgreSQL is down, loses no stage: each arrives once after both return', async () => {
    const users = await fundedUsers(chain, 4, 10n)
    await pg.stop()
    const ids: string[] = []
    try {
      for (const [u, user] of users.entries()) {
        for (let nonce = 0n; nonce < 3n; nonce++) {
          const { status, json } = await post(relay.url, await transferBody(chain, user, nonce), SITE_KEY, ORIGIN)
          expect(status, `user ${u} nonce ${nonce}`).toBe(202)
          ids.push(json.id as string)
        }
      }
      await eventually(
        async () => {
          const views = await Promise.all(ids.map((id) => getJson(`${relay.url}/v1/requests/${id}`)))
          return views.every((v) => v?.status === 'confirmed')
        },
        60_000,
        'every request confirmed',
      )
      // Every stage of every request, and the settlement, appended before the crash.
      await eventually(
        async () => (await raw.llen('bin:{ledger}:outbox')) >= ids.length * CONFIRMED_STAGES.length,
        20_000,
        'the stages in the Upstash outbox',
      )
      await relay.kill()
    } finally {
      await pg.start()
    }
    await relay.start()
    for (const id of ids) {
      const timeline = await eventually(
        async () => {
          const t = await ledger.timeline(id)
          return t?.request.status === 'confirmed' && t.stages.some((s) => s.stage === 'settled') ? t : undefined
        },
        60_000,
        `the stages of ${id} in PostgreSQL`,
      )
      // Once each: the ledger keeps one row per stage, and nothing was lost with the process.
      expect(timeline.stages.map((s) => s.stage)).toEqual(CONFIRMED_STAGES)
    }
    await eventually(async () => (await raw.llen('bin:{ledger}:outbox')) === 0, 20_000, 'an empty outbox')
    // The sites' webhook queue was in Upstash too: each final status reached the receiver, signed.
    await eventually(
      async () => ids.every((id) => received.some((r) => r.signed && r.body.includes(id))),
      30_000,
      'a signed webhook for every request',
    )
  }, 180_000)
})

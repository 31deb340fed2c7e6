// Per-site webhooks (issue 16): a real local HTTP receiver checks each delivery with the documented
// check (verifyWebhookSignature); a 500 is retried with backoff from the queue; a captured delivery
// replayed after the tolerance is refused; budget thresholds are sent once per site and day.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryWebhookQueue, WebhookDispatcher } from '../../src/webhooks/dispatcher.js'
import { createRedisWebhookQueue } from '../../src/webhooks/redisQueue.js'
import {
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TOLERANCE_SECONDS,
  webhookSignature,
} from '../../src/webhooks/signature.js'
import { startRedis } from '../support/redis.js'

const SECRET = 'whsec_test_only_0123456789'
interface Received {
  header: string | undefined
  delivery: string | undefined
  body: string
  verdict: ReturnType<typeof verifyWebhookSignature>
  answered: number
}

let server: Server
let url: string
const received: Received[] = []
/** How many of the next deliveries the receiver answers 500. */
let failNext = 0

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => {
      body += chunk
    })
    req.on('end', () => {
      const header = req.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined
      const verdict = verifyWebhookSignature({ header, body, secret: SECRET })
      const answered = !verdict.ok ? 400 : failNext-- > 0 ? 500 : 200
      received.push({
        header,
        delivery: req.headers['x-tokentags-delivery'] as string | undefined,
        body,
        verdict,
        answered,
      })
      res.writeHead(answered).end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`
})
afterAll(async () => {
  await new Promise((r) => server.close(r))
})

const logger = pino({ level: 'silent' })

describe('per-site webhooks', () => {
  it('signs a final status, retries it after a 500 with backoff, and a replay of it is refused', async () => {
    received.length = 0
    failNext = 1
    // Whole seconds near the real time: the live receiver checks `t` against its own clock.
    let clock = Math.floor(Date.now() / 1000) * 1000
    const queue = createMemoryWebhookQueue()
    const dispatcher = new WebhookDispatcher({
      queue,
      sites: new Map([['pk_shop', { url, secret: SECRET }]]),
      logger,
      now: () => clock,
      minBackoffMs: 2000,
    })
    // Not a final stage, and a site without a webhook: nothing queued.
    await dispatcher.onStages([
      { requestId: 'r1', stage: 'submitted', at: clock, kind: 'evm', site: 'pk_shop' },
      { requestId: 'r2', stage: 'confirmed', at: clock, kind: 'evm', site: 'pk_other' },
      {
        requestId: 'r1',
        stage: 'confirmed',
        at: clock,
        kind: 'evm',
        site: 'pk_shop',
        chain: '8453',
        txHash: '0xabc',
        fee: '42',
      },
    ])
    expect(await queue.size()).toBe(1)

    // The check at a chosen time (the dispatcher signs with its own clock).
    const verifyAt = (r: Received, nowSeconds: number) =>
      verifyWebhookSignature({ header: r.header, body: r.body, secret: SECRET, nowSeconds })

    expect(await dispatcher.deliverOnce()).toBe(0)
    expect(received).toHaveLength(1)
    const first = received[0] as Received
    expect(verifyAt(first, clock / 1000)).toEqual({ ok: true, t: clock / 1000 })
    expect(first.answered).toBe(500)
    // Not due before the backoff.
    clock += 1999
    expect(await dispatcher.deliverOnce()).toBe(0)
    expect(received).toHaveLength(1)
    clock += 1
    expect(await dispatcher.deliverOnce()).toBe(1)
    expect(received).toHaveLength(2)
    const second = received[1] as Received
    expect(second.delivery).toBe('final:r1')
    expect(second.body).toBe(first.body)
    expect(verifyAt(second, clock / 1000)).toEqual({ ok: true, t: clock / 1000 })
    expect(JSON.parse(second.body)).toMatchObject({
      type: 'request.final',
      site: 'pk_shop',
      request: { id: 'r1', status: 'confirmed', chain: '8453', txHash: '0xabc', fee: '42' },
    })
    expect(await queue.size()).toBe(0)
    // The same final status again (a redelivered stage): queued once only.
    await dispatcher.onStages([{ requestId: 'r1', stage: 'confirmed', at: clock, kind: 'evm', site: 'pk_shop' }])
    expect(await queue.size()).toBe(0)

    // A captured delivery replayed later than the tolerance: refused as STALE; within it, accepted.
    const t = clock / 1000
    expect(verifyAt(second, t + WEBHOOK_TOLERANCE_SECONDS)).toMatchObject({ ok: true })
    expect(verifyAt(second, t + WEBHOOK_TOLERANCE_SECONDS + 1)).toEqual({ ok: false, reason: 'STALE' })
    // A body changed in transit, or another secret: MISMATCH; a bad header: MALFORMED.
    expect(
      verifyWebhookSignature({
        header: second.header,
        body: second.body.replace('42', '43'),
        secret: SECRET,
        nowSeconds: t,
      }),
    ).toEqual({ ok: false, reason: 'MISMATCH' })
    expect(
      verifyWebhookSignature({ header: second.header, body: second.body, secret: 'other', nowSeconds: t }),
    ).toEqual({
      ok: false,
      reason: 'MISMATCH',
    })
    expect(verifyWebhookSignature({ header: 't=1', body: second.body, secret: SECRET })).toEqual({
      ok: false,
      reason: 'MALFORMED',
    })
    // Against the live receiver: the old signature sent now is refused by its check.
    const replay = await fetch(url, {
      method: 'POST',
      headers: { [WEBHOOK_SIGNATURE_HEADER]: webhookSignature(SECRET, second.body, Date.now() / 1000 - 3600) },
      body: second.body,
    })
    expect(replay.status).toBe(400)
    expect(received.at(-1)?.verdict).toEqual({ ok: false, reason: 'STALE' })
  })

  it('sends budget thresholds 50, 80 and 100 % once per site and day, and the loop never blocks the caller', async () => {
    received.length = 0
    failNext = 0
    const queue = createMemoryWebhookQueue()
    const dispatcher = new WebhookDispatcher({
      queue,
      sites: new Map([['pk_shop', { url, secret: SECRET }]]),
      logger,
      pollMs: 20,
    })
    dispatcher.start()
    const budget = 10n ** 18n
    await dispatcher.onBudget('pk_shop', '2026-12-06', budget / 2n - 1n, budget)
    await dispatcher.onBudget('pk_shop', '2026-12-06', budget / 2n, budget)
    await dispatcher.onBudget('pk_shop', '2026-12-06', (budget * 85n) / 100n, budget)
    await dispatcher.onBudget('pk_shop', '2026-12-06', (budget * 90n) / 100n, budget)
    await dispatcher.onBudget('pk_shop', '2026-12-06', budget, budget)
    await dispatcher.onBudget('pk_shop', '2026-12-07', budget / 2n, budget)
    const until = Date.now() + 10_000
    while ((await queue.size()) > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20))
    await dispatcher.stop()
    expect(await queue.size()).toBe(0)
    const sent = received.map((r) => JSON.parse(r.body) as { type: string; day: string; percent: number })
    expect(sent.map((s) => `${s.day}:${s.percent}`).sort()).toEqual([
      '2026-12-06:100',
      '2026-12-06:50',
      '2026-12-06:80',
      '2026-12-07:50',
    ])
    expect(received.every((r) => r.verdict.ok)).toBe(true)
  })

  it('on Redis: a queued delivery outlives its dispatcher, is leased from a second one, and retried after a 500', async () => {
    received.length = 0
    failNext = 1
    const redis = await startRedis()
    try {
      let clock = Math.floor(Date.now() / 1000) * 1000
      const sites = new Map([['pk_shop', { url, secret: SECRET }]])
      const queueA = await createRedisWebhookQueue({ url: redis.url, prefix: 'wh:', leaseMs: 10_000 })
      const a = new WebhookDispatcher({ queue: queueA, sites, logger, now: () => clock, minBackoffMs: 2000 })
      const final = {
        requestId: 'r9',
        stage: 'failed' as const,
        at: clock,
        kind: 'evm' as const,
        site: 'pk_shop',
        code: 'REVERTED',
      }
      await a.onStages([final])
      await a.onStages([final])
      expect(await queueA.size()).toBe(1)
      // "Restart": another process's queue on the same Redis still holds it.
      await queueA.close?.()
      const queueB = await createRedisWebhookQueue({ url: redis.url, prefix: 'wh:', leaseMs: 10_000 })
      const queueC = await createRedisWebhookQueue({ url: redis.url, prefix: 'wh:', leaseMs: 10_000 })
      try {
        const b = new WebhookDispatcher({ queue: queueB, sites, logger, now: () => clock, minBackoffMs: 2000 })
        // Taken by C (leased): B finds nothing due meanwhile, so the attempt is not sent twice.
        expect(await queueC.due(clock, 10)).toHaveLength(1)
        expect(await b.deliverOnce()).toBe(0)
        expect(received).toHaveLength(0)
        clock += 10_000
        expect(await b.deliverOnce()).toBe(0)
        expect(received.map((r) => r.answered)).toEqual([500])
        clock += 1999
        expect(await b.deliverOnce()).toBe(0)
        expect(received).toHaveLength(1)
        clock += 1
        expect(await b.deliverOnce()).toBe(1)
        expect(received.map((r) => r.answered)).toEqual([500, 200])
        expect(received.every((r) => r.verdict.ok && r.delivery === 'final:r9' && r.body === received[0]?.body)).toBe(
          true,
        )
        expect(JSON.parse(received[1]?.body ?? '{}')).toMatchObject({
          request: { id: 'r9', status: 'failed', code: 'REVERTED' },
        })
        expect(await queueB.size()).toBe(0)
        // Pushed again after delivery (a redelivered stage): remembered, not sent twice.
        await b.onStages([final])
        expect(await queueB.size()).toBe(0)
      } finally {
        await queueB.close?.()
        await queueC.close?.()
      }
    } finally {
      await redis.stop()
    }
  })
})

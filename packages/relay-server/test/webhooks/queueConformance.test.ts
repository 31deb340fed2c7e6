// The webhook queue's contract on every backend: memory, a real Redis, a real Redis Cluster, and
// Upstash. Upstash's stand-in is test/support/upstashBridge.ts: Upstash's REST protocol in front of a
// real redis-server, driven by the real `@upstash/redis` client (no Upstash service can be reached
// here). Pushes are deduplicated by id, also after delivery; deliveries come due in order; a retry
// keeps the signed bytes; done removes; a shared queue leases what it hands out.
import { afterAll, describe, expect, it } from 'vitest'
import { createMemoryWebhookQueue, type WebhookDelivery, type WebhookQueue } from '../../src/webhooks/dispatcher.js'
import { createRedisWebhookQueue } from '../../src/webhooks/redisQueue.js'
import { useRedisLikeBackends } from '../support/redisLike.js'

const backends = useRedisLikeBackends()
const queues: WebhookQueue[] = []
afterAll(async () => {
  await Promise.all(queues.map((q) => q.close?.()))
})

const LEASE_MS = 10_000
const T0 = 1_765_000_000_000
let n = 0
const delivery = (dueAt: number, body = JSON.stringify({ n })): WebhookDelivery => ({
  id: `final:r${n++}`,
  site: 'pk_shop',
  body,
  attempts: 0,
  dueAt,
})

const shared = backends.targets.map(
  ([kind, target]) =>
    [
      kind,
      async () => {
        const queue = await createRedisWebhookQueue({ ...(await target()), prefix: `q${n++}:`, leaseMs: LEASE_MS })
        queues.push(queue)
        return queue
      },
    ] as const,
)
const all: Array<readonly [string, () => Promise<WebhookQueue>]> = [
  ['memory', async () => createMemoryWebhookQueue()],
  ...shared,
]

describe.each(all)('webhook queue: %s', (kind, create) => {
  it('takes each id once, also after it was delivered, and counts what waits', async () => {
    const queue = await create()
    const d = delivery(T0)
    expect(await queue.push(d)).toBe(true)
    expect(await queue.push({ ...d, body: 'another body' })).toBe(false)
    expect(await queue.size()).toBe(1)
    expect((await queue.due(T0, 10)).map((x) => x.body)).toEqual([d.body])
    await queue.done(d.id)
    expect(await queue.size()).toBe(0)
    // A stage delivered again (an outbox redelivery) must not send the webhook twice.
    expect(await queue.push(d)).toBe(false)
    expect(await queue.size()).toBe(0)
    await queue.done('final:unknown')
    expect(await queue.size()).toBe(0)
  })

  it('hands out due deliveries only, earliest due first, at most max', async () => {
    const queue = await create()
    const later = delivery(T0 + 3000)
    const first = delivery(T0 + 1000)
    const second = delivery(T0 + 2000)
    for (const d of [later, first, second]) expect(await queue.push(d)).toBe(true)
    expect(await queue.due(T0 + 999, 10)).toEqual([])
    expect(await queue.due(T0 + 2000, 1)).toEqual([first])
    const rest = await queue.due(T0 + 2000, 10)
    // A shared queue leased `first` with the previous call; memory has one dispatcher and no lease.
    expect(rest.map((d) => d.id)).toEqual(kind === 'memory' ? [first.id, second.id] : [second.id])
    expect(await queue.size()).toBe(3)
  })

  it('moves a retried delivery to its new due time with its attempts, keeping the exact body it signs', async () => {
    const queue = await create()
    // Slashes, quotes, non-ASCII: the bytes signed on the first attempt are the bytes of every retry.
    const body = JSON.stringify({
      url: 'https://shop.example/hook',
      note: 'café "東京" \\ ✓',
      fee: '123456789012345678901',
    })
    const d = delivery(T0, body)
    await queue.push(d)
    expect(await queue.due(T0, 10)).toEqual([d])
    await queue.retry(d.id, T0 + 60_000 + 1, 3)
    expect(await queue.due(T0 + 60_000, 10)).toEqual([])
    expect(await queue.due(T0 + 60_001, 10)).toEqual([{ ...d, attempts: 3, dueAt: T0 + 60_001 }])
    await queue.retry('final:unknown', T0, 1)
    expect(await queue.size()).toBe(1)
  })
})

describe.each(shared)('webhook queue: %s, shared by instances', (_kind, create) => {
  it('leases what it hands out: not due again, for any instance, until the lease ends', async () => {
    const a = await create()
    const d = delivery(T0)
    await a.push(d)
    expect(await a.due(T0, 10)).toEqual([d])
    // Taken (being sent): not due again for anyone until the lease ends.
    expect(await a.due(T0 + LEASE_MS - 1, 10)).toEqual([])
    expect(await a.due(T0 + LEASE_MS, 10)).toEqual([d])
    await a.done(d.id)
    expect(await a.due(T0 + 10 * LEASE_MS, 10)).toEqual([])
  })
})

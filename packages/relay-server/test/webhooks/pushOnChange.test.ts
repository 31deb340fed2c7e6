// WebhookQueue.pushOnChange, the step that makes operator alerts one per crossing: on the memory queue,
// a real Redis, a real Redis Cluster and Upstash (its stand-in: test/support/upstashBridge.ts, Upstash's
// REST protocol in front of a real redis-server), a state change queues one delivery, a repeated state
// none, a reading older than the stored one nothing, and many instances seeing one crossing at once queue it once.
import { afterAll, describe, expect, it } from 'vitest'
import { createMemoryWebhookQueue, type WebhookDelivery, type WebhookQueue } from '../../src/webhooks/dispatcher.js'
import { createRedisWebhookQueue } from '../../src/webhooks/redisQueue.js'
import { useRedisLikeBackends } from '../support/redisLike.js'

const backends = useRedisLikeBackends()
const queues: WebhookQueue[] = []
afterAll(async () => {
  await Promise.all(queues.map((q) => q.close?.()))
})

let n = 0
const delivery = (state: string): WebhookDelivery => ({
  id: `balance.${state}:evm:1:0xabc:${n++}`,
  site: '@operator',
  body: JSON.stringify({ state }),
  attempts: 0,
  dueAt: 0,
})

const kinds: Array<readonly [string, () => Promise<WebhookQueue>]> = [
  ['memory', async () => createMemoryWebhookQueue()],
  ...backends.targets.map(
    ([kind, target]) =>
      [
        kind,
        async () => {
          const q = await createRedisWebhookQueue({ ...(await target()), prefix: `pushOnChange${n++}:` })
          queues.push(q)
          return q
        },
      ] as const,
  ),
]

describe.each(kinds)('pushOnChange on the %s queue', (_kind, create) => {
  it('queues a delivery on each change of state, none on a repeat or an older reading', async () => {
    const queue = await create()
    const see = (state: 'low' | 'ok', height: number) =>
      queue.pushOnChange?.(delivery(state), { key: 'balance:evm:1:0xabc', state, height, initial: 'ok' })
    expect(await see('ok', 1)).toBe(false) // first reading at the initial state: nothing to say
    expect(await see('low', 5)).toBe(true)
    expect(await see('low', 6)).toBe(false)
    expect(await see('ok', 4)).toBe(false) // read before the drain by a slower instance
    expect(await see('low', 6)).toBe(false) // so the state is still low
    expect(await see('ok', 7)).toBe(true)
    expect(await see('ok', 7)).toBe(false)
    expect(await queue.size()).toBe(2)
    const due = await queue.due(Date.now(), 10)
    expect(due.map((d) => JSON.parse(d.body).state)).toEqual(['low', 'ok'])
  })

  it('queues one delivery when many readers see one crossing at once', async () => {
    const queue = await create()
    const key = { key: 'balance:solana:localnet:Fee', state: 'low', height: 10, initial: 'ok' }
    const pushed = await Promise.all(Array.from({ length: 20 }, () => queue.pushOnChange?.(delivery('low'), key)))
    expect(pushed.filter(Boolean)).toHaveLength(1)
    expect(await queue.size()).toBe(1)
  })
})

it('keeps the state per key: two accounts cross independently', async () => {
  const queue = createMemoryWebhookQueue()
  const a = await queue.pushOnChange?.(delivery('low'), { key: 'a', state: 'low', height: 1, initial: 'ok' })
  const b = await queue.pushOnChange?.(delivery('low'), { key: 'b', state: 'low', height: 1, initial: 'ok' })
  expect([a, b]).toEqual([true, true])
})

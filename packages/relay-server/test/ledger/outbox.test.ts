// The ledger outbox in memory and on every Redis-like backend (a real Redis, a real Redis Cluster, and
// Upstash through its REST protocol): first in, first out; one drainer at a time; an ack only by the
// lock's holder; an unreadable entry never blocks the head; the observed store passes through what it
// does not observe. Upstash's stand-in is test/support/upstashBridge.ts: Upstash's REST protocol in
// front of a real redis-server, driven by the real `@upstash/redis` client (no Upstash service here).
import type { Ledger, StageEvent } from '@tokentags/ledger'
import { Cluster, Redis as IORedis } from 'ioredis'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/configError.js'
import { observeStores } from '../../src/ledger/observe.js'
import { createMemoryOutbox, createRedisOutbox, type LedgerOutbox } from '../../src/ledger/outbox.js'
import { attachLedger } from '../../src/ledger/setup.js'
import { createMemoryStores } from '../../src/store/memory.js'
import { createRedisStore } from '../../src/store/redis.js'
import { evmStoresOf } from '../../src/store/types.js'
import { useRedisLikeBackends } from '../support/redisLike.js'

const backends = useRedisLikeBackends()
/** Plain clients on the same servers: they write what no outbox would, to see how one copes. */
let rawRedis: IORedis
let rawCluster: Cluster
beforeAll(() => {
  rawRedis = new IORedis(backends.redis.url)
  rawCluster = new Cluster(backends.cluster.nodes.map((n) => ({ host: '127.0.0.1', port: Number(n.split(':')[1]) })))
})
afterAll(() => {
  rawRedis?.disconnect()
  rawCluster?.disconnect()
})

const event = (i: number): StageEvent => ({ requestId: `r${i}`, stage: 'received', at: 1000 + i, kind: 'evm' })
let prefixes = 0

const outboxes: Array<readonly [string, () => Promise<LedgerOutbox>]> = [
  ['memory', async () => createMemoryOutbox()],
  ...backends.targets.map(
    ([kind, target]) =>
      [kind, async () => createRedisOutbox({ ...(await target()), prefix: `t${++prefixes}:` })] as const,
  ),
]

describe.each(outboxes)('ledger outbox: %s', (_name, open) => {
  it('keeps every field of an event as it was pushed, non-ASCII text and large batches included', async () => {
    const outbox = await open()
    try {
      const full: StageEvent = {
        requestId: 'r-full',
        stage: 'refused',
        seq: 2,
        at: 1_765_000_000_123,
        kind: 'solana',
        site: 'pk_café_東京',
        chain: 'solana:devnet',
        code: 'POLICY_✗',
        lamports: '5000',
      }
      await outbox.push([full])
      expect(await outbox.take(1, 'a', 10_000)).toEqual([full])
      expect(await outbox.ack(1, 'a')).toBe(true)
      // More events in one push than Lua lets a single call take as arguments (about 8,000).
      const many = Array.from({ length: 9000 }, (_, i) => event(i))
      expect(await outbox.push(many)).toBe(9000)
      expect(await outbox.size()).toBe(9000)
      const head = await outbox.take(3, 'a', 10_000)
      expect(head).toEqual([event(0), event(1), event(2)])
    } finally {
      await outbox.close()
    }
  })

  it('gives the oldest events first and keeps them until they are acknowledged', async () => {
    const outbox = await open()
    try {
      await outbox.push([event(1), event(2)])
      await outbox.push([event(3)])
      expect(await outbox.take(2, 'a', 10_000)).toEqual([event(1), event(2)])
      // Taken but not acknowledged: still there (a drainer that dies leaves nothing lost).
      expect(await outbox.take(10, 'a', 10_000)).toEqual([event(1), event(2), event(3)])
      expect(await outbox.ack(2, 'a')).toBe(true)
      expect(await outbox.size()).toBe(1)
      expect(await outbox.take(10, 'a', 10_000)).toEqual([event(3)])
    } finally {
      await outbox.close()
    }
  })

  it('lets one drainer at a time take and acknowledge, until its lease ends', async () => {
    const outbox = await open()
    try {
      await outbox.push([event(1), event(2)])
      expect(await outbox.take(10, 'a', 300)).toHaveLength(2)
      expect(await outbox.take(10, 'b', 300)).toEqual([])
      expect(await outbox.ack(2, 'b')).toBe(false)
      expect(await outbox.size()).toBe(2)
      await new Promise((r) => setTimeout(r, 400))
      expect(await outbox.take(10, 'b', 300)).toHaveLength(2)
      // The first holder's lease ended: its late ack must not remove what b is writing.
      expect(await outbox.ack(2, 'a')).toBe(false)
      expect(await outbox.ack(1, 'b')).toBe(true)
      expect(await outbox.take(10, 'b', 300)).toEqual([event(2)])
    } finally {
      await outbox.close()
    }
  })
})

// An entry no outbox wrote (a hand edit, an older relay's format) in the middle of the list.
const rawBackends = backends.targets.map(
  ([kind, target]) =>
    [
      kind,
      async (): Promise<[LedgerOutbox, (key: string, value: string) => Promise<unknown>]> => {
        const prefix = `raw${++prefixes}:`
        // Upstash's stand-in stores in the plain Redis.
        const raw = kind === 'redis-cluster' ? rawCluster : rawRedis
        return [await createRedisOutbox({ ...(await target()), prefix }), (k, v) => raw.rpush(`${prefix}${k}`, v)]
      },
    ] as const,
)

describe.each(rawBackends)('ledger outbox: %s, an unreadable entry', (_name, open) => {
  it('is taken as an event the ledger refuses and acknowledged with the rest, never blocking the head', async () => {
    const [outbox, rawPush] = await open()
    try {
      await outbox.push([event(1)])
      await rawPush('{ledger}:outbox', 'not json {')
      await outbox.push([event(3)])
      const taken = await outbox.take(10, 'a', 10_000)
      expect(taken).toHaveLength(3)
      expect(taken[0]).toEqual(event(1))
      expect(taken[2]).toEqual(event(3))
      // A placeholder the ledger refuses (no id, no time): the drainer drops it and logs.
      expect(taken[1]).toMatchObject({ requestId: '' })
      expect(Number.isNaN(taken[1]?.at)).toBe(true)
      expect(await outbox.ack(3, 'a')).toBe(true)
      expect(await outbox.size()).toBe(0)
    } finally {
      await outbox.close()
    }
  })
})

describe('memory outbox bound', () => {
  it('keeps at most maxEvents, drops the newest beyond them, and takes room again once acknowledged', async () => {
    const outbox = createMemoryOutbox({ maxEvents: 3 })
    expect(await outbox.push([event(1), event(2)])).toBe(2)
    expect(await outbox.push([event(3), event(4), event(5)])).toBe(1)
    expect(await outbox.size()).toBe(3)
    // The waiting events are the oldest ones: a drainer's positional ack stays right.
    expect(await outbox.take(10, 'a', 10_000)).toEqual([event(1), event(2), event(3)])
    expect(await outbox.push([event(6)])).toBe(0)
    expect(await outbox.ack(2, 'a')).toBe(true)
    expect(await outbox.push([event(7), event(8), event(9)])).toBe(2)
    expect(await outbox.take(10, 'a', 10_000)).toEqual([event(3), event(7), event(8)])
  })
})

describe('observed relay stores', () => {
  it('passes through every member it does not observe, added ones included', async () => {
    const stores = createMemoryStores()
    const extended = Object.assign(stores.requests, { laterMethod: async (x: number) => x * 2, laterField: 'kept' })
    const seen: StageEvent[][] = []
    const observed = observeStores(stores, {
      sink: async (events) => {
        seen.push(events)
      },
    })
    const observedRequests = observed.requests as typeof extended
    expect(observed.kind).toBe('memory')
    expect(await observedRequests.laterMethod(21)).toBe(42)
    expect(observedRequests.laterField).toBe('kept')
    await observed.ping()
    expect(await observed.queue.queueStats(1)).toEqual(await stores.queue.queueStats(1))
    expect(seen).toEqual([])
    await observed.close()
  })
})

describe('ledger on a shared store', () => {
  it('refuses to keep stage events in one process when the store is shared', async () => {
    const store = await createRedisStore({ url: backends.redis.url, prefix: 'cfg:' })
    try {
      // The check comes before the ledger is used: no database is needed to see it refused.
      const attach = () =>
        attachLedger(
          { ledger: {} as Ledger },
          { stores: evmStoresOf(store), logger: pino({ level: 'silent' }), sites: new Map(), instanceId: 'i' },
        )
      expect(attach).toThrow(ConfigError)
      expect(attach).toThrow(/createRedisOutbox/)
    } finally {
      await store.close()
    }
  })
})

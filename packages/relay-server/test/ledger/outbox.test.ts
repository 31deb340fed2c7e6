// The ledger outbox on a real Redis and in memory: first in, first out; one drainer at a time; an ack
// only by the lock's holder; the observed store passes through what it does not observe.
import type { Ledger, StageEvent } from '@tokentags/ledger'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../../src/configError.js'
import { observeRelayStore } from '../../src/ledger/observe.js'
import { createMemoryOutbox, createRedisOutbox, type LedgerOutbox } from '../../src/ledger/outbox.js'
import { attachLedger } from '../../src/ledger/setup.js'
import { createMemoryStore } from '../../src/store/memory.js'
import { createRedisStore } from '../../src/store/redis.js'
import type { RelayStore } from '../../src/store/types.js'
import { type RedisInstance, startRedis } from '../support/redis.js'

let redis: RedisInstance
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis?.stop()
})

const event = (i: number): StageEvent => ({ requestId: `r${i}`, stage: 'received', at: 1000 + i, kind: 'evm' })
let prefixes = 0

const backends: [string, () => Promise<LedgerOutbox>][] = [
  ['memory', async () => createMemoryOutbox()],
  ['redis', () => createRedisOutbox({ url: redis.url, prefix: `t${++prefixes}:` })],
]

describe.each(backends)('ledger outbox: %s', (_name, open) => {
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

describe('observed relay store', () => {
  it('passes through every member it does not observe, added ones included', async () => {
    const store = createMemoryStore()
    const extended = Object.assign(store, { laterMethod: async (x: number) => x * 2, laterField: 'kept' })
    const seen: StageEvent[][] = []
    const observed = observeRelayStore(extended as RelayStore, {
      sink: async (events) => {
        seen.push(events)
      },
    }) as typeof extended
    expect(observed.kind).toBe('memory')
    expect(await observed.laterMethod(21)).toBe(42)
    expect(observed.laterField).toBe('kept')
    await observed.ping()
    expect(await observed.queueStats(1)).toEqual(await store.queueStats(1))
    expect(seen).toEqual([])
    await observed.close()
  })
})

describe('ledger on a shared store', () => {
  it('refuses to keep stage events in one process when the store is shared', async () => {
    const store = await createRedisStore({ url: redis.url, prefix: 'cfg:' })
    try {
      // The check comes before the ledger is used: no database is needed to see it refused.
      const attach = () =>
        attachLedger(
          { ledger: {} as Ledger },
          { store, logger: pino({ level: 'silent' }), sites: new Map(), instanceId: 'i' },
        )
      expect(attach).toThrow(ConfigError)
      expect(attach).toThrow(/createRedisOutbox/)
    } finally {
      await store.close()
    }
  })
})

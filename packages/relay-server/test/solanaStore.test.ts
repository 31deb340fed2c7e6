import { Redis } from 'ioredis'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  connectRedisDriver,
  createMemorySolanaStore,
  createMemoryStore,
  createMemoryStores,
  createRedisLikeSolanaStore,
  createRelay,
  createStores,
  DEFAULT_FINAL_RETENTION_MS,
  type RedisDriver,
  SIGNATURE_GUARD_MIN_MS,
  type SolanaStore,
  type Stores,
  subscriptionScope,
} from '../src/index.js'
import { describeSolanaStoreConformance, type SolanaBackendOptions } from './solanaStoreConformance.js'
import { type RedisInstance, startRedis } from './support/redis.js'
import { startUpstashBridge, type UpstashBridge } from './support/upstashBridge.js'

let redis: RedisInstance
let bridge: UpstashBridge
let run = 0
beforeAll(async () => {
  redis = await startRedis()
  bridge = await startUpstashBridge(redis.url)
})
afterAll(async () => {
  await bridge?.close()
  await redis?.stop()
})

/**
 * The Solana stores `createStores` builds, as relays get them: on memory, every handle a relay's view
 * (`subscriptionScope`) of one `Stores`; on Redis, one `Stores` (one connection) per handle.
 */
function backendOf(openStores: () => Promise<Stores>, shared: boolean) {
  return async () => {
    const opened: Stores[] = []
    const handles: SolanaStore[] = []
    let sharedStores: Stores | undefined
    return {
      async open() {
        let stores = sharedStores
        if (!stores) {
          stores = await openStores()
          opened.push(stores)
          if (shared) sharedStores = stores
        }
        const handle = shared ? subscriptionScope(stores.solana) : stores.solana
        handles.push(handle)
        return handle
      },
      async close() {
        for (const handle of handles) await handle.close()
        for (const stores of opened) await stores.close()
      },
      async pause(siteKey: string, paused: boolean) {
        // Any relay's stores on the backend: the flag is the site's, one for every instance.
        const stores = opened[0] ?? (await openStores())
        if (!opened.includes(stores)) opened.push(stores)
        await stores.admission.setSitePaused(siteKey, paused)
      },
      async siteState(siteKey: string, day: string) {
        const stores = opened[0] ?? (await openStores())
        if (!opened.includes(stores)) opened.push(stores)
        return stores.admission.siteState(siteKey, day)
      },
    }
  }
}

describeSolanaStoreConformance('memory', (options?: SolanaBackendOptions) =>
  backendOf(async () => createMemoryStores(options), true)(),
)

describeSolanaStoreConformance('redis', (options?: SolanaBackendOptions) => {
  const prefix = `s${++run}:`
  return backendOf(
    () => createStores({ kind: 'redis', url: redis.url, prefix, pollIntervalMs: 50, ...options }),
    false,
  )()
})

describeSolanaStoreConformance('upstash (REST bridge to redis-server)', (options?: SolanaBackendOptions) => {
  const prefix = `u${++run}:`
  return backendOf(
    () =>
      createStores({ kind: 'upstash', url: bridge.url, token: bridge.token, prefix, pollIntervalMs: 50, ...options }),
    false,
  )()
})

const limits = (day: string) => ({ day, siteLamportsPerDay: 10n ** 12n, walletRequestsPerDay: 10 })
const request = (n: number, extra: Record<string, unknown> = {}) => ({
  id: `sol_k${n}`,
  siteKey: 'pk_keys',
  wallet: 'Wkeys',
  signature: `SigKeys${n}`,
  transaction: 'AAAA',
  blockhash: 'EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG',
  lamports: 5_000n,
  ...extra,
})

describe('Redis Solana keys and their expiries', () => {
  it('counters expire after 3 days (the budget in the site slot); a pending record and its guard never; a final one after the retention', async () => {
    const prefix = `keys${++run}:`
    const store = await createStores({ kind: 'redis', url: redis.url, prefix, finalRetentionMs: 60_000 })
    const raw = new Redis(redis.url)
    try {
      const solana = store.solana
      expect(solana.kind).toBe('redis')
      const admitted = await solana.admit(request(1), limits('2030-01-01'))
      expect(admitted.ok).toBe(true)
      expect(await raw.smembers(`${prefix}{sol}:sol:pending`)).toEqual(['sol_k1'])
      expect(await raw.get(`${prefix}{sol}:sol:sig:SigKeys1`)).toBe('sol_k1')
      expect(await raw.get(`${prefix}{spk_keys}:sol:budget:2030-01-01`)).toBe('5000')
      expect(await raw.get(`${prefix}{sol}:sol:wallet:Wkeys:2030-01-01`)).toBe('1')
      for (const key of [`${prefix}{spk_keys}:sol:budget:2030-01-01`, `${prefix}{sol}:sol:wallet:Wkeys:2030-01-01`]) {
        const ttl = await raw.ttl(key)
        expect(ttl).toBeGreaterThan(259_000)
        expect(ttl).toBeLessThanOrEqual(259_200)
      }
      expect(await raw.pttl(`${prefix}{sol}:sol:req:sol_k1`)).toBe(-1)
      expect(await raw.pttl(`${prefix}{sol}:sol:sig:SigKeys1`)).toBe(-1)
      // A refused admission leaves no counter behind without an expiry.
      const refused = await solana.admit(request(2), { ...limits('2030-01-02'), siteLamportsPerDay: 1n })
      expect(refused).toEqual({ ok: false, reason: 'SITE_BUDGET' })
      expect(await raw.get(`${prefix}{spk_keys}:sol:budget:2030-01-02`)).toBe('0')
      expect(await raw.ttl(`${prefix}{spk_keys}:sol:budget:2030-01-02`)).toBeGreaterThan(0)
      expect(await raw.exists(`${prefix}{sol}:sol:sig:SigKeys2`, `${prefix}{sol}:sol:req:sol_k2`)).toBe(0)

      await solana.update('sol_k1', { status: 'submitted' })
      expect(await raw.pttl(`${prefix}{sol}:sol:req:sol_k1`)).toBe(-1)
      await solana.update('sol_k1', { status: 'confirmed', slot: 3n })
      const recordTtl = await raw.pttl(`${prefix}{sol}:sol:req:sol_k1`)
      const guardTtl = await raw.pttl(`${prefix}{sol}:sol:sig:SigKeys1`)
      expect(recordTtl).toBeGreaterThan(55_000)
      expect(recordTtl).toBeLessThanOrEqual(60_000)
      expect(guardTtl).toBeGreaterThan(SIGNATURE_GUARD_MIN_MS - 5_000)
      expect(guardTtl).toBeLessThanOrEqual(SIGNATURE_GUARD_MIN_MS)
      expect(await raw.smembers(`${prefix}{sol}:sol:pending`)).toEqual([])
      // Only `sol:` keys, the lamports budget in the site's slot: nothing the EVM scripts read.
      const solanaKey = (k: string) =>
        k.startsWith(`${prefix}{sol}:sol:`) || k.startsWith(`${prefix}{spk_keys}:sol:budget:`)
      expect((await raw.keys(`${prefix}*`)).every(solanaKey)).toBe(true)
    } finally {
      raw.disconnect()
      await store.close()
    }
  })

  it('a crash between the two steps leaves a reservation counted until its day ends, never a request over budget', async () => {
    const driver = await connectRedisDriver({ url: redis.url })
    // Armed, the process "dies" after the next script: the one after it never reaches Redis.
    let armed = false
    let ran = 0
    const crashing: RedisDriver = {
      async eval(script, keys, args, options) {
        if (armed && ran++ === 1) throw new Error('the relay died between two scripts')
        return driver.eval(script, keys, args, options)
      },
      close: () => driver.close(),
    }
    const crashAfterOne = () => {
      armed = true
      ran = 0
    }
    const store = createRedisLikeSolanaStore(crashing, 'redis', { prefix: `keys${++run}:` })
    try {
      const l = { ...limits('2030-02-01'), siteLamportsPerDay: 12_000n }
      crashAfterOne()
      await expect(store.admit(request(10, { lamports: 7_000n }), l)).rejects.toThrow(/died/)
      armed = false
      // Nothing stored, so nothing sent; the site's reservation stays counted for the day...
      expect(await store.get('sol_k10')).toBeUndefined()
      expect(await store.findBySignature('SigKeys10')).toBeUndefined()
      expect(await store.pending()).toEqual([])
      expect(await store.usage('pk_keys', 'Wkeys', l.day)).toEqual({ siteLamports: 7_000n, walletRequests: 0 })
      // ...so the site is under-served, never over budget.
      expect(await store.admit(request(11, { lamports: 6_000n }), l)).toEqual({ ok: false, reason: 'SITE_BUDGET' })
      expect((await store.admit(request(12, { lamports: 5_000n }), l)).ok).toBe(true)
      expect(await store.usage('pk_keys', 'Wkeys', l.day)).toEqual({ siteLamports: 12_000n, walletRequests: 1 })

      // A release dying between marking the record and giving the lamports back: they stay
      // counted, and a second release gives nothing (once marked, never twice).
      await store.update('sol_k12', { status: 'failed', error: { code: 'NOT_SUBMITTED', message: 'never sent' } })
      crashAfterOne()
      await expect(store.release('sol_k12')).rejects.toThrow(/died/)
      armed = false
      expect(await store.release('sol_k12')).toBe(false)
      expect((await store.usage('pk_keys', 'Wkeys', l.day)).siteLamports).toBe(12_000n)
    } finally {
      await store.close()
      await driver.close()
    }
  })

  it('with the default retention, the guard expires with the record (7 days)', async () => {
    const prefix = `keys${++run}:`
    const store = await createStores({ kind: 'redis', url: redis.url, prefix })
    const raw = new Redis(redis.url)
    try {
      const solana = store.solana
      await solana.admit(request(3), limits('2030-01-03'))
      await solana.update('sol_k3', { status: 'failed', error: { code: 'SEND_FAILED', message: 'x' } })
      // Absolute expiry times (PEXPIRETIME), read at once: the guard goes no sooner than the record.
      const [recordAt, guardAt] = (await Promise.all([
        raw.call('PEXPIRETIME', `${prefix}{sol}:sol:req:sol_k3`),
        raw.call('PEXPIRETIME', `${prefix}{sol}:sol:sig:SigKeys3`),
      ])) as [number, number]
      expect(recordAt - Date.now()).toBeGreaterThan(DEFAULT_FINAL_RETENTION_MS - 5_000)
      expect(guardAt).toBeGreaterThanOrEqual(recordAt)
    } finally {
      raw.disconnect()
      await store.close()
    }
  })

  it('closing the solana store leaves the other stores and their connection open', async () => {
    const store = await createStores({ kind: 'redis', url: redis.url, prefix: `keys${++run}:` })
    try {
      await store.solana.close()
      await store.ping()
      expect((await store.solana.admit(request(4), limits('2030-01-04'))).ok).toBe(true)
    } finally {
      await store.close()
    }
  })
})

describe('memory Solana store', () => {
  it('drops a final record after the retention time and its replay guard after SIGNATURE_GUARD_MIN_MS', async () => {
    let now = 1_700_000_000_000
    const store = createMemorySolanaStore({ now: () => now, finalRetentionMs: 1_000 })
    await store.admit(request(1), limits('2030-01-01'))
    await store.admit(request(2), limits('2030-01-01'))
    now += DEFAULT_FINAL_RETENTION_MS * 2
    await store.update('sol_k1', { status: 'confirmed', slot: 1n })
    now += 999
    expect((await store.get('sol_k1'))?.status).toBe('confirmed')
    now += 1
    expect(await store.get('sol_k1')).toBeUndefined()
    expect(await store.findBySignature('SigKeys1')).toBe('sol_k1')
    now += SIGNATURE_GUARD_MIN_MS - 1_001
    expect(await store.findBySignature('SigKeys1')).toBe('sol_k1')
    now += 1
    expect(await store.findBySignature('SigKeys1')).toBeUndefined()
    // The pending one is still there, and its guard too.
    expect((await store.get('sol_k2'))?.status).toBe('queued')
    expect(await store.findBySignature('SigKeys2')).toBe('sol_k2')
    expect((await store.pending()).map((r) => r.id)).toEqual(['sol_k2'])
  })

  it("relays' views of one memory Stores share one state", async () => {
    const store = createMemoryStores()
    const a = subscriptionScope(store.solana)
    const b = subscriptionScope(store.solana)
    expect((await a.admit(request(5), limits('2030-01-05'))).ok).toBe(true)
    expect((await b.get('sol_k5'))?.status).toBe('queued')
    expect(await b.admit(request(6, { signature: 'SigKeys5' }), limits('2030-01-05'))).toMatchObject({
      reason: 'DUPLICATE',
      existingId: 'sol_k5',
    })
    // Separate memory stores share nothing.
    expect(await createMemoryStores().solana.get('sol_k5')).toBeUndefined()
  })
})

describe('the relay wires its Solana runtime to its own store', () => {
  const base = {
    chains: [],
    sites: { pk_sol: { origins: ['http://shop.test'], targets: [] } },
    logger: pino({ level: 'silent' }),
  }
  const solana = { rpcUrl: 'http://127.0.0.1:9', feePayerSecretKey: Array.from({ length: 32 }, (_, i) => i + 1) }

  it('on redis and upstash by default, on memory without stores, and to solana.store when given', async () => {
    const prefix = `wire${++run}:`
    const onRedis = createRelay({
      ...base,
      solana,
      stores: await createStores({ kind: 'redis', url: redis.url, prefix }),
    })
    const onUpstash = createRelay({
      ...base,
      solana,
      stores: await createStores({ kind: 'upstash', url: bridge.url, token: bridge.token, prefix }),
    })
    const onMemory = createRelay({ ...base, solana })
    const own = createMemorySolanaStore()
    const explicit = createRelay({ ...base, solana: { ...solana, store: own }, store: createMemoryStore() })
    try {
      expect(onRedis.solana?.store.kind).toBe('redis')
      expect(onUpstash.solana?.store.kind).toBe('upstash')
      expect(onMemory.solana?.store.kind).toBe('memory')
      expect(explicit.solana?.store).toBe(own)
      // One backend: what one relay admits, the other reads.
      const admitted = await onRedis.solana?.store.admit(request(7), limits('2030-01-07'))
      expect(admitted?.ok).toBe(true)
      expect((await onUpstash.solana?.store.get('sol_k7'))?.status).toBe('queued')
      expect(await onUpstash.solana?.store.findBySignature('SigKeys7')).toBe('sol_k7')
    } finally {
      await Promise.all([onRedis.close(), onUpstash.close(), onMemory.close(), explicit.close()])
    }
  })
})

// Every store conformance suite on a real three-master Redis Cluster (with replicas): the scripts
// declare their keys and keep to one hash slot each, so the cluster runs them all.

import type { Address, Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ConfigError,
  createRedisClusterStore,
  createStores,
  createStoresFromEnv,
  newRequestId,
  type Stores,
} from '../src/index.js'
import { describeSolanaStoreConformance, type SolanaBackendOptions } from './solanaStoreConformance.js'
import { describeStoreConformance } from './storeConformance.js'
import { type RedisCluster, startRedisCluster } from './support/redisCluster.js'

let cluster: RedisCluster
let run = 0
beforeAll(async () => {
  cluster = await startRedisCluster()
}, 60_000)
afterAll(async () => {
  await cluster?.stop()
})

const open = (options: { finalRetentionMs?: number; pollIntervalMs?: number } = {}) =>
  createStores({ kind: 'redis-cluster', nodes: cluster.nodes, prefix: `t${++run}:`, ...options })

describeStoreConformance('redis-cluster', (options) => open(options))

describeSolanaStoreConformance('redis-cluster', async (options?: SolanaBackendOptions) => {
  // One `Stores` (one connection) per handle, as separate instances would have, all under one prefix.
  const prefix = `s${++run}:`
  const opened: Stores[] = []
  return {
    async open() {
      const stores = await createStores({
        kind: 'redis-cluster',
        nodes: cluster.nodes,
        prefix,
        pollIntervalMs: 50,
        ...options,
      })
      opened.push(stores)
      return stores.solana
    },
    async close() {
      for (const stores of opened) await stores.solana.close()
      for (const stores of opened) await stores.close()
    },
    async pause(siteKey: string, paused: boolean) {
      // Through the admission store of any instance: the flag lives in the site's slot, not `{sol}`.
      const stores = opened[0] ?? (await createStores({ kind: 'redis-cluster', nodes: cluster.nodes, prefix }))
      if (!opened.includes(stores)) opened.push(stores)
      await stores.admission.setSitePaused(siteKey, paused)
    },
    async siteState(siteKey: string, day: string) {
      const stores = opened[0] ?? (await createStores({ kind: 'redis-cluster', nodes: cluster.nodes, prefix }))
      if (!opened.includes(stores)) opened.push(stores)
      return stores.admission.siteState(siteKey, day)
    },
  }
})

describe('redis-cluster key layout', () => {
  it('spreads chains and sites over the masters, each script still in one slot', async () => {
    const store = await createRedisClusterStore({ nodes: cluster.nodes, prefix: 'spread:' })
    const from: Address = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'
    try {
      for (let chainId = 1; chainId <= 12; chainId++) {
        await store.enqueue({
          id: newRequestId(chainId),
          chainId,
          siteKey: `pk_${chainId}`,
          request: { from, to: from, value: 0n, gas: 1n, nonce: 0n, deadline: 2_000_000_000n, data: '0x' },
          signature: `0x${'11'.repeat(65)}` as Hex,
          quota: { key: `pk_${chainId}:${from}:2030-01-01`, limit: 5, ttlSeconds: 60 },
        })
      }
      const masters = await cluster.masters()
      const { Redis } = await import('ioredis')
      const holding = await Promise.all(
        masters.map(async (m) => {
          const raw = new Redis(m.port, '127.0.0.1')
          try {
            return (await raw.keys('spread:*')).length
          } finally {
            raw.disconnect()
          }
        }),
      )
      // Twelve chains and twelve sites: every master holds some of them.
      expect(holding.every((n) => n > 0)).toBe(true)
    } finally {
      await store.close()
    }
  })

  it('is chosen by TOKENTAGS_STORE=redis-cluster with REDIS_CLUSTER_NODES', async () => {
    await expect(createStoresFromEnv({ TOKENTAGS_STORE: 'redis-cluster' })).rejects.toBeInstanceOf(ConfigError)
    await expect(
      createStoresFromEnv({ TOKENTAGS_STORE: 'redis-cluster', REDIS_CLUSTER_NODES: 'localhost' }),
    ).rejects.toBeInstanceOf(ConfigError)
    const store = await createStoresFromEnv({
      TOKENTAGS_STORE: 'redis-cluster',
      REDIS_CLUSTER_NODES: cluster.nodes[0] as string,
      TOKENTAGS_STORE_PREFIX: 'env:',
    })
    try {
      expect(store.kind).toBe('redis-cluster')
      expect(store.solana.kind).toBe('redis-cluster')
      await store.ping()
    } finally {
      await store.close()
    }
  })
})

// Every store conformance suite on a real three-master Redis Cluster (with replicas): the scripts
// declare their keys and keep to one hash slot each, so the cluster runs them all.

import { afterAll, beforeAll } from 'vitest'
import { createRedisClusterStore, type RelayStore, type SolanaStore } from '../src/index.js'
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
  createRedisClusterStore({ nodes: cluster.nodes, prefix: `t${++run}:`, ...options })

describeStoreConformance('redis-cluster', (options) => open(options))

describeSolanaStoreConformance('redis-cluster', async (options?: SolanaBackendOptions) => {
  // One relay store per handle, as separate instances would have, all under one prefix.
  const prefix = `s${++run}:`
  const relayStores: RelayStore[] = []
  const handles: SolanaStore[] = []
  return {
    async open() {
      const relayStore = await createRedisClusterStore({ nodes: cluster.nodes, prefix, pollIntervalMs: 50, ...options })
      relayStores.push(relayStore)
      const handle = relayStore.solanaStore?.() as SolanaStore
      handles.push(handle)
      return handle
    },
    async close() {
      for (const handle of handles) await handle.close()
      for (const relayStore of relayStores) await relayStore.close()
    },
  }
})

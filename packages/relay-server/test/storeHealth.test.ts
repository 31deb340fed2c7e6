// `/v1/health` proves the store by running a script on a hash-tagged key, as every relay operation
// does: a server that answers PING but cannot run the relay's scripts is reported down (503).

import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisClusterStore, createRedisStore, type RelayStore } from '../src/index.js'
import { setupChain, startTestRelay, type TestChain } from './helpers.js'
import { type RedisInstance, startRedis } from './support/redis.js'
import { type RedisCluster, startRedisCluster } from './support/redisCluster.js'

let chain: TestChain
let cluster: RedisCluster
let noScripts: RedisInstance

beforeAll(async () => {
  ;[chain, cluster, noScripts] = await Promise.all([
    setupChain(),
    startRedisCluster(),
    // Scripting switched off by the operator: PING, GET and SET still work.
    startRedis(undefined, ['--rename-command', 'EVAL', '', '--rename-command', 'EVALSHA', '']),
  ])
}, 60_000)

afterAll(async () => {
  await Promise.all([cluster?.stop(), noScripts?.stop(), chain?.anvil.stop()])
})

async function health(store: RelayStore) {
  const relay = await startTestRelay(chain, { store })
  try {
    const response = await fetch(`${relay.url}/v1/health`)
    return { status: response.status, body: (await response.json()) as { ok: boolean; store: unknown } }
  } finally {
    await relay.close()
  }
}

describe('store health', () => {
  it('is ok on a three-master cluster: the probe script runs on the node serving its slot', async () => {
    const { status, body } = await health(await createRedisClusterStore({ nodes: cluster.nodes, prefix: 'h:' }))
    expect(status).toBe(200)
    expect(body).toMatchObject({ ok: true, store: { kind: 'redis-cluster', ok: true } })
  })

  it('is 503 when the server answers PING but cannot run the relay scripts', async () => {
    const raw = new Redis(noScripts.url)
    try {
      expect(await raw.ping()).toBe('PONG')
    } finally {
      raw.disconnect()
    }
    const { status, body } = await health(await createRedisStore({ url: noScripts.url, prefix: 'h:' }))
    expect(status).toBe(503)
    expect(body).toMatchObject({ ok: false, store: { kind: 'redis', ok: false } })
  })
})

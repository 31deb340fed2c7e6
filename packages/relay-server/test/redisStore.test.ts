import { afterAll, beforeAll } from 'vitest'
import { createStores } from '../src/index.js'
import { describeStoreRules } from './mutation/storeRules.js'
import { describeStoreConformance } from './storeConformance.js'
import { type RedisInstance, startRedis } from './support/redis.js'

let redis: RedisInstance
let run = 0
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis?.stop()
})

// Each test gets its own key prefix on one server.
describeStoreConformance('redis', (options) =>
  createStores({ kind: 'redis', url: redis.url, prefix: `t${++run}:`, ...options }),
)
// The rules the mutation run found unpinned (./mutation/storeRules.ts), held on Redis as on memory.
describeStoreRules('redis', (options) =>
  createStores({ kind: 'redis', url: redis.url, prefix: `rules${++run}:`, ...options }),
)

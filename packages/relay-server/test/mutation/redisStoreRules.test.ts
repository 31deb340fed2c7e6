import { afterAll, beforeAll } from 'vitest'
import { createStores } from '../../src/index.js'
import { type RedisInstance, startRedis } from '../support/redis.js'
import { describeStoreRules } from './storeRules.js'

let redis: RedisInstance
let run = 0
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis?.stop()
})

// Each test gets its own key prefix on one server.
describeStoreRules('redis', (options) =>
  createStores({ kind: 'redis', url: redis.url, prefix: `rules${++run}:`, ...options }),
)

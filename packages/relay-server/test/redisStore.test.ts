import { afterAll, beforeAll } from 'vitest'
import { createRedisStore } from '../src/index.js'
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
describeStoreConformance('redis', (options) => createRedisStore({ url: redis.url, prefix: `t${++run}:`, ...options }))

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStores, createUpstashStore } from '../src/index.js'
import {
  claimData,
  postRequest,
  readEvents,
  setupChain,
  signedBody,
  startTestRelay,
  user,
  waitForFinal,
} from './helpers.js'
import { describeStoreConformance } from './storeConformance.js'
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

describeStoreConformance('upstash (REST bridge to redis-server)', (options) =>
  createStores({ kind: 'upstash', url: bridge.url, token: bridge.token, prefix: `t${++run}:`, ...options }),
)

describe('relay on the upstash store', () => {
  it('accepts, batches and confirms a claim, with status events', async () => {
    const chain = await setupChain()
    const relay = await startTestRelay(chain, {
      store: createUpstashStore({ url: bridge.url, token: bridge.token, prefix: 'relay:' }),
    })
    try {
      const beneficiary = user(0)
      const schedule = await chain.createVestedSchedule(beneficiary.address, 10n ** 18n)
      const body = await signedBody({
        account: beneficiary,
        forwarder: chain.forwarder,
        to: chain.vestingVault,
        data: claimData(schedule),
        nonce: 0n,
      })
      const posted = await postRequest(relay, body)
      expect(posted.status).toBe(202)
      const [events, final] = await Promise.all([
        readEvents(relay, posted.json.id),
        waitForFinal(relay, posted.json.id),
      ])
      expect(final.status).toBe('confirmed')
      expect(events.at(-1)?.data.status).toBe('confirmed')
      expect((await postRequest(relay, body)).status).toBe(409)
    } finally {
      await relay.close()
      await chain.anvil.stop()
    }
  })
})

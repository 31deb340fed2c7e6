// The EVM node goes away with transactions in its pool and comes back from its saved state:
// submissions get 503 meanwhile, and the journaled transactions still land, once.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, startAnvil } from '@tokentags/testkit'
import type { LocalAccount } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRedisStore, type RunningRelay } from '../src/index.js'
import {
  anvilRpc,
  CHAIN_ID,
  eventually,
  ORIGIN,
  relayConfig,
  SITE_KEY,
  setupChain,
  startTestRelay,
  type TestChain,
} from './helpers.js'
import {
  executions,
  forwarderNonce,
  fundedUsers,
  getJson,
  post,
  relayerKeys,
  transferBody,
  transferSelector,
} from './support/load.js'
import { type RedisInstance, startRedis } from './support/redis.js'

let chain: TestChain
let redis: RedisInstance
let relay: RunningRelay
let users: LocalAccount[]
let port: number
const stateFile = join(mkdtempSync(join(tmpdir(), 'tt-anvil-')), 'state.json')

beforeAll(async () => {
  port = await freePort()
  ;[chain, redis] = await Promise.all([setupChain({ port, args: ['--state', stateFile] }), startRedis()])
  users = await fundedUsers(chain, 4, 10n)
  relay = await startTestRelay(chain, {
    store: await createRedisStore({ url: redis.url }),
    chains: [
      { chainId: CHAIN_ID, rpcUrl: chain.anvil.rpcUrl, forwarder: chain.forwarder, relayerPrivateKeys: relayerKeys(1) },
    ],
    sites: {
      ...relayConfig(chain).sites,
      [SITE_KEY]: {
        origins: [ORIGIN],
        targets: [{ address: chain.token, selectors: [transferSelector] }],
        dailyBudgetWei: 'unlimited',
      },
    },
    batch: { maxSize: 2, maxWaitMs: 50, pollIntervalMs: 100 },
  })
}, 60_000)

afterAll(async () => {
  await relay?.close()
  await redis?.stop()
  await chain?.anvil.stop()
})

describe('EVM node restart', () => {
  it('answers 503 while the node is down and lands the journaled transactions once it returns', async () => {
    await anvilRpc(chain, 'evm_setAutomine', [false])
    const ids: string[] = []
    for (const user of users.slice(0, 3)) {
      const { status, json } = await post(relay.url, await transferBody(chain, user, 0n), SITE_KEY, ORIGIN)
      expect(status).toBe(202)
      ids.push(json.id as string)
    }
    await eventually(async () => {
      const views = await Promise.all(ids.map((id) => getJson(`${relay.url}/v1/requests/${id}`)))
      return views.every((v) => v?.status === 'submitted')
    })
    await chain.anvil.stop()

    const down = await post(relay.url, await transferBody(chain, users[3] as LocalAccount, 0n), SITE_KEY, ORIGIN)
    expect({ status: down.status, code: down.json.error?.code }).toEqual({ status: 503, code: 'UPSTREAM_UNAVAILABLE' })
    expect((await fetch(`${relay.url}/v1/health`)).status).toBe(503)
    await new Promise((r) => setTimeout(r, 500))

    chain.anvil = await startAnvil({ port, args: ['--state', stateFile] })
    const finals = await eventually(
      async () => {
        const views = await Promise.all(ids.map((id) => getJson(`${relay.url}/v1/requests/${id}`)))
        return views.every((v) => v?.status === 'confirmed') ? views : undefined
      },
      30_000,
      'all confirmed after the node returned',
    )
    expect(finals).toHaveLength(3)
    for (const user of users.slice(0, 3)) expect(await forwarderNonce(chain, user.address)).toBe(1n)
    const { keys } = await executions(chain)
    expect(keys.length).toBe(new Set(keys).size)
    const after = await post(relay.url, await transferBody(chain, users[3] as LocalAccount, 0n), SITE_KEY, ORIGIN)
    expect(after.status).toBe(202)
  })
})

// A Redis Cluster master killed under load: the master serving the chain's slot (queue, records,
// journals, key leases) goes down while two relay processes take and send requests. Its replica
// takes over; every acknowledged request ends final, and nothing runs twice.

import { freePort } from '@tokentags/testkit'
import type { LocalAccount } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHAIN_ID, ORIGIN, SITE_KEY, setupChain, type TestChain } from './helpers.js'
import {
  executions,
  forwarderNonce,
  fundedUsers,
  getJson,
  post,
  relayerKeys,
  SINK,
  tokenBalance,
  transferBody,
  transferSelector,
} from './support/load.js'
import { type RedisCluster, startRedisCluster } from './support/redisCluster.js'
import { type RelayProcess, relayProcess } from './support/relayProcess.js'

const USERS = 12
const PER_USER = 15
const TOKENS = 100n
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

let chain: TestChain
let cluster: RedisCluster
let relays: RelayProcess[] = []
let users: LocalAccount[]

beforeAll(async () => {
  ;[chain, cluster] = await Promise.all([setupChain(), startRedisCluster()])
  users = await fundedUsers(chain, USERS, TOKENS)
  const config = {
    chains: [
      { chainId: CHAIN_ID, rpcUrl: chain.anvil.rpcUrl, forwarder: chain.forwarder, relayerPrivateKeys: relayerKeys(2) },
    ],
    sites: {
      [SITE_KEY]: {
        origins: [ORIGIN],
        targets: [{ address: chain.token, selectors: [transferSelector] }],
        dailyBudgetWei: 'unlimited',
      },
    },
    batch: { maxSize: 10, maxWaitMs: 100, pollIntervalMs: 100, claimLeaseMs: 3000, keyLeaseMs: 3000 },
    limits: { perIp: false, perSender: false },
  }
  const env = { TOKENTAGS_STORE: 'redis-cluster', REDIS_CLUSTER_NODES: cluster.nodes.join(',') }
  relays = await Promise.all(
    ['a', 'b'].map(async (name) => relayProcess({ port: await freePort(), env, config, name })),
  )
  await Promise.all(relays.map((r) => r.start()))
}, 120_000)

afterAll(async () => {
  await Promise.all(relays.map((r) => r.stop()))
  await cluster?.stop()
  await chain?.anvil.stop()
})

describe('Redis Cluster failover', () => {
  it('keeps every acknowledged request when the master of the chain slot dies: all final, none twice', async () => {
    const acked: string[] = []
    const outages = new Map<string, number>()
    let killed: Promise<void> | undefined
    let turn = 0
    await Promise.all(
      users.map(async (user) => {
        for (let nonce = 0n; nonce < BigInt(PER_USER); nonce++) {
          const body = await transferBody(chain, user, nonce)
          for (let attempt = 0; ; attempt++) {
            const relay = relays[turn++ % relays.length] as RelayProcess
            const { status, json } = await post(relay.url, body, SITE_KEY, ORIGIN, 30_000)
            if (status === 202 && json.id) {
              acked.push(json.id)
              break
            }
            // A 409 for a nonce "already pending" after an outage: an earlier try was stored.
            if (status === 409 && attempt > 0 && /already pending/.test(json.error?.message ?? '')) break
            // Only the outage may refuse: 503 (store or chain unreachable) or no answer at all.
            if (status !== 503 && status !== 0) throw new Error(`nonce ${nonce}: ${status} ${JSON.stringify(json)}`)
            const key = `${status} ${json.error?.code ?? ''}`
            outages.set(key, (outages.get(key) ?? 0) + 1)
            if (attempt > 100) throw new Error(`nonce ${nonce}: still ${status} after ${attempt} tries`)
            await sleep(200)
          }
          if (!killed && acked.length >= (USERS * PER_USER) / 3) {
            killed = cluster.masterOf(`tt:{c${CHAIN_ID}}:ready`).then((master) => cluster.kill(master))
          }
        }
      }),
    )
    await killed
    expect(killed).toBeDefined()
    await cluster.waitHealthy()

    const finals = new Map<string, { status: string }>()
    const until = Date.now() + 120_000
    while (finals.size < acked.length && Date.now() < until) {
      for (const [i, id] of acked.entries()) {
        if (finals.has(id)) continue
        const view = await getJson(`${(relays[i % 2] as RelayProcess).url}/v1/requests/${id}`)
        if (view && ['confirmed', 'failed', 'rejected'].includes(view.status)) finals.set(id, view)
      }
      if (finals.size < acked.length) await sleep(250)
    }
    expect(finals.size).toBe(acked.length)
    expect([...finals.values()].filter((f) => f.status !== 'confirmed')).toEqual([])

    // Exactly once on chain: every user's nonces all ran, each one time.
    const { keys, successes } = await executions(chain)
    expect(keys.length).toBe(new Set(keys).size)
    expect(successes).toBe(USERS * PER_USER)
    for (const user of users) {
      expect(await forwarderNonce(chain, user.address)).toBe(BigInt(PER_USER))
      expect(await tokenBalance(chain, user.address)).toBe(TOKENS - BigInt(PER_USER))
    }
    expect(await tokenBalance(chain, SINK)).toBe(BigInt(USERS * PER_USER))
    console.info(`failover: ${acked.length} acknowledged; refusals during the outage: ${JSON.stringify([...outages])}`)
  }, 300_000)
})

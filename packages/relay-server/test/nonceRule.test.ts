// The nonce rule across instances: a sender's next nonce after its own pending ones is taken by any
// instance sharing the store, and simulated as it will run (after the pending ones), deterministically:
// nothing is sent until every nonce is acknowledged.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type LocalAccount, toFunctionSelector } from 'viem'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createRedisStore, type RunningRelay } from '../src/index.js'
import { CHAIN_ID, postRequest, setupChain, startTestRelay, type TestChain, waitForFinal } from './helpers.js'
import { executions, forwarderNonce, fundedUsers, relayerKeys, transferBody, transferSelector } from './support/load.js'
import { type RedisInstance, startRedis } from './support/redis.js'

let chain: TestChain
let redis: RedisInstance
let users: LocalAccount[]
const relays: RunningRelay[] = []

/** A relay on the shared Redis; without relayer keys it takes requests but never sends them. */
async function relayOnRedis(keys: readonly `0x${string}`[], rpcUrl = chain.anvil.rpcUrl): Promise<RunningRelay> {
  const relay = await startTestRelay(chain, {
    chains: [{ chainId: CHAIN_ID, rpcUrl, forwarder: chain.forwarder, relayerPrivateKeys: [...keys] }],
    sites: {
      pk_test: {
        origins: ['http://shop.test'],
        targets: [{ address: chain.token, selectors: [transferSelector] }],
        dailyBudgetWei: 'unlimited',
      },
    },
    store: await createRedisStore({ url: redis.url, prefix: 'nonce:' }),
    limits: { perIp: false, perSender: false },
    batch: { maxSize: 10, maxWaitMs: 100, pollIntervalMs: 100 },
  })
  relays.push(relay)
  return relay
}

const EXECUTE = toFunctionSelector('execute((address,address,uint256,uint256,uint48,bytes,bytes))')
/** The gas meter's entry: the relay's simulations call `execute` through it (`GasMeter.measure`). */
const MEASURE = toFunctionSelector('measure(address,bytes)')

/**
 * An RPC endpoint whose nodes are a block apart, as behind a load balancer: `forwarder.execute`
 * simulations land on a node one block behind, every other call on the up-to-date one.
 */
async function laggingRpc(target: string): Promise<{ url: string; lagged: () => number; close(): Promise<void> }> {
  let lagged = 0
  const rpc = async (body: unknown) =>
    (await (
      await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json()) as { result: string }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      const calls = (Array.isArray(parsed) ? parsed : [parsed]) as { method: string; params?: unknown[] }[]
      for (const call of calls) {
        const tx = call.params?.[0] as { data?: string; input?: string } | undefined
        const data = tx?.data ?? tx?.input ?? ''
        const simulation = data.startsWith(EXECUTE) || data.startsWith(MEASURE)
        if (call.method === 'eth_call' && simulation && call.params?.[1] === 'latest') {
          const head = BigInt((await rpc({ jsonrpc: '2.0', id: 0, method: 'eth_blockNumber' })).result)
          call.params[1] = `0x${(head - 1n).toString(16)}`
          lagged++
        }
      }
      const answer = await rpc(Array.isArray(parsed) ? calls : calls[0])
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(answer))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lagged: () => lagged,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

beforeAll(async () => {
  ;[chain, redis] = await Promise.all([setupChain(), startRedis()])
  users = await fundedUsers(chain, 3, 100n)
}, 60_000)

afterEach(async () => {
  await Promise.all(relays.splice(0).map((r) => r.close()))
})

afterAll(async () => {
  await redis?.stop()
  await chain?.anvil.stop()
})

describe('nonce rule', () => {
  it('takes nonces 0, 1, 2 of one sender on two instances in turn (nothing sent yet), then confirms each once', async () => {
    const [a, b] = await Promise.all([relayOnRedis([]), relayOnRedis([])])
    const ids: string[] = []
    for (const user of users.slice(0, 2)) {
      for (let nonce = 0n; nonce < 3n; nonce++) {
        const relay = (nonce % 2n === 0n ? a : b) as RunningRelay
        const { status, json } = await postRequest(relay, await transferBody(chain, user, nonce))
        expect({ nonce, status, error: json.error }).toEqual({ nonce, status: 202, error: undefined })
        ids.push(json.id)
      }
      // Nothing ran: every acceptance above was decided against pending requests, not the chain.
      expect(await forwarderNonce(chain, user.address)).toBe(0n)
    }
    // A nonce already pending, and one that leaves a gap, are refused by either instance.
    const [user] = users as [LocalAccount]
    expect((await postRequest(b as RunningRelay, await transferBody(chain, user, 1n))).json.error?.code).toBe(
      'BAD_NONCE',
    )
    expect((await postRequest(a as RunningRelay, await transferBody(chain, user, 4n))).json.error?.code).toBe(
      'BAD_NONCE',
    )

    const sender = await relayOnRedis(relayerKeys(1))
    const finals = await Promise.all(ids.map((id) => waitForFinal(sender, id, 60_000)))
    expect(finals.map((f) => f.status)).toEqual(ids.map(() => 'confirmed'))
    const { keys, successes } = await executions(chain)
    expect(keys.length).toBe(new Set(keys).size)
    expect(successes).toBe(6)
    for (const u of users.slice(0, 2)) expect(await forwarderNonce(chain, u.address)).toBe(3n)
  }, 120_000)

  it('simulates the next nonce as it will run even when the simulating node is a block behind the nonce read', async () => {
    const rpc = await laggingRpc(chain.anvil.rpcUrl)
    try {
      const relay = await relayOnRedis(relayerKeys(1), rpc.url)
      const user = users[2] as LocalAccount
      const first = await postRequest(relay, await transferBody(chain, user, 0n))
      expect(first.status).toBe(202)
      expect((await waitForFinal(relay, first.json.id, 60_000)).status).toBe('confirmed')
      // The up-to-date node says nonce 1 is next; the node simulating still has the sender at 0.
      const second = await postRequest(relay, await transferBody(chain, user, 1n))
      expect({ status: second.status, error: second.json.error }).toEqual({ status: 202, error: undefined })
      expect(rpc.lagged()).toBeGreaterThan(0)
      expect((await waitForFinal(relay, second.json.id, 60_000)).status).toBe('confirmed')
      expect(await forwarderNonce(chain, user.address)).toBe(2n)
    } finally {
      await rpc.close()
    }
  }, 120_000)
})

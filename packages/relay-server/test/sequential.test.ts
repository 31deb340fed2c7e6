// Issue 13, finding 7: "Ten transfers from an account holding 1 token-wei all pass admission; nine
// revert on chain; the site pays." Each request is now simulated after the sender's pending ones.
// The relays here hold no relayer keys: accepted requests stay pending, so what admission decides
// is all that is tested, on anvil and a real Redis.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { forwarderAbi, tagTokenAbi } from '@tokentags/contracts'
import { createWalletClient, encodeFunctionData, type Hex, http, type LocalAccount } from 'viem'
import { foundry } from 'viem/chains'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChainRuntime } from '../src/evm/chain.js'
import { SimulationFailedError } from '../src/evm/errors.js'
import { SenderBacklogError, simulateAfterPending } from '../src/evm/sequential.js'
import { createRedisStore, type RelayStore, type RunningRelay } from '../src/index.js'
import {
  CHAIN_ID,
  deployer,
  postRequest,
  SITE_KEY,
  setupChain,
  signedBody,
  startTestRelay,
  type TestChain,
} from './helpers.js'
import { fundedUsers, SINK, transferSelector } from './support/load.js'
import { type RedisInstance, startRedis } from './support/redis.js'

let chain: TestChain
let redis: RedisInstance
let relay: RunningRelay
let prefixes = 0

async function relayOn(rpcUrl: string): Promise<RunningRelay> {
  return startTestRelay(chain, {
    chains: [{ chainId: CHAIN_ID, rpcUrl, forwarder: chain.forwarder, relayerPrivateKeys: [] }],
    sites: {
      [SITE_KEY]: {
        origins: ['http://shop.test'],
        targets: [{ address: chain.token, selectors: [transferSelector] }],
        dailyBudgetWei: 'unlimited',
      },
    },
    store: await createRedisStore({ url: redis.url, prefix: `seq${prefixes++}:` }),
    limits: { perIp: false, perSender: false },
  })
}

beforeAll(async () => {
  ;[chain, redis] = await Promise.all([setupChain(), startRedis()])
  relay = await relayOn(chain.anvil.rpcUrl)
}, 120_000)

afterAll(async () => {
  await relay?.close()
  await redis?.stop()
  await chain?.anvil.stop()
})

const transfer = (amount: bigint) =>
  encodeFunctionData({ abi: tagTokenAbi, functionName: 'transfer', args: [SINK, amount] })

const body = (account: LocalAccount, nonce: bigint, amount = 1n) =>
  signedBody({ account, forwarder: chain.forwarder, to: chain.token, data: transfer(amount), nonce, gas: 80_000n })

describe('admission simulates a request after the sender’s pending ones', () => {
  it('ten transfers of an account’s only token-wei: the first accepted, the nine others refused', async () => {
    const [sender] = (await fundedUsers(chain, 1, 1n)) as [LocalAccount]
    const first = await postRequest(relay, await body(sender, 0n))
    expect(first.status).toBe(202)
    // Each later one carries the next nonce the relay takes (1: the refused ones leave no trace),
    // so nothing but the simulation after the pending transfer can refuse it.
    for (let i = 0; i < 9; i++) {
      const answer = await postRequest(relay, await body(sender, 1n))
      expect(answer.status, `transfer ${i + 2}`).toBe(422)
      expect(answer.json.error.code).toBe('SIMULATION_FAILED')
      expect(answer.json.error.message).toContain('ERC20InsufficientBalance')
      expect(answer.json.error.message).toContain("after this sender's 1 pending request")
    }
    // Signed in a row (nonces 1..9): the second is refused by the simulation, the rest leave a gap.
    const codes: string[] = []
    for (let nonce = 1n; nonce <= 9n; nonce++)
      codes.push((await postRequest(relay, await body(sender, nonce))).json.error.code)
    expect(codes).toEqual(['SIMULATION_FAILED', ...Array(8).fill('BAD_NONCE')])
  })

  it('transfers that fit the balance together are all accepted; the one past it is refused', async () => {
    const [sender] = (await fundedUsers(chain, 1, 3n)) as [LocalAccount]
    expect((await postRequest(relay, await body(sender, 0n, 1n))).status).toBe(202)
    expect((await postRequest(relay, await body(sender, 1n, 2n))).status).toBe(202)
    const third = await postRequest(relay, await body(sender, 2n, 1n))
    expect(third.status).toBe(422)
    expect(third.json.error.message).toContain("after this sender's 2 pending request")
  })

  it('two transfers that both fit the balance are both accepted', async () => {
    const [sender] = (await fundedUsers(chain, 1, 2n)) as [LocalAccount]
    expect((await postRequest(relay, await body(sender, 0n))).status).toBe(202)
    expect((await postRequest(relay, await body(sender, 1n))).status).toBe(202)
  })
})

describe('simulateAfterPending', () => {
  let store: RelayStore
  beforeAll(async () => {
    store = await createRedisStore({ url: redis.url, prefix: 'seqdirect:' })
  })
  afterAll(async () => store?.close())

  const runtime = () =>
    createChainRuntime({
      chainId: CHAIN_ID,
      rpcUrl: chain.anvil.rpcUrl,
      forwarder: chain.forwarder,
      relayerPrivateKeys: [],
    })

  let lastSignature: Hex = '0x'
  async function enqueue(account: LocalAccount, nonce: bigint, amount: bigint) {
    const { request, signature } = await body(account, nonce, amount)
    const forward = {
      ...request,
      value: BigInt(request.value),
      gas: BigInt(request.gas),
      nonce: BigInt(request.nonce),
      deadline: BigInt(request.deadline),
    }
    await store.enqueue({
      id: `${CHAIN_ID}-seq-${account.address}-${nonce}`,
      chainId: CHAIN_ID,
      siteKey: 'pk',
      request: forward,
      signature,
    })
    lastSignature = signature
    return forward
  }

  it('refuses past its bound of pending requests ahead, and runs nothing when none is ahead', async () => {
    const [sender] = (await fundedUsers(chain, 1, 10n)) as [LocalAccount]
    const first = await enqueue(sender, 0n, 1n)
    await enqueue(sender, 1n, 1n)
    const third = await enqueue(sender, 2n, 1n)
    const fourth = { ...third, nonce: 3n }
    const error = await simulateAfterPending(store, runtime(), { request: fourth, maxPending: 2, errorAbis: [] }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(SenderBacklogError)
    expect(error).toMatchObject({ pending: 3, limit: 2 })
    await expect(
      simulateAfterPending(store, runtime(), { request: fourth, maxPending: 3, errorAbis: [tagTokenAbi] }),
    ).resolves.toBeUndefined()
    // Nonce 0 is the chain's next: nothing ahead, even with pending requests stored.
    await expect(
      simulateAfterPending(store, runtime(), {
        request: { ...first, data: transfer(11n) },
        maxPending: 1,
        errorAbis: [],
      }),
    ).resolves.toBeUndefined()
  })

  it('does not replay a pending request the chain has run already (mined, not yet settled here)', async () => {
    const [sender] = (await fundedUsers(chain, 1, 3n)) as [LocalAccount]
    const first = await enqueue(sender, 0n, 1n)
    // Someone sends it to the forwarder directly: executed on chain, still pending in the store.
    const wallet = createWalletClient({ account: deployer, chain: foundry, transport: http(chain.anvil.rpcUrl) })
    await chain.publicClient.waitForTransactionReceipt({
      hash: await wallet.writeContract({
        address: chain.forwarder,
        abi: forwarderAbi,
        functionName: 'execute',
        args: [{ ...first, deadline: Number(first.deadline), signature: lastSignature }],
      }),
    })
    await enqueue(sender, 1n, 1n)
    const third = { ...first, nonce: 2n }
    // Replayed once more, the first transfer would leave nothing for the third.
    await expect(
      simulateAfterPending(store, runtime(), { request: third, errorAbis: [tagTokenAbi] }),
    ).resolves.toBeUndefined()
    await enqueue(sender, 2n, 1n)
    const fourth = { ...first, nonce: 3n }
    await expect(simulateAfterPending(store, runtime(), { request: fourth, errorAbis: [tagTokenAbi] })).rejects.toThrow(
      /ERC20InsufficientBalance.*after this sender's 2 pending/,
    )
  })

  it('names the revert of the request run after the pending ones', async () => {
    const [sender] = (await fundedUsers(chain, 1, 5n)) as [LocalAccount]
    await enqueue(sender, 0n, 4n)
    const { request } = await body(sender, 1n, 2n)
    const next = { ...request, value: 0n, gas: 80_000n, nonce: 1n, deadline: BigInt(request.deadline) }
    const error = await simulateAfterPending(store, runtime(), { request: next, errorAbis: [tagTokenAbi] }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(SimulationFailedError)
    expect((error as SimulationFailedError).revert).toMatchObject({ name: 'ERC20InsufficientBalance' })
  })
})

/** An RPC endpoint in front of anvil that answers `missing` methods as a node that lacks them. */
async function nodeWithout(
  missing: readonly string[],
  refusal = { code: -32601, message: 'does not exist/is not available' },
): Promise<{ url: string; asked: Map<string, number>; close(): Promise<void> }> {
  const asked = new Map<string, number>()
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      type Call = { id: unknown; method: string }
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Call[] | Call
      const calls = Array.isArray(parsed) ? parsed : [parsed]
      const answers = await Promise.all(
        calls.map(async (call) => {
          asked.set(call.method, (asked.get(call.method) ?? 0) + 1)
          if (missing.includes(call.method)) {
            return {
              jsonrpc: '2.0',
              id: call.id,
              error: { code: refusal.code, message: `the method ${call.method} ${refusal.message}` },
            }
          }
          const upstream = await fetch(chain.anvil.rpcUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(call),
          })
          return upstream.json()
        }),
      )
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(Array.isArray(parsed) ? answers : answers[0]))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked,
    close: () => new Promise((r) => server.close(() => r())),
  }
}

describe('on a node without eth_simulateV1, with debug_traceCall', () => {
  let node: Awaited<ReturnType<typeof nodeWithout>>
  let traced: RunningRelay

  beforeAll(async () => {
    node = await nodeWithout(['eth_simulateV1'])
    traced = await relayOn(node.url)
  })

  afterAll(async () => {
    await traced?.close()
    await node?.close()
  })

  it("carries each pending request's state changes as overrides: the same refusals, the same acceptances", async () => {
    const [poor] = (await fundedUsers(chain, 1, 1n)) as [LocalAccount]
    expect((await postRequest(traced, await body(poor, 0n))).status).toBe(202)
    // The pending transfer spends the last token-wei: its balance slot, cleared, must be carried too.
    const second = await postRequest(traced, await body(poor, 1n))
    expect(second.status).toBe(422)
    expect(second.json.error.message).toContain('ERC20InsufficientBalance')
    expect(second.json.error.message).toContain("after this sender's 1 pending request")
    expect(node.asked.get('debug_traceCall')).toBeGreaterThanOrEqual(1)
  })

  it('accepts what fits the balance after the pending ones', async () => {
    const [sender] = (await fundedUsers(chain, 1, 3n)) as [LocalAccount]
    expect((await postRequest(traced, await body(sender, 0n, 1n))).status).toBe(202)
    expect((await postRequest(traced, await body(sender, 1n, 1n))).status).toBe(202)
    expect((await postRequest(traced, await body(sender, 2n, 1n))).status).toBe(202)
    const fourth = await postRequest(traced, await body(sender, 3n, 1n))
    expect(fourth.status).toBe(422)
    expect(fourth.json.error.message).toContain("after this sender's 3 pending request")
  })
})

describe('on a node with neither eth_simulateV1 nor debug_traceCall', () => {
  let node: Awaited<ReturnType<typeof nodeWithout>>
  let strict: RunningRelay

  beforeAll(async () => {
    node = await nodeWithout(['eth_simulateV1', 'debug_traceCall'])
    strict = await relayOn(node.url)
  })

  afterAll(async () => {
    await strict?.close()
    await node?.close()
  })

  it('takes one pending request per sender: the next waits until it settles', async () => {
    const [sender, other] = (await fundedUsers(chain, 2, 5n)) as [LocalAccount, LocalAccount]
    expect((await postRequest(strict, await body(sender, 0n))).status).toBe(202)
    const second = await postRequest(strict, await body(sender, 1n))
    expect(second.status).toBe(429)
    expect(second.json.error.code).toBe('SENDER_BACKLOG')
    // Once known, the node is not asked again, and other senders are not held back.
    const asked = (node.asked.get('eth_simulateV1') ?? 0) + (node.asked.get('debug_traceCall') ?? 0)
    expect(asked).toBe(2)
    expect((await postRequest(strict, await body(sender, 1n))).json.error.code).toBe('SENDER_BACKLOG')
    expect((node.asked.get('eth_simulateV1') ?? 0) + (node.asked.get('debug_traceCall') ?? 0)).toBe(asked)
    expect((await postRequest(strict, await body(other, 0n))).status).toBe(202)
  })
})

describe('on a node that fails eth_simulateV1 instead of answering', () => {
  let node: Awaited<ReturnType<typeof nodeWithout>>
  let failing: RunningRelay

  beforeAll(async () => {
    node = await nodeWithout(['eth_simulateV1'], { code: -32000, message: 'timed out' })
    failing = await relayOn(node.url)
  })

  afterAll(async () => {
    await failing?.close()
    await node?.close()
  })

  it('answers 503 UPSTREAM_UNAVAILABLE (nothing known, try again), never a 500 or a refusal', async () => {
    const [sender] = (await fundedUsers(chain, 1, 5n)) as [LocalAccount]
    expect((await postRequest(failing, await body(sender, 0n))).status).toBe(202)
    const second = await postRequest(failing, await body(sender, 1n))
    expect({ status: second.status, code: second.json.error.code }).toEqual({
      status: 503,
      code: 'UPSTREAM_UNAVAILABLE',
    })
  })
})

// The submit path's own JSON-RPC client (evm/hotPath/hotRpc.ts) against a real node (anvil) behind a
// recording proxy, and what the fast path (one metered `eth_call` that simulates and measures) does with an
// answer that is not a meter's result or a revert: it asks the way it did before the meter, through viem.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gasMeterRuntimeBytecode } from '@tokentags/contracts'
import { freePort } from '@tokentags/testkit'
import { concat, type Hex, type LocalAccount } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { getHttpRpcClient } from 'viem/utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChainRuntime } from '../../src/evm/chain.js'
import { ChainUnavailableError } from '../../src/evm/errors.js'
import { atMostWorstCase, estimatedRequestGas } from '../../src/evm/gas.js'
import { encodeExecuteCall } from '../../src/evm/hotPath/encodeExecute.js'
import { encodeMeterCall } from '../../src/evm/hotPath/encodeMeter.js'
import {
  createHotRpc,
  HotRpcTimeoutError,
  HotRpcTransportError,
  isExecutionError,
} from '../../src/evm/hotPath/hotRpc.js'
import { GAS_METER_ADDRESS, simulateAsIs } from '../../src/evm/simulate.js'
import { startRelay } from '../../src/index.js'
import type { ForwardRequest } from '../../src/store/types.js'
import { CHAIN_ID, ORIGIN, relayConfig, setupChain, type TestChain } from '../helpers.js'
import { fundedUsers, post, relayerKeys, transferBody } from '../support/load.js'

interface Call {
  id: unknown
  method: string
  params?: unknown[]
}

interface Proxy {
  url: string
  /** Each HTTP request's calls, in arrival order. */
  bodies: Call[][]
  headers: IncomingHttpHeaders[]
  close(): Promise<void>
}

/**
 * A JSON-RPC proxy in front of `target`: records each HTTP request, and answers a call itself when
 * `answer` returns something for it (the rest go to the node, rewritten by `rewrite` if given).
 */
async function startProxy(
  target: string,
  answer?: (call: Call) => object | undefined,
  options: { firstStatus?: number; rewrite?: (call: Call) => Call } = {},
): Promise<Proxy> {
  const bodies: Call[][] = []
  const headers: IncomingHttpHeaders[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Call | Call[]
      const calls = Array.isArray(parsed) ? parsed : [parsed]
      bodies.push(calls)
      headers.push(req.headers)
      if (options.firstStatus !== undefined && bodies.length === 1) {
        res.writeHead(options.firstStatus)
        res.end('try again')
        return
      }
      const own = calls.map((call) => answer?.(call))
      const forwarded = calls.filter((_, i) => own[i] === undefined).map((call) => options.rewrite?.(call) ?? call)
      const answers: Array<{ id: unknown }> = forwarded.length
        ? ((await (
            await fetch(target, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(forwarded),
            })
          ).json()) as Array<{ id: unknown }>)
        : []
      const all = calls.map((call, i) =>
        own[i] ? { jsonrpc: '2.0', id: call.id, ...own[i] } : answers.find((a) => a.id === call.id),
      )
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(Array.isArray(parsed) ? all : all[0]))
    })
  })
  return listen(server, { bodies, headers })
}

async function listen<T extends object>(
  server: Server,
  extra: T,
): Promise<T & { url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    ...extra,
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** Queues `calls` in one event-loop turn, as concurrent submissions do. */
function together(rpc: ReturnType<typeof createHotRpc>, calls: Array<[string, unknown[]]>) {
  return Promise.all(calls.map(([method, params]) => rpc.request(method, params)))
}

let chain: TestChain
let users: LocalAccount[]
const closing: Array<{ close(): Promise<void> }> = []

beforeAll(async () => {
  chain = await setupChain()
  users = await fundedUsers(chain, 2, 10n)
}, 60_000)

afterAll(async () => {
  await Promise.all(closing.map((c) => c.close()))
  await chain?.anvil.stop()
})

describe('hot JSON-RPC client', () => {
  it("answers each call with the node's result or error, a turn's calls in batches of the size asked", async () => {
    const proxy = await startProxy(chain.anvil.rpcUrl)
    closing.push(proxy)
    const rpc = createHotRpc(proxy.url, { timeoutMs: 5_000, batchSize: 2 })
    const answers = await together(rpc, [
      ['eth_chainId', []],
      ['eth_getCode', [chain.forwarder, 'latest']],
      ['tokentags_noSuchMethod', []],
      ['eth_chainId', []],
      ['eth_getCode', [users[0]?.address, 'latest']],
    ])
    expect(proxy.bodies.map((calls) => calls.map((c) => c.method))).toEqual([
      ['eth_chainId', 'eth_getCode'],
      ['tokentags_noSuchMethod', 'eth_chainId'],
      ['eth_getCode'],
    ])
    expect(answers[0]).toEqual({ result: `0x${CHAIN_ID.toString(16)}` })
    expect(String(answers[1]?.result).length).toBeGreaterThan(100) // the forwarder's code
    expect(answers[2]?.error?.code).toBe(-32601)
    expect(answers[3]).toEqual({ result: `0x${CHAIN_ID.toString(16)}` })
    expect(answers[4]).toEqual({ result: '0x' })
  })

  it("sends the URL's credentials as a basic authorization header", async () => {
    const proxy = await startProxy(chain.anvil.rpcUrl)
    closing.push(proxy)
    const rpc = createHotRpc(proxy.url.replace('http://', 'http://relay:p%40ss@'), {
      timeoutMs: 5_000,
      batchSize: 2,
    })
    expect(await rpc.request('eth_chainId', [])).toEqual({ result: `0x${CHAIN_ID.toString(16)}` })
    expect(proxy.headers[0]?.authorization).toBe(`Basic ${Buffer.from('relay:p@ss').toString('base64')}`)
  })

  it('rejects every call of the batch with a transport error when no answer comes', async () => {
    const down = createHotRpc(`http://127.0.0.1:${await freePort()}`, { timeoutMs: 5_000, batchSize: 2 })
    const refused = await together(down, [
      ['eth_chainId', []],
      ['eth_chainId', []],
    ]).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(HotRpcTransportError)
    expect(refused).not.toBeInstanceOf(HotRpcTimeoutError)

    const failing = await listen(
      createServer((_req, res) => {
        res.writeHead(500, { 'content-type': 'application/json' })
        res.end('{"jsonrpc":"2.0","id":0,"error":{"code":-32603,"message":"boom"}}')
      }),
      {},
    )
    closing.push(failing)
    const http500 = await createHotRpc(failing.url, { timeoutMs: 5_000, batchSize: 2 })
      .request('eth_chainId', [])
      .catch((e: unknown) => e)
    expect(http500).toBeInstanceOf(HotRpcTransportError)

    // An answer that leaves a call out: that call has no answer, the other has its own.
    const lossy = await listen(
      createServer((req, res) => {
        const chunks: Buffer[] = []
        req.on('data', (c: Buffer) => chunks.push(c))
        req.on('end', () => {
          const calls = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Call[]
          res.writeHead(200, { 'content-type': 'application/json' })
          res.end(JSON.stringify([{ jsonrpc: '2.0', id: calls[0]?.id, result: '0x1' }]))
        })
      }),
      {},
    )
    closing.push(lossy)
    const rpc = createHotRpc(lossy.url, { timeoutMs: 5_000, batchSize: 2 })
    const [first, second] = await Promise.allSettled([rpc.request('eth_chainId', []), rpc.request('eth_chainId', [])])
    expect(first).toEqual({ status: 'fulfilled', value: { result: '0x1' } })
    expect(second.status === 'rejected' && second.reason).toBeInstanceOf(HotRpcTransportError)
  })

  it('rejects with a timeout error when the node does not answer in time', async () => {
    const silent = await listen(
      createServer(() => {}),
      {},
    )
    closing.push(silent)
    const rpc = createHotRpc(silent.url, { timeoutMs: 200, batchSize: 2 })
    expect(await rpc.request('eth_chainId', []).catch((e: unknown) => e)).toBeInstanceOf(HotRpcTimeoutError)
  })

  it('tells a revert (an answer) from a node that could not run the call', () => {
    expect(isExecutionError({ code: 3, message: 'execution reverted', data: '0x08c379a0' })).toBe(true)
    expect(isExecutionError({ code: -32000, message: 'execution reverted' })).toBe(true)
    expect(isExecutionError({ code: -32003, message: 'transaction rejected' })).toBe(true)
    expect(isExecutionError({ code: -32603, message: 'reverted', data: '0x5274afe7' })).toBe(true)
    expect(isExecutionError({ code: -32603, message: 'reverted', data: { data: '0x5274afe7' } })).toBe(true)
    expect(isExecutionError({ code: -32005, message: 'limit exceeded' })).toBe(false)
    expect(isExecutionError({ code: -32603, message: 'internal error', data: 'database locked' })).toBe(false)
  })
})

describe('the fast path on the hot client: one metered call', () => {
  async function request(nonce: bigint, account = users[0] as LocalAccount) {
    const body = await transferBody(chain, account, nonce)
    return {
      request: {
        ...body.request,
        value: 0n,
        gas: BigInt(body.request.gas),
        nonce,
        deadline: BigInt(body.request.deadline),
        data: body.request.data as Hex,
      } satisfies ForwardRequest,
      signature: body.signature as Hex,
    }
  }

  const runtime = (rpcUrl: string) =>
    createChainRuntime({ chainId: CHAIN_ID, rpcUrl, forwarder: chain.forwarder, relayerPrivateKeys: relayerKeys(1) })

  /** A node that refuses each named method once with a rate limit, then answers as anvil does. */
  async function limitedOnce(...methods: string[]) {
    const refused = new Set<string>()
    const proxy = await startProxy(chain.anvil.rpcUrl, (call) => {
      if (!methods.includes(call.method) || refused.has(call.method)) return undefined
      refused.add(call.method)
      return { error: { code: -32005, message: 'limit exceeded' } }
    })
    closing.push(proxy)
    return proxy
  }

  const calls = (proxy: Proxy, method: string) => proxy.bodies.flat().filter((c) => c.method === method).length
  /** What the relay measures for `r` without the meter: its inner call's estimate (`estimatedRequestGas`). */
  const unmetered = async (r: { request: ForwardRequest }) =>
    atMostWorstCase(
      estimatedRequestGas(
        await chain.publicClient.estimateGas({
          account: chain.forwarder,
          to: r.request.to,
          data: concat([r.request.data, r.request.from]),
        }),
      ),
      r.request,
    )

  it('a request that executes is simulated and measured in one eth_call; a revert is not asked again', async () => {
    const proxy = await startProxy(chain.anvil.rpcUrl)
    closing.push(proxy)
    const chainRuntime = runtime(proxy.url)
    const next = await request(0n)
    const asIs = await simulateAsIs(chainRuntime, next.request, next.signature)
    expect(asIs.executes && asIs.measuredGas).toBeGreaterThan(40_000n)
    expect(proxy.bodies.flat().map((c) => c.method)).toEqual(['eth_call'])
    const ahead = await request(1n) // the forwarder refuses a nonce ahead of the chain's
    expect(await simulateAsIs(chainRuntime, ahead.request, ahead.signature)).toEqual({ executes: false })
    expect(proxy.bodies.flat().map((c) => c.method)).toEqual(['eth_call', 'eth_call'])
  })

  it('a node that refuses the call once is asked the old way through viem, and the request executes', async () => {
    const proxy = await limitedOnce('eth_call')
    const next = await request(0n)
    expect(await simulateAsIs(runtime(proxy.url), next.request, next.signature)).toEqual({
      executes: true,
      measuredGas: await unmetered(next),
    })
    expect(calls(proxy, 'eth_call')).toBe(2)
    expect(calls(proxy, 'eth_estimateGas')).toBe(1)
  })

  it('a batch answered with HTTP 503 is asked the old way through viem, and the request executes', async () => {
    const proxy = await startProxy(chain.anvil.rpcUrl, undefined, { firstStatus: 503 })
    closing.push(proxy)
    const next = await request(0n)
    const asIs = await simulateAsIs(runtime(proxy.url), next.request, next.signature)
    expect(asIs).toEqual({ executes: true, measuredGas: await unmetered(next) })
    expect(calls(proxy, 'eth_call')).toBe(2)
  })

  it('a node that refuses state overrides is asked the old way: eth_call of execute, then the estimate', async () => {
    // As a node without state overrides answers an eth_call with a third parameter.
    const proxy = await startProxy(chain.anvil.rpcUrl, (call) =>
      call.method === 'eth_call' && (call.params?.length ?? 0) > 2
        ? { error: { code: -32602, message: 'too many arguments, want at most 2' } }
        : undefined,
    )
    closing.push(proxy)
    const chainRuntime = runtime(proxy.url)
    const next = await request(0n)
    const measuredGas = await unmetered(next)
    expect(measuredGas).toBeGreaterThan(40_000n)
    expect(await simulateAsIs(chainRuntime, next.request, next.signature)).toEqual({ executes: true, measuredGas })
    expect(proxy.bodies.flat().map((c) => [c.method, c.params?.length])).toEqual([
      ['eth_call', 3], // the meter, refused
      ['eth_call', 2], // execute on the forwarder
      ['eth_estimateGas', 2],
    ])
    const ahead = await request(1n)
    expect(await simulateAsIs(chainRuntime, ahead.request, ahead.signature)).toEqual({ executes: false })
  })

  it('measures the same gas there when the node refuses the estimate once (asked again through viem)', async () => {
    let refusedEstimate = false
    const proxy = await startProxy(chain.anvil.rpcUrl, (call) => {
      if (call.method === 'eth_call' && (call.params?.length ?? 0) > 2) {
        return { error: { code: -32602, message: 'too many arguments, want at most 2' } }
      }
      if (call.method !== 'eth_estimateGas' || refusedEstimate) return undefined
      refusedEstimate = true
      return { error: { code: -32005, message: 'limit exceeded' } }
    })
    closing.push(proxy)
    const next = await request(0n)
    const measuredGas = await unmetered(next)
    expect(await simulateAsIs(runtime(proxy.url), next.request, next.signature)).toEqual({
      executes: true,
      measuredGas,
    })
    expect(calls(proxy, 'eth_estimateGas')).toBe(2)
  })

  it('a node that ignores state overrides (0x from an empty address) is asked the old way, a revert stays one', async () => {
    const proxy = await startProxy(chain.anvil.rpcUrl, undefined, {
      rewrite: (call) => (call.method === 'eth_call' ? { ...call, params: call.params?.slice(0, 2) } : call),
    })
    closing.push(proxy)
    const chainRuntime = runtime(proxy.url)
    const ahead = await request(1n)
    expect(await simulateAsIs(chainRuntime, ahead.request, ahead.signature)).toEqual({ executes: false })
    const next = await request(0n)
    expect(await simulateAsIs(chainRuntime, next.request, next.signature)).toEqual({
      executes: true,
      measuredGas: await unmetered(next),
    })
    expect(calls(proxy, 'eth_estimateGas')).toBe(1)
  })

  it("answers the submit path's calls as viem's HTTP JSON-RPC client does (results and reverts)", async () => {
    const next = await request(0n)
    const ahead = await request(1n)
    const relayer = privateKeyToAccount(relayerKeys(1)[0] as Hex).address
    const call = (r: { request: ForwardRequest; signature: Hex }) => [
      { from: relayer, to: chain.forwarder, value: '0x0', data: encodeExecuteCall(r.request, r.signature) },
      'latest',
    ]
    const metered = (r: { request: ForwardRequest; signature: Hex }) => [
      {
        from: relayer,
        to: GAS_METER_ADDRESS,
        value: '0x0',
        data: encodeMeterCall(chain.forwarder, encodeExecuteCall(r.request, r.signature)),
      },
      'latest',
      { [GAS_METER_ADDRESS]: { code: gasMeterRuntimeBytecode } },
    ]
    const calls: Array<[string, unknown[]]> = [
      ['eth_call', call(next)],
      ['eth_call', call(ahead)], // reverts: ERC2771ForwarderInvalidSigner
      ['eth_call', metered(next)],
      ['eth_call', metered(ahead)], // reverts with the same data
      [
        'eth_estimateGas',
        [
          { from: chain.forwarder, to: next.request.to, data: concat([next.request.data, next.request.from]) },
          'latest',
        ],
      ],
      ['eth_estimateGas', [{ from: chain.forwarder, to: chain.forwarder, data: '0xdeadbeef' }, 'latest']], // reverts
      ['eth_chainId', []],
    ]
    const hot = await together(createHotRpc(chain.anvil.rpcUrl, { timeoutMs: 5_000, batchSize: 64 }), calls)
    const viem = await getHttpRpcClient(chain.anvil.rpcUrl).request({
      body: calls.map(([method, params], id) => ({ jsonrpc: '2.0' as const, id, method, params })),
    })
    expect(hot).toEqual(
      viem.map((answer) => ('error' in answer && answer.error ? { error: answer.error } : { result: answer.result })),
    )
    expect(hot.filter((answer) => answer.error !== undefined)).toHaveLength(3)
    // The meter re-raises the forwarder's revert data byte for byte.
    expect(hot[3]?.error?.data).toBe(hot[1]?.error?.data)
    expect(String(hot[1]?.error?.data).length).toBeGreaterThan(10)
    expect(String(hot[2]?.result)).toMatch(/^0x[0-9a-f]{64}$/)
  })

  it('an unreachable node is ChainUnavailableError', async () => {
    const next = await request(0n)
    const down = runtime(`http://127.0.0.1:${await freePort()}`)
    expect(await simulateAsIs(down, next.request, next.signature).catch((e: unknown) => e)).toBeInstanceOf(
      ChainUnavailableError,
    )
  })

  it('one accepted submission costs the node one call: the metered eth_call (no eth_estimateGas)', async () => {
    const proxy = await startProxy(chain.anvil.rpcUrl)
    closing.push(proxy)
    const base = relayConfig(chain)
    const relay = await startRelay({
      ...base,
      port: 0,
      // No relayer keys: no batcher polls the node meanwhile.
      chains: [{ chainId: CHAIN_ID, rpcUrl: proxy.url, forwarder: chain.forwarder, relayerPrivateKeys: [] }],
      sites: {
        ...base.sites,
        pk_calls: {
          origins: [ORIGIN],
          targets: [{ address: chain.token, functions: ['transfer(address to, uint256 amount)'] }],
          dailyBudgetWei: 'unlimited',
        },
      },
      limits: { perIp: false, perSender: false },
    })
    closing.push(relay)
    const sender = users[1] as LocalAccount
    const before = proxy.bodies.length
    const accepted = await post(relay.url, await transferBody(chain, sender, 0n), 'pk_calls', ORIGIN)
    expect(accepted.status).toBe(202)
    expect(
      proxy.bodies
        .slice(before)
        .flat()
        .map((c) => c.method),
    ).toEqual(['eth_call'])

    // The sender's next request, ahead of the chain's nonce: the pinned-nonce simulation measures it in its call.
    const after = proxy.bodies.length
    const ahead = await post(relay.url, await transferBody(chain, sender, 1n), 'pk_calls', ORIGIN)
    expect(ahead.status).toBe(202)
    const aheadCalls = proxy.bodies.slice(after).flat()
    expect(aheadCalls.filter((c) => c.method === 'eth_estimateGas')).toEqual([])
    const [first, second] = await Promise.all([
      relay.store.get(accepted.json.id ?? ''),
      relay.store.get(ahead.json.id ?? ''),
    ])
    // Its nonce write (1 → 2) costs 17,100 less than the first's (0 → 1), its transfer the same.
    expect((first?.measuredGas ?? 0n) - (second?.measuredGas ?? 0n)).toBe(17_100n)
  })
})

// The submit path's own JSON-RPC client (evm/hotPath/hotRpc.ts) against a real node (anvil) behind a
// recording proxy, and what the fast path and the gas measurement do with an answer that is not a
// result or a revert: they ask again through viem, as they did before the client existed.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { freePort } from '@tokentags/testkit'
import { concat, type Hex, type LocalAccount } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { getHttpRpcClient } from 'viem/utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChainRuntime } from '../../src/evm/chain.js'
import { ChainUnavailableError } from '../../src/evm/errors.js'
import { encodeExecuteCall } from '../../src/evm/hotPath/encodeExecute.js'
import {
  createHotRpc,
  HotRpcTimeoutError,
  HotRpcTransportError,
  isExecutionError,
} from '../../src/evm/hotPath/hotRpc.js'
import { measureRequestGas } from '../../src/evm/reservation.js'
import { executesAsIs } from '../../src/evm/simulate.js'
import type { ForwardRequest } from '../../src/store/types.js'
import { CHAIN_ID, setupChain, type TestChain } from '../helpers.js'
import { fundedUsers, relayerKeys, transferBody } from '../support/load.js'

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
 * `answer` returns something for it (the rest go to the node).
 */
async function startProxy(
  target: string,
  answer?: (call: Call) => object | undefined,
  options: { firstStatus?: number } = {},
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
      const forwarded = calls.filter((_, i) => own[i] === undefined)
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

describe('the fast path and the gas measurement on the hot client', () => {
  async function request(nonce: bigint): Promise<{ request: ForwardRequest; signature: Hex }> {
    const body = await transferBody(chain, users[0] as LocalAccount, nonce)
    return {
      request: {
        ...body.request,
        value: 0n,
        gas: BigInt(body.request.gas),
        nonce,
        deadline: BigInt(body.request.deadline),
        data: body.request.data as Hex,
      },
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

  it('a request that executes is true, asked once; a revert is false and not asked again', async () => {
    const proxy = await startProxy(chain.anvil.rpcUrl)
    closing.push(proxy)
    const chainRuntime = runtime(proxy.url)
    const next = await request(0n)
    expect(await executesAsIs(chainRuntime, next.request, next.signature, [])).toBe(true)
    expect(calls(proxy, 'eth_call')).toBe(1)
    const ahead = await request(1n) // the forwarder refuses a nonce ahead of the chain's
    expect(await executesAsIs(chainRuntime, ahead.request, ahead.signature, [])).toBe(false)
    expect(calls(proxy, 'eth_call')).toBe(2)
  })

  it('a node that refuses the call once is asked again through viem, and the request executes', async () => {
    const proxy = await limitedOnce('eth_call')
    const next = await request(0n)
    expect(await executesAsIs(runtime(proxy.url), next.request, next.signature, [])).toBe(true)
    expect(calls(proxy, 'eth_call')).toBe(2)
  })

  it('a batch answered with HTTP 503 is asked again through viem, and the request executes', async () => {
    const proxy = await startProxy(chain.anvil.rpcUrl, undefined, { firstStatus: 503 })
    closing.push(proxy)
    const next = await request(0n)
    expect(await executesAsIs(runtime(proxy.url), next.request, next.signature, [])).toBe(true)
    expect(calls(proxy, 'eth_call')).toBe(2)
  })

  it("answers the submit path's calls as viem's HTTP JSON-RPC client does (results and reverts)", async () => {
    const next = await request(0n)
    const ahead = await request(1n)
    const relayer = privateKeyToAccount(relayerKeys(1)[0] as Hex).address
    const call = (r: { request: ForwardRequest; signature: Hex }) => [
      { from: relayer, to: chain.forwarder, value: '0x0', data: encodeExecuteCall(r.request, r.signature) },
      'latest',
    ]
    const calls: Array<[string, unknown[]]> = [
      ['eth_call', call(next)],
      ['eth_call', call(ahead)], // reverts: ERC2771ForwarderInvalidSigner
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
    expect(hot.filter((answer) => answer.error !== undefined)).toHaveLength(2)
  })

  it('an unreachable node is ChainUnavailableError', async () => {
    const next = await request(0n)
    const down = runtime(`http://127.0.0.1:${await freePort()}`)
    expect(await executesAsIs(down, next.request, next.signature, []).catch((e: unknown) => e)).toBeInstanceOf(
      ChainUnavailableError,
    )
  })

  it('measures the same gas when the node refuses the estimate once (asked again through viem)', async () => {
    const next = await request(0n)
    const direct = await measureRequestGas(runtime(chain.anvil.rpcUrl), next.request)
    expect(direct).toBeGreaterThan(40_000n)
    const proxy = await limitedOnce('eth_estimateGas')
    expect(await measureRequestGas(runtime(proxy.url), next.request)).toBe(direct)
    expect(calls(proxy, 'eth_estimateGas')).toBe(2)
  })
})

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type Hex, keccak256, parseTransaction } from 'viem'

/** One JSON-RPC call that went through the proxy, with the node's answer. */
export interface RpcCall {
  method: string
  params: unknown[]
  result?: unknown
  error?: string
}

/** A raw transaction the relay broadcast, decoded. */
export interface SentRaw {
  hash: Hex
  nonce: number
  maxFeePerGas: bigint
  /** The node's refusal, if it refused it. */
  error?: string
}

export interface RpcProxy {
  url: string
  /** Every call so far, in the order the node answered them. */
  calls: RpcCall[]
  /** `eth_sendRawTransaction` calls so far, decoded. */
  sends(): SentRaw[]
  close(): Promise<void>
}

interface JsonRpcRequest {
  id?: unknown
  method: string
  params?: unknown[]
}

interface JsonRpcResponse {
  id?: unknown
  result?: unknown
  error?: { message?: string }
}

/**
 * A transparent JSON-RPC proxy in front of a real node (anvil) that records what the relay asked
 * and what the node answered: the relay's traffic is what its tests assert on, not its internals.
 */
export async function startRpcProxy(target: string): Promise<RpcProxy> {
  const calls: RpcCall[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8')
      try {
        const upstream = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
        const text = await upstream.text()
        record(calls, body, text)
        res.writeHead(upstream.status, { 'content-type': 'application/json' })
        res.end(text)
      } catch {
        res.writeHead(502)
        res.end()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    sends() {
      return calls
        .filter((c) => c.method === 'eth_sendRawTransaction')
        .map((c) => {
          const raw = c.params[0] as Hex
          const tx = parseTransaction(raw)
          return {
            hash: keccak256(raw),
            nonce: tx.nonce ?? -1,
            maxFeePerGas: tx.maxFeePerGas ?? 0n,
            ...(c.error === undefined ? {} : { error: c.error }),
          }
        })
    },
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function record(calls: RpcCall[], body: string, text: string): void {
  let requests: JsonRpcRequest[]
  let responses: JsonRpcResponse[]
  try {
    const parsed = JSON.parse(body) as JsonRpcRequest | JsonRpcRequest[]
    const answered = JSON.parse(text) as JsonRpcResponse | JsonRpcResponse[]
    requests = Array.isArray(parsed) ? parsed : [parsed]
    responses = Array.isArray(answered) ? answered : [answered]
  } catch {
    return
  }
  for (const request of requests) {
    const response = responses.find((r) => r.id === request.id)
    calls.push({
      method: request.method,
      params: request.params ?? [],
      ...(response?.error ? { error: response.error.message ?? 'error' } : { result: response?.result }),
    })
  }
}

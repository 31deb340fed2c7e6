// Hot path (README, "Hot path"): replaces viem's HTTP transport for the submit path's two node calls;
// with it (and smaller trims) the relay's CPU per accepted request went from 1.07 to 0.74 ms (memory
// store) and from 1.16 to 0.77 ms (Redis), paired rounds in the README's Benchmarks (2026-12-06).
// Reference test: test/hotPath/hotRpc.test.ts, against a real node (anvil) and viem's HTTP JSON-RPC
// client's answers to the same calls.
//
// The submit path's per-request node calls (the fast path's `eth_call`, the gas measurement's
// `eth_estimateGas`) as bare JSON-RPC over a keep-alive node:http agent, one batch per event-loop
// turn. Through viem's transport each call cost about as much relay CPU as the route's own checks
// (request building, retry and dedupe wrappers, a stringify replacer, fetch's web streams), and its
// batches wait for a `setTimeout(0)`: a millisecond or more during which every submission in the
// batch is parked. Only answers are taken from here: anything that is not a result or an execution
// error goes back through viem, which retries and classifies it as before.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'

/** A JSON-RPC answer: a result, or the node's error object (a revert, a refusal, …). */
export type HotAnswer = { result: unknown; error?: undefined } | { result?: undefined; error: HotRpcError }

export interface HotRpcError {
  code: number
  message: string
  data?: unknown
}

export interface HotRpc {
  /** Queues the call into this turn's batch. Rejects when the batch got no answer for it (network, timeout, HTTP). */
  request(method: string, params: readonly unknown[]): Promise<HotAnswer>
}

export interface HotRpcOptions {
  /** Per batch, as the chain's viem transport. */
  timeoutMs: number
  /** Calls per HTTP request at most; a longer turn goes as several (JSON-RPC providers cap batches). */
  batchSize: number
}

/** The batch got no usable answer: the node could not be reached, answered an HTTP error or no JSON-RPC. */
export class HotRpcTransportError extends Error {
  override name = 'HotRpcTransportError'
}

/** The node did not answer within the timeout. */
export class HotRpcTimeoutError extends HotRpcTransportError {
  override name = 'HotRpcTimeoutError'
}

/** JSON-RPC error codes of an execution failure (a revert) rather than a node that cannot answer. */
const EXECUTION_CODES = new Set([3, -32000, -32003])
/** As viem's HTTP client: a node answering more than this is not a node the relay should wait on. */
const MAX_RESPONSE_BYTES = 10 * 1024 * 1024

/** True when the node ran the call and it failed (a revert, with or without data): an answer, not an outage. */
export function isExecutionError(error: HotRpcError): boolean {
  if (EXECUTION_CODES.has(error.code)) return true
  // Revert data, bare or nested as some nodes send it (what `revertData` reads from viem's errors).
  const data =
    typeof error.data === 'object' && error.data !== null ? (error.data as { data?: unknown }).data : error.data
  return typeof data === 'string' && data.startsWith('0x')
}

interface Pending {
  method: string
  params: readonly unknown[]
  resolve(answer: HotAnswer): void
  reject(error: unknown): void
}

export function createHotRpc(rpcUrl: string, options: HotRpcOptions): HotRpc {
  const url = new URL(rpcUrl)
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  // Basic credentials in the URL become a header, as viem's HTTP client does.
  if (url.username) {
    const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
    headers.authorization = `Basic ${Buffer.from(credentials).toString('base64')}`
    url.username = ''
    url.password = ''
  }
  const secure = url.protocol === 'https:'
  const send = secure ? httpsRequest : httpRequest
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true })
  // Resolved once: node:http converts a URL into these on every request otherwise.
  const target = {
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port,
    path: `${url.pathname}${url.search}`,
  }
  let queue: Pending[] = []

  const post = (body: string) =>
    new Promise<unknown>((resolve, reject) => {
      const req = send(
        {
          ...target,
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          timeout: options.timeoutMs,
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = []
          let size = 0
          res.on('data', (chunk: Buffer) => {
            size += chunk.length
            if (size > MAX_RESPONSE_BYTES) {
              res.destroy()
              reject(new HotRpcTransportError(`the node answered more than ${MAX_RESPONSE_BYTES} bytes`))
              return
            }
            chunks.push(chunk)
          })
          res.on('error', (error) => reject(new HotRpcTransportError(error.message, { cause: error })))
          res.on('end', () => {
            if (res.statusCode !== 200) {
              reject(new HotRpcTransportError(`the node answered HTTP ${res.statusCode}`))
              return
            }
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))
            } catch (error) {
              reject(new HotRpcTransportError('the node answered no JSON', { cause: error }))
            }
          })
        },
      )
      req.on('timeout', () => {
        req.destroy()
        reject(new HotRpcTimeoutError(`the node did not answer within ${options.timeoutMs} ms`))
      })
      req.on('error', (error) => reject(new HotRpcTransportError(error.message, { cause: error })))
      req.end(body)
    })

  const answer = async (batch: Pending[]) => {
    try {
      const answers = await post(
        JSON.stringify(batch.map(({ method, params }, id) => ({ jsonrpc: '2.0', id, method, params }))),
      )
      const byId = new Map<unknown, { result?: unknown; error?: HotRpcError }>()
      if (Array.isArray(answers)) for (const entry of answers) if (entry) byId.set(entry.id, entry)
      batch.forEach((pending, id) => {
        const entry = byId.get(id)
        if (entry?.error && typeof entry.error === 'object') pending.resolve({ error: entry.error })
        else if (entry && 'result' in entry) pending.resolve({ result: entry.result })
        else pending.reject(new HotRpcTransportError(`the node's batch answer has no entry for ${pending.method}`))
      })
    } catch (error) {
      for (const pending of batch) pending.reject(error)
    }
  }

  const flush = () => {
    const taken = queue
    queue = []
    for (let i = 0; i < taken.length; i += options.batchSize) void answer(taken.slice(i, i + options.batchSize))
  }

  return {
    request(method, params) {
      return new Promise<HotAnswer>((resolve, reject) => {
        // setImmediate, not a timer: the batch leaves once this turn's submissions have queued their calls.
        if (queue.length === 0) setImmediate(flush)
        queue.push({ method, params, resolve, reject })
      })
    },
  }
}

import { redactUrl } from '../errors.js'

/** A JSON-RPC error answered by the Solana node (`code`, `message`, `data`). */
export class SolanaRpcError extends Error {
  override name = 'SolanaRpcError'
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message)
  }
}

/** The node could not be reached or answered garbage. */
export class SolanaTransportError extends Error {
  override name = 'SolanaTransportError'
}

/** The runtime could not get an answer it needs from the Solana RPC: nothing is known, nothing was sent. */
export class SolanaUnavailableError extends Error {
  override name = 'SolanaUnavailableError'
}

/** The fee payer cannot pay a transaction's fee and rent: the relay's outage (the operator funds it), not a refusal. */
export class FeePayerUnfundedError extends SolanaUnavailableError {
  override name = 'FeePayerUnfundedError'
}

export interface SolanaRpc {
  readonly label: string
  call<T>(method: string, params?: unknown[], options?: { timeoutMs?: number }): Promise<T>
  /** Several calls in one JSON-RPC batch (one HTTP request); rejects with the first error. */
  batch(calls: { method: string; params: unknown[] }[]): Promise<unknown[]>
}

/** A minimal JSON-RPC client: the relay needs a handful of methods, not a full SDK. */
export function createSolanaRpc(url: string): SolanaRpc {
  let nextId = 1
  const label = redactUrl(url)
  type Answer = { id?: number; result?: unknown; error?: { code: number; message: string; data?: unknown } }
  const post = async (payload: unknown, timeoutMs: number): Promise<unknown> => {
    let response: Response
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (error) {
      throw new SolanaTransportError(`solana rpc ${label} unreachable (${(error as Error).name})`, { cause: error })
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {})
      throw new SolanaTransportError(`solana rpc ${label} answered HTTP ${response.status}`)
    }
    try {
      return await response.json()
    } catch (error) {
      throw new SolanaTransportError(`solana rpc ${label} answered no JSON`, { cause: error })
    }
  }
  const unwrap = (answer: Answer | undefined) => {
    if (!answer) throw new SolanaTransportError(`solana rpc ${label} left a call unanswered`)
    if (answer.error) throw new SolanaRpcError(answer.error.code, answer.error.message, answer.error.data)
    return answer.result
  }
  return {
    label,
    async call<T>(method: string, params: unknown[] = [], options: { timeoutMs?: number } = {}) {
      const answer = (await post(
        { jsonrpc: '2.0', id: nextId++, method, params },
        options.timeoutMs ?? 10_000,
      )) as Answer
      return unwrap(answer) as T
    },
    async batch(calls) {
      const first = nextId
      nextId += calls.length
      const answers = await post(
        calls.map((c, i) => ({ jsonrpc: '2.0', id: first + i, method: c.method, params: c.params })),
        10_000,
      )
      if (!Array.isArray(answers)) throw new SolanaTransportError(`solana rpc ${label} answered a batch with no list`)
      const byId = new Map((answers as Answer[]).map((a) => [a.id, a]))
      return calls.map((_, i) => unwrap(byId.get(first + i)))
    },
  }
}

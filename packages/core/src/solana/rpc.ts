import { ReadFailedError } from '../errors.js'
import { redactUrl } from '../internal/redact.js'
import type { SolanaClient } from './client.js'

let nextId = 1

/** One JSON-RPC call to the client's Solana RPC; failures become READ_FAILED. */
export async function solanaRpc<T>(
  client: SolanaClient,
  method: string,
  params: unknown[],
  signal?: AbortSignal,
): Promise<T> {
  let body: { result?: T; error?: { code: number; message: string } }
  try {
    const response = await fetch(client.rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
      signal: signal ?? null,
    })
    if (!response.ok) throw new Error(`HTTP ${response.status}`)
    body = (await response.json()) as typeof body
  } catch (error) {
    throw new ReadFailedError(`The Solana RPC did not answer ${method}.`, {
      details: `${redactUrl(client.rpcUrl)}: ${(error as Error).message}`,
      cause: error,
    })
  }
  if (body.error) {
    throw new ReadFailedError(`The Solana RPC refused ${method}.`, {
      details: `${body.error.code}: ${body.error.message}`,
    })
  }
  return body.result as T
}

export interface RpcAccount {
  owner: string
  lamports: number
  data: Uint8Array
}

export async function getAccount(
  client: SolanaClient,
  address: string,
  signal?: AbortSignal,
): Promise<RpcAccount | null> {
  const { value } = await solanaRpc<{
    value: { owner: string; lamports: number; data: [string, string] } | null
  }>(client, 'getAccountInfo', [address, { encoding: 'base64', commitment: 'confirmed' }], signal)
  if (!value) return null
  const binary = atob(value.data[0])
  const data = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) data[i] = binary.charCodeAt(i)
  return { owner: value.owner, lamports: value.lamports, data }
}

import type { Address } from 'viem'
import type { TokenTagsClient } from '../client.js'
import {
  AbortedError,
  RelayOriginNotAllowedError,
  RelayRejectedError,
  RelayUnreachableError,
  TimeoutError,
  TokenTagsError,
} from '../errors.js'
import {
  FINAL_REQUEST_STATUSES,
  type HumanCheckField,
  type RequestStatus,
  type RequestView,
  type SubmitAccepted,
  type SubmitRequestBody,
} from '../protocol.js'

export interface RelayChainConfig {
  chainId: number
  forwarder: Address
  relayers: Address[]
  domain: { name: string; version: string }
}

export type RelayStatus = RequestStatus

/** What `GET /v1/requests/:id` and its SSE events carry for an EVM request. */
export type RelayRequestState = RequestView

/** What the relay helpers need of a client: the EVM client and the Solana client both fit. */
export type RelayEndpoint = Pick<TokenTagsClient, 'relayUrl' | 'siteKey'>

export const FINAL_STATUSES: ReadonlySet<string> = new Set(FINAL_REQUEST_STATUSES)

function requireRelayUrl(client: RelayEndpoint): string {
  if (!client.relayUrl) throw new RelayUnreachableError({ url: '(none)', details: 'No relayUrl is configured.' })
  return client.relayUrl
}

/**
 * fetch + the relay's error contract: network errors and 5xx → RELAY_UNREACHABLE, 403 `ORIGIN_NOT_ALLOWED` (or a
 * CORS refusal, see `corsRefused`) → RELAY_ORIGIN_NOT_ALLOWED, other 4xx → RELAY_REJECTED.
 */
export async function relayFetch(
  client: RelayEndpoint,
  path: string,
  init: RequestInit & { signal?: AbortSignal | undefined } = {},
): Promise<Response> {
  const url = `${requireRelayUrl(client)}${path}`
  const headers = new Headers(init.headers)
  if (client.siteKey) headers.set('x-tokentags-site', client.siteKey)
  let response: Response
  try {
    response = await fetch(url, { ...init, headers })
  } catch (error) {
    if (init.signal?.aborted) throw new AbortedError({ cause: init.signal.reason })
    const origin = await corsRefused(url, init.signal)
    if (origin) throw new RelayOriginNotAllowedError({ origin, cause: error })
    throw new RelayUnreachableError({ url, cause: error })
  }
  if (response.status >= 500) {
    await response.body?.cancel().catch(() => {})
    throw new RelayUnreachableError({ url, status: response.status })
  }
  if (response.status >= 400) {
    let code = `HTTP_${response.status}`
    let message: string | undefined
    try {
      // Read warily (`RelayErrorBody` from the relay; a proxy in front of it may answer its own 4xx).
      const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } }
      if (typeof body.error?.code === 'string') code = body.error.code
      if (typeof body.error?.message === 'string') message = body.error.message
    } catch {}
    if (code === 'ORIGIN_NOT_ALLOWED') throw new RelayOriginNotAllowedError({ origin: pageOrigin() })
    throw new RelayRejectedError({ relayCode: code, relayMessage: message, status: response.status })
  }
  return response
}

function pageOrigin(): string | undefined {
  const origin = (globalThis as { location?: { origin?: unknown } }).location?.origin
  return typeof origin === 'string' && origin !== 'null' ? origin : undefined
}

/**
 * The page's origin if a failed cross-origin fetch was a CORS refusal rather than an outage. A browser hides the
 * difference (both are a TypeError); a `no-cors` request, which needs no permission and sends no custom header,
 * still resolves (opaque) when the relay answers, and fails like the first when it is down.
 */
async function corsRefused(url: string, signal: AbortSignal | null | undefined): Promise<string | undefined> {
  const origin = pageOrigin()
  if (!origin) return undefined
  let target: URL
  try {
    target = new URL(url)
  } catch {
    return undefined
  }
  if (target.origin === origin) return undefined
  try {
    await fetch(`${target.origin}${target.pathname.replace(/\/v1\/.*$/, '')}/v1/health`, {
      mode: 'no-cors',
      cache: 'no-store',
      credentials: 'omit',
      ...(signal && { signal }),
    })
    return origin
  } catch {
    return undefined
  }
}

async function readJson<T>(response: Response, url: string): Promise<T> {
  try {
    return (await response.json()) as T
  } catch (error) {
    throw new RelayUnreachableError({
      url,
      status: response.status,
      details: 'The relay answered no JSON.',
      cause: error,
    })
  }
}

/** The relay's config for one chain, cached per client (a failed fetch is retried next time); undefined if unsupported. */
export async function getRelayChainConfig(
  client: TokenTagsClient,
  chainId: number,
  signal?: AbortSignal,
): Promise<RelayChainConfig | undefined> {
  const cache = client._internal.relayConfig
  const key = requireRelayUrl(client)
  let pending = cache.get(key) as Promise<{ chains?: RelayChainConfig[] }> | undefined
  if (!pending) {
    pending = relayFetch(client, '/v1/config', { signal }).then((r) => readJson(r, `${key}/v1/config`))
    cache.set(key, pending)
    pending.catch(() => cache.delete(key))
  }
  const config = await pending
  return config.chains?.find((chain) => Number(chain.chainId) === chainId)
}

/**
 * A human-check token for a site whose relay requires one (issue 13): the token itself, or a function asked for a
 * fresh one right before each submit (a token is good for one request only, so a retry needs a new one).
 */
export type HumanCheck = string | (() => Promise<string>)

/**
 * The token for the submit body. A provider that fails (its script did not load, the check was refused) throws
 * RELAY_REJECTED `HUMAN_CHECK_FAILED`, the relay's own code for a refused token: not a relay outage, so no wallet
 * fallback is offered for it.
 */
export async function resolveHumanCheck(humanCheck: HumanCheck | undefined): Promise<string | undefined> {
  if (humanCheck === undefined || typeof humanCheck === 'string') return humanCheck
  let token: unknown
  try {
    token = await humanCheck()
  } catch (error) {
    if (error instanceof TokenTagsError) throw error
    throw new RelayRejectedError({
      relayCode: 'HUMAN_CHECK_FAILED',
      relayMessage: error instanceof Error ? error.message : 'The human check did not pass.',
      cause: error,
    })
  }
  if (typeof token !== 'string' || token === '')
    throw new RelayRejectedError({ relayCode: 'HUMAN_CHECK_FAILED', relayMessage: 'The human check gave no token.' })
  return token
}

export async function postForwardRequest(
  client: TokenTagsClient,
  chainId: number,
  body: SubmitRequestBody,
  signal?: AbortSignal,
  humanCheck?: HumanCheck,
): Promise<SubmitAccepted> {
  const token = await resolveHumanCheck(humanCheck)
  const response = await relayFetch(client, `/v1/evm/${chainId}/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(
      token === undefined ? body : ({ ...body, humanCheck: token } satisfies SubmitRequestBody & HumanCheckField),
    ),
    signal,
  })
  return readJson(response, `${client.relayUrl}/v1/evm/${chainId}/requests`)
}

/** A request's view as the relay sends it: `RequestView` (EVM) or `SolanaRequestView`. */
type View = { status: RequestStatus }

export interface FollowOptions<V extends View = RelayRequestState> {
  signal?: AbortSignal | undefined
  timeoutMs: number
  onUpdate: (state: NoInfer<V>) => void
  /** Polling interval when SSE is not available (ms). */
  pollInterval?: number
}

/**
 * Follows a request to a final status: server-sent events first, polling `GET /v1/requests/:id` when the
 * stream cannot be opened or ends early.
 */
export async function followRequest<V extends View = RelayRequestState>(
  client: RelayEndpoint,
  id: string,
  options: FollowOptions<V>,
): Promise<V> {
  const controller = new AbortController()
  const outer = options.signal
  const onAbort = () => controller.abort(outer?.reason)
  outer?.addEventListener('abort', onAbort, { once: true })
  const timer = setTimeout(
    () => controller.abort(new TimeoutError({ timeoutMs: options.timeoutMs })),
    options.timeoutMs,
  )
  const signal = controller.signal
  try {
    const viaSse = await followSse(client, id, signal, options.onUpdate).catch((error: unknown) => {
      if (signal.aborted) throw error
      return undefined
    })
    if (viaSse) return viaSse
    return await poll(client, id, signal, options)
  } catch (error) {
    if (signal.aborted) {
      if (signal.reason instanceof TimeoutError) throw signal.reason
      throw new AbortedError({ cause: signal.reason ?? error })
    }
    throw error
  } finally {
    clearTimeout(timer)
    outer?.removeEventListener('abort', onAbort)
  }
}

async function followSse<V extends View>(
  client: RelayEndpoint,
  id: string,
  signal: AbortSignal,
  onUpdate: (state: V) => void,
): Promise<V | undefined> {
  const response = await relayFetch(client, `/v1/requests/${encodeURIComponent(id)}/events`, {
    headers: { accept: 'text/event-stream' },
    signal,
  })
  if (!response.body || !response.headers.get('content-type')?.includes('text/event-stream')) {
    await response.body?.cancel().catch(() => {})
    return undefined
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return undefined
      buffer += value
      const blocks = buffer.split(/\r?\n\r?\n/)
      buffer = blocks.pop() ?? ''
      for (const block of blocks) {
        let event = 'message'
        const data: string[] = []
        for (const line of block.split(/\r?\n/)) {
          if (line.startsWith(':')) continue
          const colon = line.indexOf(':')
          const field = colon === -1 ? line : line.slice(0, colon)
          const text = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '')
          if (field === 'event') event = text
          else if (field === 'data') data.push(text)
        }
        if (data.length === 0 || (event !== 'status' && event !== 'message')) continue
        let state: V
        try {
          state = JSON.parse(data.join('\n')) as V
        } catch {
          continue
        }
        onUpdate(state)
        if (FINAL_STATUSES.has(state.status)) return state
      }
    }
  } finally {
    reader.cancel().catch(() => {})
  }
}

async function poll<V extends View>(
  client: RelayEndpoint,
  id: string,
  signal: AbortSignal,
  options: FollowOptions<V>,
): Promise<V> {
  let interval = options.pollInterval ?? 500
  let failures = 0
  for (;;) {
    try {
      const response = await relayFetch(client, `/v1/requests/${encodeURIComponent(id)}`, { signal })
      const state = await readJson<V>(response, `${client.relayUrl}/v1/requests/${id}`)
      failures = 0
      options.onUpdate(state)
      if (FINAL_STATUSES.has(state.status)) return state
    } catch (error) {
      // The request is already queued: ride out short outages, give up after a run of them.
      if (!(error instanceof RelayUnreachableError) || ++failures >= 5) throw error
    }
    await sleep(interval, signal)
    interval = Math.min(interval * 1.5, 3_000)
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

// A loopback WalletConnect v2 relay for tests. It stands in for WalletConnect's relay service
// (relay.walletconnect.org), which cannot be reached from this machine: just enough of its `irn` JSON-RPC API
// (`@walletconnect/relay-api`) for two `@walletconnect/sign-client` 2.25 clients to pair, settle a session and
// exchange requests. Messages are end-to-end encrypted by the clients; the relay only routes opaque strings by topic.
// Not a product: no auth checks, no rate limits, one process, memory only.
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import { WebSocket, WebSocketServer } from 'ws'

export interface StartWalletConnectRelayOptions {
  /** Port on 127.0.0.1 (default: any free port). */
  port?: number
  /** WebSocket ping period in ms (default 15 000): clients drop a socket that is silent for about 35 s. */
  pingIntervalMs?: number
}

/** One message the relay saw, for assertions: the ciphertext stays opaque. */
export interface RelayedMessage {
  topic: string
  tag: number
  /** The JSON-RPC method that carried it: `irn_publish`, `wc_proposeSession` or `wc_approveSession`. */
  via: string
  /** How many connections it went to so far (subscribers then, and later ones from the mailbox). */
  delivered: number
}

export interface WalletConnectRelay {
  /** `ws://127.0.0.1:<port>`: the sign client's `relayUrl`. */
  readonly url: string
  readonly port: number
  /** Every message published so far, in order. */
  readonly published: readonly RelayedMessage[]
  /** Client ids (the `iss` of each connection's auth JWT) connected now. */
  clients(): string[]
  /** Client ids subscribed to `topic` now: a client that unsubscribed or closed its socket is gone from it. */
  subscribers(topic: string): string[]
  close(): Promise<void>
}

interface StoredMessage {
  topic: string
  message: string
  publishedAt: number
  tag: number
  attestation: string | undefined
  expiresAt: number
  sender: WebSocket
  deliveredTo: WeakSet<WebSocket>
  record: RelayedMessage
}

interface JsonRpcRequest {
  id: number | string
  jsonrpc: '2.0'
  method: string
  params?: Record<string, unknown>
}

/** A topic-routing JSON-RPC error (`code` as in JSON-RPC 2.0). */
class RelayRpcError extends Error {
  override name = 'RelayRpcError'
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message)
  }
}

const DEFAULT_TTL_SECONDS = 300
// The tags sign-client 2.25 gives these messages when it publishes them one by one (ENGINE_RPC_OPTS).
const TAG_SESSION_PROPOSE = 1100
const TAG_SESSION_PROPOSE_RESPONSE = 1101
const TAG_SESSION_SETTLE = 1102

/**
 * Starts the relay on 127.0.0.1. Give its `url` as `relayUrl` to both sign clients (any `projectId`).
 *
 * @example
 * const relay = await startWalletConnectRelay()
 * const dapp = await SignClient.init({ projectId: 'test', relayUrl: relay.url, customStoragePrefix: 'dapp' })
 */
export async function startWalletConnectRelay(
  options: StartWalletConnectRelayOptions = {},
): Promise<WalletConnectRelay> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: options.port ?? 0 })
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const port = (server.address() as AddressInfo).port
  const subscribers = new Map<string, Map<WebSocket, string>>()
  const mailbox = new Map<string, StoredMessage[]>()
  const clientIds = new Map<WebSocket, string>()
  const published: RelayedMessage[] = []
  let nextId = Date.now() * 1000

  const send = (socket: WebSocket, payload: unknown) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload))
  }

  const deliver = (socket: WebSocket, stored: StoredMessage, subscriptionId: string) => {
    if (stored.sender === socket || stored.deliveredTo.has(socket)) return
    stored.deliveredTo.add(socket)
    stored.record.delivered++
    send(socket, {
      id: nextId++,
      jsonrpc: '2.0',
      method: 'irn_subscription',
      params: {
        id: subscriptionId,
        data: {
          topic: stored.topic,
          message: stored.message,
          publishedAt: stored.publishedAt,
          tag: stored.tag,
          ...(stored.attestation && { attestation: stored.attestation }),
        },
      },
    })
  }

  const liveMessages = (topic: string): StoredMessage[] => {
    const now = Date.now()
    const kept = (mailbox.get(topic) ?? []).filter((m) => m.expiresAt > now)
    if (kept.length) mailbox.set(topic, kept)
    else mailbox.delete(topic)
    return kept
  }

  const subscribe = (socket: WebSocket, topic: string): string => {
    let sockets = subscribers.get(topic)
    if (!sockets) {
      sockets = new Map()
      subscribers.set(topic, sockets)
    }
    let id = sockets.get(socket)
    if (!id) {
      id = randomBytes(32).toString('hex')
      sockets.set(socket, id)
    }
    // The mailbox: a proposal is published before the wallet pairs, a settlement before the dapp subscribes.
    for (const stored of liveMessages(topic)) deliver(socket, stored, id)
    return id
  }

  const publish = (
    sender: WebSocket,
    via: string,
    topic: unknown,
    message: unknown,
    ttl: unknown,
    tag: unknown,
    attestation?: unknown,
  ) => {
    if (typeof topic !== 'string' || !topic) throw new RelayRpcError(-32602, `${via}: a topic is required`)
    if (typeof message !== 'string' || !message) throw new RelayRpcError(-32602, `${via}: a message is required`)
    const ttlSeconds = typeof ttl === 'number' && ttl > 0 ? ttl : DEFAULT_TTL_SECONDS
    const stored: StoredMessage = {
      topic,
      message,
      publishedAt: Date.now(),
      tag: typeof tag === 'number' ? tag : 0,
      attestation: typeof attestation === 'string' ? attestation : undefined,
      expiresAt: Date.now() + ttlSeconds * 1000,
      sender,
      deliveredTo: new WeakSet(),
      record: { topic, tag: typeof tag === 'number' ? tag : 0, via, delivered: 0 },
    }
    mailbox.set(topic, [...liveMessages(topic), stored])
    published.push(stored.record)
    for (const [socket, id] of subscribers.get(topic) ?? []) deliver(socket, stored, id)
  }

  const handle = (socket: WebSocket, request: JsonRpcRequest): unknown => {
    const params = request.params ?? {}
    switch (request.method) {
      case 'irn_subscribe':
        if (typeof params.topic !== 'string') throw new RelayRpcError(-32602, 'irn_subscribe: a topic is required')
        return subscribe(socket, params.topic)
      case 'irn_batchSubscribe':
        if (!Array.isArray(params.topics)) throw new RelayRpcError(-32602, 'irn_batchSubscribe: topics are required')
        return params.topics.map((topic) => subscribe(socket, String(topic)))
      case 'irn_unsubscribe':
        if (typeof params.topic === 'string') subscribers.get(params.topic)?.delete(socket)
        return true
      case 'irn_batchUnsubscribe':
        for (const entry of Array.isArray(params.subscriptions) ? params.subscriptions : []) {
          const topic = (entry as { topic?: unknown }).topic
          if (typeof topic === 'string') subscribers.get(topic)?.delete(socket)
        }
        return true
      case 'irn_publish':
        publish(socket, request.method, params.topic, params.message, params.ttl, params.tag, params.attestation)
        return true
      // Messages already go out on subscribe (the mailbox above), so there is never a backlog to fetch.
      case 'irn_batchFetchMessages':
        return { messages: [], hasMore: false }
      // sign-client 2.25 hands the relay a whole step of the session handshake at once: the relay subscribes the
      // sender to the topic it will hear the answer on, and publishes each message on its own topic.
      case 'wc_proposeSession':
        if (typeof params.pairingTopic === 'string') subscribe(socket, params.pairingTopic)
        publish(
          socket,
          request.method,
          params.pairingTopic,
          params.sessionProposal,
          params.ttl,
          TAG_SESSION_PROPOSE,
          params.attestation,
        )
        return true
      case 'wc_approveSession':
        if (typeof params.sessionTopic === 'string') subscribe(socket, params.sessionTopic)
        publish(
          socket,
          request.method,
          params.pairingTopic,
          params.sessionProposalResponse,
          params.ttl,
          TAG_SESSION_PROPOSE_RESPONSE,
        )
        publish(
          socket,
          request.method,
          params.sessionTopic,
          params.sessionSettlementRequest,
          params.ttl,
          TAG_SESSION_SETTLE,
        )
        return true
      default:
        throw new RelayRpcError(-32601, `Method not found: ${request.method}`)
    }
  }

  server.on('connection', (socket, request) => {
    clientIds.set(socket, clientIdOf(request.url))
    socket.on('message', (data) => {
      let payload: unknown
      try {
        payload = JSON.parse(String(data))
      } catch {
        send(socket, { id: null, jsonrpc: '2.0', error: { code: -32700, message: 'Parse error' } })
        return
      }
      const request = payload as Partial<JsonRpcRequest>
      // Answers to our irn_subscription requests (acknowledgements) need nothing.
      if (typeof request.method !== 'string' || request.id === undefined) return
      try {
        send(socket, { id: request.id, jsonrpc: '2.0', result: handle(socket, request as JsonRpcRequest) })
      } catch (error) {
        const code = error instanceof RelayRpcError ? error.code : -32603
        send(socket, { id: request.id, jsonrpc: '2.0', error: { code, message: (error as Error).message } })
      }
    })
    socket.on('close', () => {
      clientIds.delete(socket)
      for (const sockets of subscribers.values()) sockets.delete(socket)
    })
  })

  const ping = setInterval(() => {
    for (const socket of server.clients) if (socket.readyState === WebSocket.OPEN) socket.ping()
  }, options.pingIntervalMs ?? 15_000)
  ping.unref()

  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    published,
    clients: () => [...clientIds.values()],
    subscribers: (topic) =>
      [...(subscribers.get(topic)?.keys() ?? [])].map((socket) => clientIds.get(socket) ?? 'anonymous'),
    close: async () => {
      clearInterval(ping)
      for (const socket of server.clients) socket.terminate()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** The `iss` claim of the `auth` JWT in the connection URL (`did:key:…`), unverified; `anonymous` without one. */
function clientIdOf(url: string | undefined): string {
  try {
    const auth = new URL(url ?? '/', 'ws://127.0.0.1').searchParams.get('auth')
    const claims = JSON.parse(Buffer.from(auth?.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown }
    return typeof claims.iss === 'string' ? claims.iss : 'anonymous'
  } catch {
    return 'anonymous'
  }
}

import type { SessionTypes } from '@walletconnect/types'
import { getSignClient, type SignClientOptions, type WalletConnectSignClient } from './signClient.js'

/** An EIP-1193 `ProviderRpcError`: what wagmi, viem and core read (`code` 4001 is a user's refusal). */
export class ProviderRpcError extends Error {
  override name = 'ProviderRpcError'
  readonly code: number
  readonly data: unknown
  constructor(code: number, message: string, options: { data?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.data = options.data
  }
}

// WalletConnect's SDK errors for a refusal (USER_REJECTED, _CHAINS, _METHODS, _EVENTS) mean EIP-1193's 4001.
const WC_USER_REJECTED = new Set([5000, 5001, 5002, 5003])

/** A wallet's or the SDK's error as a `ProviderRpcError` (refusals as 4001). */
export function toProviderError(error: unknown): ProviderRpcError {
  if (error instanceof ProviderRpcError) return error
  const { code, message, data } = (error ?? {}) as { code?: unknown; message?: unknown; data?: unknown }
  const text = typeof message === 'string' && message ? message : 'The wallet did not answer the request.'
  if (typeof code === 'number' && (code === 4001 || WC_USER_REJECTED.has(code)))
    return new ProviderRpcError(4001, text, { data, cause: error })
  return new ProviderRpcError(typeof code === 'number' ? code : -32603, text, { data, cause: error })
}

/** The namespaces a page asks for: EVM chains as numbers, Solana chains as CAIP-2 ids. */
export interface SessionRequest {
  evmChains: readonly number[]
  solanaChains: readonly string[]
}

export const EVM_METHODS = [
  'eth_sendTransaction',
  'personal_sign',
  'eth_signTypedData_v4',
  'wallet_switchEthereumChain',
  'wallet_addEthereumChain',
] as const
export const EVM_EVENTS = ['accountsChanged', 'chainChanged'] as const
export const SOLANA_METHODS = ['solana_signTransaction', 'solana_signMessage'] as const

type Listener = (session: SessionTypes.Struct | undefined) => void

/**
 * The page's WalletConnect session: pairs on demand (one pairing at a time; callers of `connect` while a
 * pairing is open share it), restores a live session the sign client kept, and tells listeners of every change.
 * The EIP-1193 provider and the Solana wallet are two views of it.
 */
export interface SessionController {
  readonly session: SessionTypes.Struct | undefined
  /** The pairing URI of the open pairing, while one is open. */
  readonly uri: string | undefined
  connect(): Promise<SessionTypes.Struct>
  /**
   * Gives up the open pairing at once (the visitor closed its QR code or stopped waiting for the phone): its proposal
   * is withdrawn and the pairing deleted, so a later approval from the phone connects nothing; `connect` calls waiting
   * on it fail with 4001, and the next `connect` opens a new pairing. Nothing happens without an open pairing.
   */
  cancel(): Promise<void>
  disconnect(): Promise<void>
  request<T>(chainId: string, method: string, params: unknown): Promise<T>
  /** Called with each new pairing URI (show it as a QR code or hand it to a wallet app). */
  onDisplayUri(listener: (uri: string) => void): () => void
  onSessionChange(listener: Listener): () => void
  /** Wallet-sent events (`accountsChanged`, `chainChanged`) of the session. */
  onSessionEvent(listener: (event: { name: string; data: unknown; chainId: string }) => void): () => void
}

export function createSessionController(options: SignClientOptions, wanted: SessionRequest): SessionController {
  let session: SessionTypes.Struct | undefined
  let uri: string | undefined
  let pairing: Promise<SessionTypes.Struct> | undefined
  // The pairing being opened or waiting for the phone, until it settles: what `cancel` gives up.
  let attempt: { topic?: string; cancel?: () => void } | undefined
  let clientPromise: Promise<WalletConnectSignClient> | undefined
  const uriListeners = new Set<(uri: string) => void>()
  const sessionListeners = new Set<Listener>()
  const eventListeners = new Set<(event: { name: string; data: unknown; chainId: string }) => void>()

  const setSession = (next: SessionTypes.Struct | undefined) => {
    session = next
    for (const listener of [...sessionListeners]) listener(next)
  }

  const signClient = () => {
    clientPromise ??= getSignClient(options).then((client) => {
      client.on('session_delete', ({ topic }) => {
        if (session?.topic === topic) setSession(undefined)
      })
      client.on('session_expire', ({ topic }) => {
        if (session?.topic === topic) setSession(undefined)
      })
      client.on('session_update', ({ topic }) => {
        if (session?.topic === topic) setSession(client.session.get(topic))
      })
      client.on('session_event', ({ topic, params }) => {
        if (session?.topic !== topic) return
        for (const listener of [...eventListeners]) listener({ ...params.event, chainId: params.chainId })
      })
      return client
    })
    clientPromise.catch(() => {
      clientPromise = undefined
    })
    return clientPromise
  }

  const namespaces = () => ({
    ...(wanted.evmChains.length > 0 && {
      eip155: {
        chains: wanted.evmChains.map((id) => `eip155:${id}`),
        methods: [...EVM_METHODS],
        events: [...EVM_EVENTS],
      },
    }),
    ...(wanted.solanaChains.length > 0 && {
      solana: { chains: [...wanted.solanaChains], methods: [...SOLANA_METHODS], events: [] },
    }),
  })

  const live = (s: SessionTypes.Struct) => s.expiry * 1000 > Date.now() && Object.keys(s.namespaces).length > 0
  // A kept session serves only if it has an account in every namespace this page asks for.
  const covers = (s: SessionTypes.Struct) =>
    (wanted.evmChains.length === 0 || sessionAccounts(s, 'eip155').length > 0) &&
    (wanted.solanaChains.length === 0 || sessionAccounts(s, 'solana').length > 0)

  const pair = async (): Promise<SessionTypes.Struct> => {
    const mine: NonNullable<typeof attempt> = {}
    attempt = mine
    const cancelled = new Promise<never>((_, reject) => {
      mine.cancel = () => reject(new ProviderRpcError(4001, 'The visitor cancelled the WalletConnect pairing.'))
    })
    // Handled where it is raced below; a cancel before that point is seen through `attempt`.
    cancelled.catch(() => {})
    try {
      const client = await signClient()
      // A session the sign client kept (a reload in the same browser) is reused without a new pairing.
      const kept = client.session
        .getAll()
        .filter((s) => live(s) && covers(s))
        .at(-1)
      if (kept) return kept
      const { uri: next, approval } = await client.connect({ optionalNamespaces: namespaces() })
      if (!next) throw new ProviderRpcError(-32603, 'WalletConnect gave no pairing URI.')
      mine.topic = pairingTopic(next)
      if (attempt !== mine) {
        // Cancelled while the proposal was being published.
        await withdraw(client, mine.topic)
        return await cancelled
      }
      uri = next
      for (const listener of [...uriListeners]) listener(next)
      const approved = approval()
      // Withdrawing the proposal ends `approval()` too ("Proposal expired"): the cancel's 4001 is the answer then.
      approved.catch(() => {})
      return await Promise.race([approved, cancelled])
    } finally {
      if (attempt === mine) {
        attempt = undefined
        uri = undefined
      }
    }
  }

  const cancel = async () => {
    const open = attempt
    if (!open) return
    attempt = undefined
    uri = undefined
    pairing = undefined
    open.cancel?.()
    if (open.topic) await withdraw(await signClient(), open.topic)
  }

  return {
    get session() {
      return session
    },
    get uri() {
      return uri
    },
    async connect() {
      if (session && live(session)) return session
      if (pairing) return pairing
      // A cancel forgets this pairing (`pairing`) before it settles: its end must not clear a newer one.
      const current: Promise<SessionTypes.Struct> = pair().then(
        (settled) => {
          if (pairing === current) pairing = undefined
          setSession(settled)
          return settled
        },
        (error: unknown) => {
          if (pairing === current) pairing = undefined
          throw toProviderError(error)
        },
      )
      pairing = current
      return current
    },
    cancel,
    async disconnect() {
      const current = session
      if (!current) return
      setSession(undefined)
      const client = await signClient()
      await client
        .disconnect({ topic: current.topic, reason: { code: 6000, message: 'User disconnected.' } })
        .catch(() => {})
    },
    async request<T>(chainId: string, method: string, params: unknown): Promise<T> {
      const current = session
      if (!current) throw new ProviderRpcError(4100, 'Connect the wallet through WalletConnect first.')
      const client = await signClient()
      try {
        return await client.request<T>({ topic: current.topic, chainId, request: { method, params } })
      } catch (error) {
        throw toProviderError(error)
      }
    },
    onDisplayUri(listener) {
      uriListeners.add(listener)
      if (uri) listener(uri)
      return () => uriListeners.delete(listener)
    },
    onSessionChange(listener) {
      sessionListeners.add(listener)
      return () => sessionListeners.delete(listener)
    },
    onSessionEvent(listener) {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
  }
}

/** The pairing topic of a `wc:<topic>@2?…` URI. */
function pairingTopic(uri: string): string {
  return uri.slice(3).split('@')[0] ?? ''
}

/**
 * Withdraws the proposals sent on pairing `topic` and deletes the pairing. The proposal goes the way sign-client
 * expires it (`proposal_expire`: it forgets the proposal, unsubscribes the session topic an approval may have opened,
 * and ends `approval()`), only now instead of after its 5 minutes; deleting the pairing unsubscribes its topic, so
 * the phone's answer never reaches this page. Best effort: a relay that is gone has dropped them already.
 */
async function withdraw(client: WalletConnectSignClient, topic: string): Promise<void> {
  const reason = { code: 5000, message: 'The visitor cancelled the pairing.' }
  for (const proposal of client.proposal.getAll().filter((p) => p.pairingTopic === topic)) {
    await client.proposal.delete(proposal.id, reason).catch(() => {})
    try {
      client.core.expirer.del(proposal.id)
    } catch {
      // No expiry was recorded for it.
    }
    client.events.emit('proposal_expire', { id: proposal.id })
  }
  if (client.core.pairing.pairings.keys.includes(topic)) await client.core.pairing.disconnect({ topic }).catch(() => {})
}

/** The session's accounts of one namespace as `[chain, address]` pairs (`eip155:8453`, `0x…`). */
export function sessionAccounts(session: SessionTypes.Struct | undefined, namespace: string): [string, string][] {
  const accounts = session?.namespaces[namespace]?.accounts ?? []
  return accounts.flatMap((account) => {
    const at = account.lastIndexOf(':')
    return at > 0 ? [[account.slice(0, at), account.slice(at + 1)] as [string, string]] : []
  })
}

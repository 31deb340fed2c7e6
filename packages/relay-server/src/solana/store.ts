import { EventEmitter } from 'node:events'
import type { RequestError, RequestStatus } from '../store/types.js'

/** A sponsored Solana transaction and its lifecycle (`queued → submitted → confirmed`, or `failed`). */
export interface SolanaRequestRecord {
  id: string
  siteKey: string
  /** The visitor's address (first signer after the fee payer). */
  wallet: string
  /** Base58 transaction signature (the fee payer's, first in the transaction). */
  signature: string
  /** Base64 of the co-signed wire transaction, re-sent until it lands or its blockhash expires. */
  transaction: string
  blockhash: string
  /** Lamports reserved from the site's daily budget (fee and funded rent). */
  lamports: bigint
  status: RequestStatus
  slot?: bigint
  error?: RequestError
  createdAt: number
  updatedAt: number
}

export type NewSolanaRequest = Omit<SolanaRequestRecord, 'status' | 'slot' | 'error' | 'createdAt' | 'updatedAt'>

export interface SolanaStatusUpdate {
  status: RequestStatus
  slot?: bigint
  error?: RequestError
}

/** Limits checked together with the replay guard when a request is admitted. */
export interface AdmissionLimits {
  /** UTC day the budgets count in, `YYYY-MM-DD`. */
  day: string
  siteLamportsPerDay: bigint
  walletRequestsPerDay: number
}

export type AdmissionResult =
  | { ok: true; record: SolanaRequestRecord }
  | { ok: false; reason: 'DUPLICATE' | 'SITE_BUDGET' | 'WALLET_QUOTA'; existingId?: string }

/**
 * Solana requests beside the shared `RelayStore` (whose records are EVM forward requests). A
 * shared-store adapter implements `admit` as one atomic step (a Lua script on Redis): replay guard,
 * site budget, wallet quota and the new record together.
 */
export interface SolanaStore {
  readonly kind: string
  /**
   * Atomically refuses a signature seen before (`DUPLICATE`), a site over its daily lamports budget
   * (`SITE_BUDGET`) or a wallet over its daily quota (`WALLET_QUOTA`); otherwise reserves both and
   * stores the request as `queued`.
   */
  admit(request: NewSolanaRequest, limits: AdmissionLimits): Promise<AdmissionResult>
  /** The request id that used this transaction signature, if any. */
  findBySignature(signature: string): Promise<string | undefined>
  get(id: string): Promise<SolanaRequestRecord | undefined>
  update(id: string, update: SolanaStatusUpdate): Promise<SolanaRequestRecord>
  subscribe(id: string, listener: (record: SolanaRequestRecord) => void): Promise<() => Promise<void>>
  /** Non-final requests (a restarted relay resumes tracking them). */
  pending(): Promise<SolanaRequestRecord[]>
  /** Lamports reserved by a site on a day, and requests by a wallet (across sites) that day. */
  usage(siteKey: string, wallet: string, day: string): Promise<{ siteLamports: bigint; walletRequests: number }>
  close(): Promise<void>
}

const isFinal = (status: RequestStatus) => status === 'confirmed' || status === 'failed' || status === 'rejected'

/** In-process Solana store; every `admit` runs in one synchronous step, so it is atomic. */
export function createMemorySolanaStore(options: { now?: () => number } = {}): SolanaStore {
  const now = options.now ?? Date.now
  const records = new Map<string, SolanaRequestRecord>()
  const bySignature = new Map<string, string>()
  const siteSpend = new Map<string, bigint>()
  const walletCount = new Map<string, number>()
  let currentDay = ''
  const events = new EventEmitter()
  events.setMaxListeners(0)
  const copy = (r: SolanaRequestRecord) => structuredClone(r)

  return {
    kind: 'memory',
    async admit(request, limits) {
      if (limits.day !== currentDay) {
        // Counters of past days are never read again.
        siteSpend.clear()
        walletCount.clear()
        currentDay = limits.day
      }
      const existingId = bySignature.get(request.signature)
      if (existingId) return { ok: false, reason: 'DUPLICATE', existingId }
      const siteKey = request.siteKey
      const walletKey = request.wallet
      const spent = siteSpend.get(siteKey) ?? 0n
      if (spent + request.lamports > limits.siteLamportsPerDay) return { ok: false, reason: 'SITE_BUDGET' }
      const count = walletCount.get(walletKey) ?? 0
      if (count + 1 > limits.walletRequestsPerDay) return { ok: false, reason: 'WALLET_QUOTA' }
      siteSpend.set(siteKey, spent + request.lamports)
      walletCount.set(walletKey, count + 1)
      bySignature.set(request.signature, request.id)
      const at = now()
      const record: SolanaRequestRecord = {
        ...structuredClone(request),
        status: 'queued',
        createdAt: at,
        updatedAt: at,
      }
      records.set(record.id, record)
      return { ok: true, record: copy(record) }
    },
    async findBySignature(signature) {
      return bySignature.get(signature)
    },
    async get(id) {
      const record = records.get(id)
      return record ? copy(record) : undefined
    },
    async update(id, update) {
      const record = records.get(id)
      if (!record) throw new Error(`unknown solana request ${id}`)
      record.status = update.status
      if (update.slot !== undefined) record.slot = update.slot
      if (update.error !== undefined) record.error = { ...update.error }
      record.updatedAt = now()
      events.emit(id, copy(record))
      return copy(record)
    },
    async subscribe(id, listener) {
      events.on(id, listener)
      return async () => {
        events.off(id, listener)
      }
    },
    async pending() {
      return [...records.values()].filter((r) => !isFinal(r.status)).map(copy)
    },
    async usage(siteKey, wallet, day) {
      if (day !== currentDay) return { siteLamports: 0n, walletRequests: 0 }
      return {
        siteLamports: siteSpend.get(siteKey) ?? 0n,
        walletRequests: walletCount.get(wallet) ?? 0,
      }
    },
    async close() {
      events.removeAllListeners()
    },
  }
}

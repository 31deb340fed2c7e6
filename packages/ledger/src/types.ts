/** What a request went through, in the order a relay sees it. */
export const STAGES = [
  'received',
  'refused',
  'admitted',
  'simulated',
  'batched',
  'submitted',
  'replaced',
  'confirmed',
  'failed',
  'settled',
] as const
export type LedgerStage = (typeof STAGES)[number]

export type LedgerKind = 'evm' | 'solana'

/**
 * A request's status in the ledger: the relay's statuses plus `received` (seen, not yet admitted)
 * and `refused` (answered 4xx, never stored by the relay).
 */
export type LedgerStatus = 'received' | 'queued' | 'submitted' | 'confirmed' | 'failed' | 'rejected' | 'refused'

export const LEDGER_STATUSES: readonly LedgerStatus[] = [
  'received',
  'queued',
  'submitted',
  'confirmed',
  'failed',
  'rejected',
  'refused',
]

/**
 * One stage of one request as the relay records it (an outbox entry, JSON as is). Fields other than
 * `requestId`, `stage`, `at` and `kind` fill the request's row; a field left out keeps its value.
 * Integers that may exceed 2^53 (gas, lamports, fee) are decimal strings.
 */
export interface StageEvent {
  requestId: string
  stage: LedgerStage
  /** Tells apart repeats of one stage that are distinct events (the n-th replacement); default 0. */
  seq?: number
  /** Milliseconds since the epoch. */
  at: number
  kind: LedgerKind
  site?: string
  /** EVM chain id (`"8453"`) or Solana cluster (`"solana:devnet"`). */
  chain?: string
  sender?: string
  target?: string
  /** 4-byte selector of the EVM call, 0x-hex. */
  selector?: string
  /** Function signature when the site's policy names it (`claim(uint256)`). */
  functionName?: string
  /** The request's status after this stage; default derived from the stage. */
  status?: LedgerStatus
  /** Error or refusal code. */
  code?: string
  /** EVM: the gas limit the signed request asks for. */
  gas?: string
  /** Solana: lamports reserved for the transaction (fee and funded rent). */
  lamports?: string
  /** What the request cost the relay: wei (EVM) or lamports (Solana). */
  fee?: string
  /** Transaction hash (EVM) or signature (Solana). */
  txHash?: string
  detail?: Record<string, unknown>
}

/** Widgets that report funnel events. */
export const FUNNEL_WIDGETS = ['claim', 'tip', 'buy'] as const
export type FunnelWidget = (typeof FUNNEL_WIDGETS)[number]

/** What a widget reports, in funnel order (`error` beside them). */
export const FUNNEL_KINDS = ['view', 'connect', 'submit', 'success', 'error'] as const
export type FunnelKind = (typeof FUNNEL_KINDS)[number]

/** How many events of one widget and kind a batch holds; `code` only for `error` (`USER_REJECTED`). */
export interface FunnelCount {
  widget: FunnelWidget
  kind: FunnelKind
  code?: string
  count: number
}

/**
 * One accepted `POST /v1/events` batch, counted by widget and kind (an outbox entry, JSON as is).
 * `id` makes it idempotent: a batch written twice is counted once. No visitor data: no address, no IP.
 */
export interface FunnelBatch {
  type: 'funnel'
  id: string
  site: string
  /** When the relay accepted it (ms); its UTC day is the day it counts for. */
  at: number
  counts: FunnelCount[]
}

/** What `record` writes: a request's stage or a funnel batch. */
export type LedgerEntry = StageEvent | FunnelBatch

/** Filter of the funnel queries: UTC days that meet `[from, to)` (ms), one site. */
export interface FunnelFilter {
  from?: number
  to?: number
  site?: string
}

/** One day, site and widget of the funnel. */
export interface FunnelRow {
  /** UTC `YYYY-MM-DD`. */
  day: string
  site: string
  widget: FunnelWidget
  views: number
  connects: number
  submits: number
  successes: number
  errors: number
}

export interface FunnelErrorCount {
  widget: FunnelWidget
  /** `''` when the widget sent none. */
  code: string
  count: number
}

/** A request's row. Times are milliseconds since the epoch. */
export interface LedgerRequest {
  id: string
  kind: LedgerKind
  site: string | null
  chain: string | null
  sender: string | null
  target: string | null
  selector: string | null
  functionName: string | null
  status: LedgerStatus
  code: string | null
  gas: string | null
  lamports: string | null
  fee: string | null
  txHash: string | null
  createdAt: number
  updatedAt: number
  confirmedAt: number | null
}

export interface LedgerStageRow {
  stage: LedgerStage
  seq: number
  at: number
  detail: Record<string, unknown> | null
}

export interface RequestTimeline {
  request: LedgerRequest
  stages: LedgerStageRow[]
}

/** Filters of the history, refusal and export queries; `from` inclusive, `to` exclusive (ms). */
export interface LedgerFilter {
  from?: number
  to?: number
  site?: string
  chain?: string
  status?: LedgerStatus
}

/** One day, site and chain of the history. */
export interface HistoryRow {
  /** UTC `YYYY-MM-DD` of the requests' creation. */
  day: string
  site: string | null
  kind: LedgerKind
  chain: string | null
  requests: number
  confirmed: number
  /** `failed` or `rejected`. */
  failed: number
  refused: number
  /** Confirmed over confirmed plus failed; null when none is final. */
  successRate: number | null
  /** Sum of the EVM gas limits (decimal string). */
  gas: string
  /** Sum of Solana lamports (decimal string). */
  lamports: string
  /** Sum of fees: wei for EVM rows, lamports for Solana rows (decimal string). */
  fee: string
  /** Time from receipt to confirmation, ms; null when nothing was confirmed. */
  p50ConfirmMs: number | null
  p95ConfirmMs: number | null
}

export interface RefusalCount {
  code: string
  count: number
}

/** What one `prune` did. */
export interface PruneResult {
  /** Another prune held the lock: nothing was done (it does the same work). */
  skipped: boolean
  /** Days before this instant (a UTC midnight, ms) are folded. */
  prunedBefore: number
  /** UTC days folded now (`YYYY-MM-DD`), oldest first. */
  days: string[]
  /** Request rows and stage rows deleted. */
  requests: number
  stages: number
  /** Funnel batch ids deleted (kept only to count a batch delivered twice once). */
  funnelBatches: number
}

/** The operators' ledger: one interface over a PostgreSQL server and embedded PGlite. */
export interface Ledger {
  readonly backend: 'postgres' | 'pglite'
  /**
   * Writes stage events and funnel batches in one transaction. Idempotent: a stage already written
   * (same request, stage and seq) is skipped, and so is its effect on the request's row; a funnel
   * batch already counted (same id) is skipped.
   */
  record(events: readonly LedgerEntry[]): Promise<void>
  history(filter?: LedgerFilter): Promise<HistoryRow[]>
  refusals(filter?: LedgerFilter): Promise<RefusalCount[]>
  timeline(id: string): Promise<RequestTimeline | undefined>
  /** Matching requests oldest first, read page by page (the whole set is never in memory). */
  requests(filter?: LedgerFilter, pageSize?: number): AsyncIterable<LedgerRequest>
  /** Widget funnel counts per UTC day, site and widget, oldest day first. */
  funnel(filter?: FunnelFilter): Promise<FunnelRow[]>
  /** Widget `error` events by widget and code, most frequent first. */
  funnelErrors(filter?: FunnelFilter): Promise<FunnelErrorCount[]>
  /**
   * Retention: folds every UTC day before `before` (rounded down to a day) into daily aggregates
   * (kept: `history` and `refusals` read them) and deletes its requests and stages. One prune at a
   * time across all clients of the database; a stage dated before a folded day is dropped on write.
   */
  prune(options: { before: number }): Promise<PruneResult>
  /** Versions of the migrations applied, ascending. */
  migrations(): Promise<number[]>
  /** Resolves when the database answers a query. */
  ping(): Promise<void>
  close(): Promise<void>
}

/** The database could not be reached or failed a statement: the caller keeps its events and retries. */
export class LedgerUnavailableError extends Error {
  override name = 'LedgerUnavailableError'
}

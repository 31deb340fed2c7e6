import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { RequestStatus } from './store/status.js'

/**
 * The relay's Prometheus metrics (prom-client, one registry per relay so several relays can live
 * in one process). Counters are per process; Prometheus sums them across instances.
 */
export class RelayMetrics {
  readonly registry = new Registry()
  private readonly requests = new Counter({
    name: 'tokentags_relay_requests_total',
    help: 'Requests that entered each status.',
    labelNames: ['chain_id', 'status'] as const,
    registers: [this.registry],
  })
  private readonly httpErrors = new Counter({
    name: 'tokentags_relay_http_errors_total',
    help: 'API calls answered with an error, by error code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  })
  private readonly depth = new Gauge({
    name: 'tokentags_relay_queue_depth',
    help: 'Queued requests waiting for a batch.',
    labelNames: ['chain_id'] as const,
    registers: [this.registry],
  })
  private readonly batches = new Counter({
    name: 'tokentags_relay_batches_total',
    help: 'Batch transactions by outcome (sent, mined, reverted, send_failed).',
    labelNames: ['chain_id', 'outcome'] as const,
    registers: [this.registry],
  })
  private readonly batchSize = new Histogram({
    name: 'tokentags_relay_batch_size',
    help: 'Requests per batch transaction sent.',
    labelNames: ['chain_id'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100],
    registers: [this.registry],
  })
  private readonly latency = new Histogram({
    name: 'tokentags_relay_http_request_duration_seconds',
    help: 'HTTP request latency by route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  })
  private readonly gas = new Counter({
    name: 'tokentags_relay_gas_spent_wei_total',
    help: 'Wei spent on gas per site (settled shares of batch transactions).',
    labelNames: ['site', 'chain_id'] as const,
    registers: [this.registry],
  })
  private readonly balance = new Gauge({
    name: 'tokentags_relay_relayer_balance_wei',
    help: 'Native balance of each relayer key this instance holds.',
    labelNames: ['chain_id', 'relayer'] as const,
    registers: [this.registry],
  })
  private readonly replacements = new Counter({
    name: 'tokentags_relay_replacements_total',
    help: 'Stuck transactions replaced with bumped fees.',
    labelNames: ['chain_id'] as const,
    registers: [this.registry],
  })
  private readonly rebroadcasts = new Counter({
    name: 'tokentags_relay_rebroadcasts_total',
    help: 'Journaled transactions sent again after the node lost them.',
    labelNames: ['chain_id'] as const,
    registers: [this.registry],
  })
  private readonly reorgs = new Counter({
    name: 'tokentags_relay_reorgs_total',
    help: 'Receipts that disappeared or moved before reaching the confirmation depth.',
    labelNames: ['chain_id'] as const,
    registers: [this.registry],
  })
  private readonly feeHolds = new Counter({
    name: 'tokentags_relay_fee_holds_total',
    help: 'Times a send or bump waited because fees were above the ceiling.',
    labelNames: ['chain_id'] as const,
    registers: [this.registry],
  })
  private readonly leases = new Counter({
    name: 'tokentags_relay_lease_changes_total',
    help: 'Relayer-key leases acquired or lost by this instance.',
    labelNames: ['chain_id', 'relayer', 'event'] as const,
    registers: [this.registry],
  })

  private readonly solanaRequests = new Counter({
    name: 'tokentags_relay_solana_requests_total',
    help: 'Sponsored Solana transactions that entered each status.',
    labelNames: ['status'] as const,
    registers: [this.registry],
  })
  private readonly solanaLamports = new Counter({
    name: 'tokentags_relay_solana_lamports_spent_total',
    help: 'Lamports the fee payer spent per site (fees and funded token-account rent of confirmed transactions).',
    labelNames: ['site'] as const,
    registers: [this.registry],
  })
  private readonly solanaBalance = new Gauge({
    name: 'tokentags_relay_solana_fee_payer_balance_lamports',
    help: 'Balance of the Solana fee payer, read after each outcome and on health checks.',
    labelNames: ['fee_payer'] as const,
    registers: [this.registry],
  })

  /** A sponsored Solana transaction entered `status` (counted once per transition). */
  solanaStatus(status: RequestStatus): void {
    this.solanaRequests.inc({ status })
  }

  solanaSpent(site: string, lamports: bigint): void {
    this.solanaLamports.inc({ site }, Number(lamports))
  }

  solanaFeePayerBalance(feePayer: string, lamports: bigint): void {
    this.solanaBalance.set({ fee_payer: feePayer }, Number(lamports))
  }

  /** A request entered `status` (counted once per transition). */
  status(chainId: number, status: RequestStatus): void {
    this.requests.inc({ chain_id: String(chainId), status })
  }

  /** An API call answered with an error (`{ error: { code } }`). */
  httpError(code: string): void {
    this.httpErrors.inc({ code })
  }

  /** A batch transaction reached an outcome (`mined`, `reverted`, `send_failed`). */
  batch(chainId: number, _size: number, outcome: string): void {
    this.batches.inc({ chain_id: String(chainId), outcome })
  }

  batchSent(chainId: number, size: number): void {
    this.batches.inc({ chain_id: String(chainId), outcome: 'sent' })
    this.batchSize.observe({ chain_id: String(chainId) }, size)
  }

  queueDepth(chainId: number, depth: number): void {
    this.depth.set({ chain_id: String(chainId) }, depth)
  }

  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.latency.observe({ method, route, status: String(status) }, seconds)
  }

  gasSpent(site: string, chainId: number, wei: bigint): void {
    this.gas.inc({ site, chain_id: String(chainId) }, Number(wei))
  }

  relayerBalance(chainId: number, relayer: string, wei: bigint): void {
    this.balance.set({ chain_id: String(chainId), relayer }, Number(wei))
  }

  replacement(chainId: number): void {
    this.replacements.inc({ chain_id: String(chainId) })
  }

  rebroadcast(chainId: number): void {
    this.rebroadcasts.inc({ chain_id: String(chainId) })
  }

  reorg(chainId: number): void {
    this.reorgs.inc({ chain_id: String(chainId) })
  }

  feeHold(chainId: number): void {
    this.feeHolds.inc({ chain_id: String(chainId) })
  }

  leaseChange(chainId: number, relayer: string, event: 'acquired' | 'lost'): void {
    this.leases.inc({ chain_id: String(chainId), relayer, event })
  }

  /** Prometheus text; `queueDepths` (read from the store at scrape time) refresh the depth gauge. */
  async render(queueDepths: ReadonlyMap<number, number> = new Map()): Promise<string> {
    for (const [chainId, depth] of queueDepths) this.queueDepth(chainId, depth)
    return this.registry.metrics()
  }
}

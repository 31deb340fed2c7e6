import type { RequestStatus } from './store/types.js'

const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100] as const

/** Process-local counters rendered in the Prometheus text format by `GET /metrics`. */
export class RelayMetrics {
  private readonly statuses = new Map<string, number>()
  private readonly rejections = new Map<string, number>()
  private readonly batchOutcomes = new Map<string, number>()
  private readonly batchBuckets = new Map<string, number[]>()
  private readonly batchSum = new Map<number, number>()
  private readonly batchCount = new Map<number, number>()

  /** A request entered `status` (counted once per transition). */
  status(chainId: number, status: RequestStatus): void {
    increment(this.statuses, `chain_id="${chainId}",status="${status}"`)
  }

  /** An API call answered with an error (`{ error: { code } }`). */
  httpError(code: string): void {
    increment(this.rejections, `code="${code}"`)
  }

  /** A batch transaction sent (`mined`, `reverted`, `send_failed`, `timeout`). */
  batch(chainId: number, size: number, outcome: string): void {
    increment(this.batchOutcomes, `chain_id="${chainId}",outcome="${outcome}"`)
    let buckets = this.batchBuckets.get(String(chainId))
    if (!buckets) {
      buckets = BATCH_SIZE_BUCKETS.map(() => 0)
      this.batchBuckets.set(String(chainId), buckets)
    }
    BATCH_SIZE_BUCKETS.forEach((le, i) => {
      if (size <= le) buckets[i] = (buckets[i] ?? 0) + 1
    })
    this.batchSum.set(chainId, (this.batchSum.get(chainId) ?? 0) + size)
    this.batchCount.set(chainId, (this.batchCount.get(chainId) ?? 0) + 1)
  }

  render(queueDepths: ReadonlyMap<number, number>): string {
    const lines: string[] = []
    const family = (name: string, type: string, help: string, samples: Iterable<[string, number]>) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`)
      for (const [labels, value] of samples) lines.push(`${name}${labels ? `{${labels}}` : ''} ${value}`)
    }
    family('tokentags_relay_requests_total', 'counter', 'Requests that entered each status.', this.statuses)
    family(
      'tokentags_relay_http_errors_total',
      'counter',
      'API calls answered with an error, by error code.',
      this.rejections,
    )
    family(
      'tokentags_relay_queue_depth',
      'gauge',
      'Queued requests waiting for a batch.',
      [...queueDepths].map(([chainId, depth]) => [`chain_id="${chainId}"`, depth] as [string, number]),
    )
    family('tokentags_relay_batches_total', 'counter', 'Batch transactions by outcome.', this.batchOutcomes)
    lines.push(
      '# HELP tokentags_relay_batch_size Requests per batch transaction.',
      '# TYPE tokentags_relay_batch_size histogram',
    )
    for (const [chainId, buckets] of this.batchBuckets) {
      BATCH_SIZE_BUCKETS.forEach((le, i) => {
        lines.push(`tokentags_relay_batch_size_bucket{chain_id="${chainId}",le="${le}"} ${buckets[i] ?? 0}`)
      })
      const count = this.batchCount.get(Number(chainId)) ?? 0
      lines.push(`tokentags_relay_batch_size_bucket{chain_id="${chainId}",le="+Inf"} ${count}`)
      lines.push(`tokentags_relay_batch_size_sum{chain_id="${chainId}"} ${this.batchSum.get(Number(chainId)) ?? 0}`)
      lines.push(`tokentags_relay_batch_size_count{chain_id="${chainId}"} ${count}`)
    }
    return `${lines.join('\n')}\n`
  }
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1)
}

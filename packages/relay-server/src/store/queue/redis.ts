import { chainOfRequestId } from '../records.js'
import type { RedisContext } from '../redisContext.js'
import { byChain, type Flat, toRecord } from '../redisRecord.js'
import * as scripts from './scripts.js'
import type { QueueStore } from './types.js'

/** The chains' queues on Redis: one sorted set of ready ids and one of claimed ids per chain. */
export function createRedisQueueStore(ctx: RedisContext): QueueStore {
  const { keys, run } = ctx
  return {
    async claimBatch(chainId, { max, leaseMs, owner }) {
      const q = keys.queue(chainId)
      const result = (await run(
        scripts.CLAIM,
        [q.ready, q.claimed, q.busy],
        q.base,
        max,
        Math.max(1, Math.round(leaseMs)),
        owner ?? '',
        Math.max(100, max * 20),
      )) as Flat[]
      return result.map(toRecord)
    },

    async release(ids) {
      await Promise.all(
        [...byChain(ids, chainOfRequestId)].map(([chainId, group]) => {
          const q = keys.queue(chainId)
          return run(scripts.RELEASE, [q.ready, q.claimed, q.busy], q.base, ...group)
        }),
      )
    },

    async queueStats(chainId) {
      const q = keys.queue(chainId)
      const [depth, oldest] = (await run(scripts.QUEUE_STATS, [q.ready, q.claimed], q.base)) as [number, string]
      return oldest === '' ? { depth: Number(depth) } : { depth: Number(depth), oldestAt: Number(oldest) }
    },
  }
}

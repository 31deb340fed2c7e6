import { connectRedisClusterDriver, connectRedisDriver } from '../store/drivers.js'
import type { RedisDriver } from '../store/redisDriver.js'
import type { WebhookDelivery, WebhookQueue } from './dispatcher.js'

export interface RedisWebhookQueueOptions {
  /**
   * The backend's connection: `connectRedisDriver`, `connectRedisClusterDriver` or `createUpstashDriver`
   * (the queue closes it). Without it, `url` or `nodes` open a Redis or a cluster.
   */
  driver?: RedisDriver
  /** `REDIS_URL` of the relay's store; or `nodes` of a Redis Cluster. */
  url?: string
  nodes?: string[]
  /** Key prefix, as the store's (default `tokentags:`). */
  prefix?: string
  /** How long a delivery taken by one instance is hidden from the others (default 30 s). */
  leaseMs?: number
  /** How long a delivery id is remembered against a second push (default 8 days: past any retry). */
  seenTtlSeconds?: number
}

// Every key carries the `{webhooks}` hash tag: one slot on a cluster, so each script runs on one node.
const PUSH = `
if not redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[4]) then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1`

// PUSH behind a state change (operator alerts): a reading older than the stored one changes nothing;
// the state moves in the same step as the push, so instances seeing one crossing at once send it once.
const PUSH_ON_CHANGE = `
local stored = redis.call('GET', KEYS[4])
local state, height = ARGV[7], -1
if stored then
  local sep = string.find(stored, '|', 1, true)
  state = string.sub(stored, 1, sep - 1)
  height = tonumber(string.sub(stored, sep + 1))
end
if tonumber(ARGV[6]) < height then return 0 end
redis.call('SET', KEYS[4], ARGV[5] .. '|' .. ARGV[6])
if state == ARGV[5] then return 0 end
if not redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[4]) then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
return 1`

// Due deliveries are leased (their due time pushed ahead) as they are taken: two instances never
// send the same attempt; one that dies mid-send leaves it to be taken again after the lease.
const DUE = `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, id in ipairs(ids) do
  local body = redis.call('HGET', KEYS[2], id)
  if body then
    redis.call('ZADD', KEYS[1], tonumber(ARGV[1]) + tonumber(ARGV[3]), id)
    out[#out + 1] = body
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out`

const RETRY = `
local body = redis.call('HGET', KEYS[2], ARGV[1])
if not body then return 0 end
local d = cjson.decode(body)
d.attempts = tonumber(ARGV[3])
d.dueAt = tonumber(ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode(d))
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return 1`

const DONE = `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1`

const SIZE = `return redis.call('ZCARD', KEYS[1])`

/**
 * The webhook queue in the relay's Redis (a single Redis, a cluster or Upstash, through the same
 * scripts): deliveries survive a restart.
 */
export async function createRedisWebhookQueue(options: RedisWebhookQueueOptions): Promise<WebhookQueue> {
  const prefix = options.prefix ?? 'tokentags:'
  const due = `${prefix}{webhooks}:due`
  const bodies = `${prefix}{webhooks}:deliveries`
  const seen = (id: string) => `${prefix}{webhooks}:seen:${id}`
  const leaseMs = options.leaseMs ?? 30_000
  const driver =
    options.driver ??
    (options.nodes && options.nodes.length > 0
      ? await connectRedisClusterDriver({ nodes: options.nodes })
      : await connectRedisDriver({ url: options.url ?? 'redis://127.0.0.1:6379' }))
  const seenTtl = options.seenTtlSeconds ?? 8 * 86_400
  return {
    async push(d) {
      const pushed = await driver.eval(PUSH, [due, bodies, seen(d.id)], [d.id, JSON.stringify(d), d.dueAt, seenTtl])
      return Number(pushed) === 1
    },
    async pushOnChange(d, change) {
      const pushed = await driver.eval(
        PUSH_ON_CHANGE,
        [due, bodies, seen(d.id), `${prefix}{webhooks}:state:${change.key}`],
        [d.id, JSON.stringify(d), d.dueAt, seenTtl, change.state, change.height, change.initial],
      )
      return Number(pushed) === 1
    },
    async due(now, max) {
      const raw = (await driver.eval(DUE, [due, bodies], [now, max, leaseMs])) as string[]
      return raw.map((b) => JSON.parse(b) as WebhookDelivery)
    },
    async done(id) {
      await driver.eval(DONE, [due, bodies], [id])
    },
    async retry(id, dueAt, attempts) {
      await driver.eval(RETRY, [due, bodies], [id, dueAt, attempts])
    },
    async size() {
      return Number(await driver.eval(SIZE, [due], []))
    },
    async close() {
      await driver.close()
    },
  }
}

import { createHash } from 'node:crypto'
import { Redis as UpstashClient } from '@upstash/redis'
import { Cluster, Redis as IORedis } from 'ioredis'
import type { RedisDriver } from './redisDriver.js'
import { StoreUnavailableError } from './types.js'

/**
 * The clients behind the Redis-like adapters, each as a {@link RedisDriver}: the store, the ledger
 * outbox and the webhook queues all run Lua scripts through one of these, so one code path serves
 * `redis`, `redis-cluster` and `upstash`. Every failure reaches the caller as a `StoreUnavailableError`.
 */

export interface RedisDriverOptions {
  /** `redis://[:password@]host:port[/db]` or `rediss://…`. */
  url: string
  /** Per-command timeout; a command past it fails (and the API answers 503). Default 2000 ms. */
  commandTimeoutMs?: number
}

export interface RedisClusterDriverOptions {
  /** Seed nodes, `host:port` each (`REDIS_CLUSTER_NODES`); the client finds the others. */
  nodes: readonly string[]
  /** Password of every node (`REDIS_CLUSTER_PASSWORD`). */
  password?: string
  /** TLS towards every node (`REDIS_CLUSTER_TLS=1`); `true` uses Node's defaults. */
  tls?: boolean
  /** Per-command timeout; a command past it fails (and the API answers 503). Default 2000 ms. */
  commandTimeoutMs?: number
}

export interface UpstashDriverOptions {
  /** `UPSTASH_REDIS_REST_URL`. */
  url: string
  /** `UPSTASH_REDIS_REST_TOKEN`. */
  token: string
}

const sha1s = new Map<string, string>()
/** The script's SHA1 for EVALSHA, hashed once per script (scripts are a few KB, sent thousands of times a second). */
function sha1(script: string): string {
  let sha = sha1s.get(script)
  if (sha === undefined) {
    sha = createHash('sha1').update(script).digest('hex')
    sha1s.set(script, sha)
  }
  return sha
}

function unavailable(kind: string, error: unknown): StoreUnavailableError {
  const message = error instanceof Error ? error.message.replaceAll(/\w+:\/\/\S+/g, '<url>') : String(error)
  return new StoreUnavailableError(`${kind} store unavailable: ${message.slice(0, 200)}`, { cause: error })
}

/** TCP Redis through ioredis. Connects before resolving; commands fail fast while disconnected. */
export async function connectRedisDriver(options: RedisDriverOptions): Promise<RedisDriver> {
  const client = new IORedis(options.url, {
    lazyConnect: true,
    // Fail fast while disconnected instead of queueing: a 202 must never wait on a write that may never happen.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 2000,
    connectTimeout: 5000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1000),
  })
  client.on('error', () => {
    // Connection errors surface on the commands that need the connection; ioredis keeps reconnecting.
  })
  try {
    await client.connect()
  } catch (error) {
    client.disconnect()
    throw unavailable('redis', error)
  }
  return ioredisDriver(client, 'redis')
}

/** How long a replicated write waits for a replica's acknowledgement before it is answered anyway. */
const REPLICA_WAIT_MS = 250
/** After a write no replica acknowledged, writes to that slot skip the wait this long (a lone master after a failover). */
const NO_REPLICA_BACKOFF_MS = 5000

/**
 * The script, then `WAIT 1` on the same connection in one round trip (a pipeline stays on the node
 * serving the keys' slot): resolves once a replica has the write, or after {@link REPLICA_WAIT_MS}
 * without one (a master whose replica is down still answers: as durable as a lone Redis, and
 * without the wait for {@link NO_REPLICA_BACKOFF_MS}, so a promoted master without a replica of
 * its own does not add the wait to every write). `lonely` remembers those slots, by hash tag.
 */
async function evalReplicated(
  client: Cluster,
  lonely: Map<string, number>,
  script: string,
  keys: readonly string[],
  args: readonly (string | number)[],
) {
  const tag = /\{([^}]*)\}/.exec(keys[0] ?? '')?.[1] ?? keys[0] ?? ''
  const wait = (lonely.get(tag) ?? 0) <= Date.now()
  const once = async (command: 'evalsha' | 'eval') => {
    const pipeline = client.pipeline()
    if (command === 'evalsha') pipeline.evalsha(sha1(script), keys.length, ...keys, ...args)
    else pipeline.eval(script, keys.length, ...keys, ...args)
    if (wait) pipeline.wait(1, REPLICA_WAIT_MS)
    const [[error, result] = [null, undefined], acked] = (await pipeline.exec()) ?? []
    if (error) throw error
    if (wait && acked && !acked[0] && Number(acked[1]) < 1) lonely.set(tag, Date.now() + NO_REPLICA_BACKOFF_MS)
    return result
  }
  try {
    return await once('evalsha')
  } catch (error) {
    if (error instanceof Error && error.message.includes('NOSCRIPT')) return await once('eval')
    throw error
  }
}

/** EVALSHA with its keys declared, EVAL once when the node lacks the script. */
function ioredisDriver(client: IORedis | Cluster, kind: string): RedisDriver {
  const lonely = new Map<string, number>()
  return {
    async eval(script, keys, args, options) {
      if (options?.replicate && client instanceof Cluster) {
        try {
          return await evalReplicated(client, lonely, script, keys, args)
        } catch (error) {
          throw unavailable(kind, error)
        }
      }
      try {
        return await client.evalsha(sha1(script), keys.length, ...keys, ...args)
      } catch (error) {
        if (error instanceof Error && error.message.includes('NOSCRIPT')) {
          try {
            return await client.eval(script, keys.length, ...keys, ...args)
          } catch (inner) {
            throw unavailable(kind, inner)
          }
        }
        throw unavailable(kind, error)
      }
    },
    async close() {
      client.disconnect()
    },
  }
}

/**
 * A Redis Cluster through ioredis' `Cluster` client. Every script of the relay stays in one hash
 * slot (see `./scripts.ts`), so the client sends each to the master serving it, and follows the
 * cluster through resharding and failover (MOVED, ASK, a replica promoted).
 */
export async function connectRedisClusterDriver(options: RedisClusterDriverOptions): Promise<RedisDriver> {
  if (options.nodes.length === 0) throw new StoreUnavailableError('redis-cluster store: no nodes given')
  const nodes = options.nodes.map((node) => {
    const at = node.lastIndexOf(':')
    return at > 0 ? { host: node.slice(0, at), port: Number(node.slice(at + 1)) } : { host: node, port: 6379 }
  })
  const client = new Cluster(nodes, {
    lazyConnect: true,
    // No offline queue: a 202 must never wait on a write that may never happen. While a failover
    // runs, commands fail fast (503) until a replica is promoted.
    enableOfflineQueue: false,
    maxRedirections: 16,
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnMoved: 0,
    slotsRefreshTimeout: 2000,
    clusterRetryStrategy: (attempt) => Math.min(100 * attempt, 1000),
    redisOptions: {
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 2000,
      connectTimeout: 5000,
      ...(options.password ? { password: options.password } : {}),
      ...(options.tls ? { tls: {} } : {}),
    },
  })
  client.on('error', () => {
    // As for a single Redis: errors surface on the commands; the client keeps reconnecting.
  })
  try {
    await client.connect()
  } catch (error) {
    client.disconnect()
    throw unavailable('redis-cluster', error)
  }
  return ioredisDriver(client, 'redis-cluster')
}

/**
 * Upstash Redis over its REST API (`@upstash/redis`): each script is one HTTP request, with its
 * KEYS declared. `replicate` has no counterpart: REST offers no `WAIT`, so such a write is sent like
 * any other and its replication is whatever the Upstash database provides.
 */
export function createUpstashDriver(options: UpstashDriverOptions): RedisDriver {
  const client = new UpstashClient({
    url: options.url,
    token: options.token,
    retry: false,
    automaticDeserialization: false,
  })
  return {
    async eval(script, keys, args) {
      const argv = args.map(String)
      try {
        return await client.evalsha(sha1(script), [...keys], argv)
      } catch (error) {
        if (error instanceof Error && error.message.includes('NOSCRIPT')) {
          try {
            return await client.eval(script, [...keys], argv)
          } catch (inner) {
            throw unavailable('upstash', inner)
          }
        }
        throw unavailable('upstash', error)
      }
    },
    async close() {},
  }
}

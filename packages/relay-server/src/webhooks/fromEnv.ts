import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { z } from 'zod'
import { ConfigError } from '../configError.js'
import type { SiteWebhook, WebhookQueue } from './dispatcher.js'
import { createRedisWebhookQueue } from './redisQueue.js'

const fileSchema = z.record(
  z.string().min(1).max(128),
  z.object({
    url: z.url({ protocol: /^https?$/ }),
    // A guessable key would let anyone forge deliveries.
    secret: z.string().min(16).max(512),
  }),
)

/**
 * Per-site webhooks of the bin: `TOKENTAGS_WEBHOOKS_FILE` names a JSON file `{ "<site>": { "url",
 * "secret" } }` (kept apart from the config: it holds secrets); the queue goes to the store's Redis.
 * Undefined when the variable is unset.
 */
export async function webhooksFromEnv(
  env: NodeJS.ProcessEnv,
  siteKeys: readonly string[],
): Promise<{ sites: Record<string, SiteWebhook>; queue?: WebhookQueue } | undefined> {
  const path = env.TOKENTAGS_WEBHOOKS_FILE?.trim()
  if (!path) return undefined
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(resolve(path), 'utf8'))
  } catch (error) {
    throw new ConfigError(`cannot read TOKENTAGS_WEBHOOKS_FILE ${path}: ${(error as Error).message}`)
  }
  const parsed = fileSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new ConfigError(`TOKENTAGS_WEBHOOKS_FILE ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`)
  }
  for (const site of Object.keys(parsed.data)) {
    if (!siteKeys.includes(site)) throw new ConfigError(`TOKENTAGS_WEBHOOKS_FILE names site ${site}, not in the config`)
  }
  const prefix = env.TOKENTAGS_STORE_PREFIX
  const kind = env.TOKENTAGS_STORE ?? 'memory'
  if (kind === 'memory') return { sites: parsed.data }
  if (kind === 'redis' && env.REDIS_URL) {
    return {
      sites: parsed.data,
      queue: await createRedisWebhookQueue({ url: env.REDIS_URL, ...(prefix ? { prefix } : {}) }),
    }
  }
  const nodes = (env.REDIS_CLUSTER_NODES ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '')
  if (kind === 'redis-cluster' && nodes.length > 0) {
    return { sites: parsed.data, queue: await createRedisWebhookQueue({ nodes, ...(prefix ? { prefix } : {}) }) }
  }
  throw new ConfigError(
    `webhooks have no durable queue on TOKENTAGS_STORE=${kind.slice(0, 20)} (memory, redis, redis-cluster)`,
  )
}

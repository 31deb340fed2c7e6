import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { z } from 'zod'
import { ConfigError } from '../configError.js'
import { redisDriverFromEnv } from '../store/fromEnv.js'
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
 * "secret" } }` (kept apart from the config: it holds secrets); the queue goes to the store's backend (`redis`,
 * `redis-cluster` or `upstash`; in memory on `memory`). Undefined when the variable is unset.
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
  // The queue lives where the store does (its own connection): deliveries outlive the process.
  const driver = await redisDriverFromEnv(env)
  if (!driver) return { sites: parsed.data }
  const prefix = env.TOKENTAGS_STORE_PREFIX
  return { sites: parsed.data, queue: await createRedisWebhookQueue({ driver, ...(prefix ? { prefix } : {}) }) }
}

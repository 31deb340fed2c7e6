import { ConfigError } from '../configError.js'
import { redisDriverFromEnv } from '../store/fromEnv.js'
import type { SiteWebhook, WebhookQueue } from '../webhooks/dispatcher.js'
import { createRedisWebhookQueue } from '../webhooks/redisQueue.js'

/**
 * The operator webhook of the bin: `TOKENTAGS_OPERATOR_WEBHOOK_URL` and `TOKENTAGS_OPERATOR_WEBHOOK_SECRET`
 * (kept out of the config file: a secret), both or neither. Its queue goes to the store's backend (`redis`,
 * `redis-cluster` or `upstash`) under `<prefix>operator:`, apart from the sites' queue. Undefined when neither is set.
 */
export async function operatorAlertsFromEnv(
  env: NodeJS.ProcessEnv,
): Promise<{ operator: SiteWebhook; queue?: WebhookQueue } | undefined> {
  const url = env.TOKENTAGS_OPERATOR_WEBHOOK_URL?.trim()
  const secret = env.TOKENTAGS_OPERATOR_WEBHOOK_SECRET?.trim()
  if (!url && !secret) return undefined
  if (!url || !secret) {
    throw new ConfigError('set both TOKENTAGS_OPERATOR_WEBHOOK_URL and TOKENTAGS_OPERATOR_WEBHOOK_SECRET, or neither')
  }
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {}
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new ConfigError('TOKENTAGS_OPERATOR_WEBHOOK_URL is not an http(s) URL')
  }
  // A guessable key would let anyone forge alerts.
  if (secret.length < 16) throw new ConfigError('TOKENTAGS_OPERATOR_WEBHOOK_SECRET is shorter than 16 characters')
  const operator = { url, secret }
  const driver = await redisDriverFromEnv(env)
  if (!driver) return { operator }
  const prefix = `${env.TOKENTAGS_STORE_PREFIX ?? 'tokentags:'}operator:`
  return { operator, queue: await createRedisWebhookQueue({ driver, prefix }) }
}

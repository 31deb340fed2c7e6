#!/usr/bin/env node
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { LedgerUnavailableError, openLedger, redactUrl } from '@tokentags/ledger'
import { pino } from 'pino'
import type { Hex } from 'viem'
import { operatorAlertsFromEnv } from './alerts/fromEnv.js'
import { parseRelayConfigFile, type RelayConfig } from './config.js'
import { ConfigError } from './configError.js'
import type { RelayLedgerConfig } from './ledger/config.js'
import { ledgerOutboxFromEnv, ledgerRetentionFromEnv } from './ledger/fromEnv.js'
import { startRelay } from './relay.js'
import { createStoresFromEnv } from './store/factory.js'
import { webhooksFromEnv } from './webhooks/fromEnv.js'

const USAGE = `tokentags-relay [--config <file.json>] [--port <port>] [--host <host>]

Environment:
  TOKENTAGS_RELAY_CONFIG          JSON config file (same as --config)
  TOKENTAGS_RELAY_PORT            port (default 8787)
  TOKENTAGS_RELAY_HOST            host (default 127.0.0.1)
  TOKENTAGS_RELAY_LOG_LEVEL       pino level (default info)
  TOKENTAGS_RELAYER_PRIVATE_KEYS  comma-separated relayer keys for chains whose config lists none
  TOKENTAGS_STORE                 store adapter: memory (default), redis, redis-cluster, upstash
  REDIS_URL                       redis://host:port for TOKENTAGS_STORE=redis
  REDIS_CLUSTER_NODES             host:port,host:port,… (seed nodes) for TOKENTAGS_STORE=redis-cluster
  REDIS_CLUSTER_PASSWORD          password of every cluster node (optional)
  REDIS_CLUSTER_TLS               1: TLS to every cluster node (default 0)
  UPSTASH_REDIS_REST_URL          REST URL for TOKENTAGS_STORE=upstash
  UPSTASH_REDIS_REST_TOKEN        REST token for TOKENTAGS_STORE=upstash
  TOKENTAGS_STORE_PREFIX          key prefix in Redis (default tt:)
  TOKENTAGS_FINAL_RETENTION_SECONDS  how long final request records stay readable (default 604800)
  TOKENTAGS_ADMIN_TOKEN           bearer token of /admin/api/* (admin API off without it)
  TOKENTAGS_INSTANCE_ID           name of this process in leases (default host:pid:random)
  TOKENTAGS_SOLANA_FEE_PAYER_KEY  Solana fee payer key (base58 or JSON array) for a config whose solana section has none
  TOKENTAGS_DATABASE_URL          postgres://user:password@host:port/db: the operators' ledger (off when unset);
                                  its outbox waits in the store (redis, redis-cluster or upstash; memory on memory)
  TOKENTAGS_LEDGER_DIR            the ledger in embedded PGlite in this directory (one process only; ignored with TOKENTAGS_DATABASE_URL)
  TOKENTAGS_LEDGER_RETENTION_DAYS days of request and stage rows kept (default 90; older days stay as daily aggregates); off keeps all
  TOKENTAGS_LEDGER_OUTBOX_MAX     most stage events waiting in memory on the memory store (default 100000; more are dropped, counted in /metrics)
  TOKENTAGS_WEBHOOKS_FILE         JSON { "<site>": { "url", "secret" } }: per-site webhooks (needs the ledger),
                                  queued in the store (redis, redis-cluster or upstash)
  TOKENTAGS_OPERATOR_WEBHOOK_URL     http(s) URL of the operator's low-balance alerts (thresholds: config "alerts")
  TOKENTAGS_OPERATOR_WEBHOOK_SECRET  its HMAC-SHA256 key (at least 16 characters); alerts are queued in the store too`

/**
 * The ledger the environment names, with its outbox in the store's backend (Redis, cluster or Upstash).
 * Checked before anything else starts: a typo in the URL must stop the relay at once, not surface as a
 * drainer retrying forever.
 */
async function ledgerFromEnv(env: NodeJS.ProcessEnv): Promise<RelayLedgerConfig | undefined> {
  const url = env.TOKENTAGS_DATABASE_URL?.trim()
  const dir = env.TOKENTAGS_LEDGER_DIR?.trim()
  if (!url && !dir) return undefined
  if (url) {
    let parsed: URL | undefined
    try {
      parsed = new URL(url)
    } catch {}
    if (!parsed || (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') || !parsed.hostname) {
      throw new ConfigError(
        `TOKENTAGS_DATABASE_URL is not a PostgreSQL URL (postgres://user:password@host:port/database): ${redactUrl(url)}`,
      )
    }
  } else if ((env.TOKENTAGS_STORE ?? 'memory') !== 'memory') {
    // PGlite is one process's database: relays sharing a Redis store would each keep a partial ledger.
    throw new ConfigError(
      'TOKENTAGS_LEDGER_DIR (PGlite) is for a single relay on the memory store; use TOKENTAGS_DATABASE_URL',
    )
  }
  const retention = ledgerRetentionFromEnv(env)
  const outbox = await ledgerOutboxFromEnv(env)
  try {
    const ledger = await openLedger(url ? { url } : { dir: resolve(dir as string) })
    return { ledger, outbox, ...(retention === undefined ? {} : { retention }) }
  } catch (error) {
    await outbox.close().catch(() => {})
    if (error instanceof LedgerUnavailableError) throw new ConfigError(error.message)
    throw new ConfigError(`cannot open the ledger in ${dir}: ${(error as Error).message}`)
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', short: 'c' },
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) {
    console.log(USAGE)
    return
  }
  const env = process.env
  const logger = pino({ name: 'tokentags-relay', level: env.TOKENTAGS_RELAY_LOG_LEVEL ?? 'info' })

  const configPath = values.config ?? env.TOKENTAGS_RELAY_CONFIG
  if (!configPath) throw new ConfigError(`no config file: pass --config or set TOKENTAGS_RELAY_CONFIG\n\n${USAGE}`)
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(resolve(configPath), 'utf8'))
  } catch (error) {
    throw new ConfigError(`cannot read config file ${configPath}: ${(error as Error).message}`)
  }
  const file = parseRelayConfigFile(raw)
  // Solana: the fee payer key may stay out of the file.
  if (file.solana && env.TOKENTAGS_SOLANA_FEE_PAYER_KEY)
    file.solana.feePayerSecretKey = env.TOKENTAGS_SOLANA_FEE_PAYER_KEY

  if (env.TOKENTAGS_WEBHOOKS_FILE && !env.TOKENTAGS_DATABASE_URL && !env.TOKENTAGS_LEDGER_DIR) {
    throw new ConfigError(
      'TOKENTAGS_WEBHOOKS_FILE needs the ledger: set TOKENTAGS_DATABASE_URL (or TOKENTAGS_LEDGER_DIR)',
    )
  }
  const webhooks = await webhooksFromEnv(env, Object.keys(file.sites))
  const ledger = await ledgerFromEnv(env)
  if (ledger && webhooks) ledger.webhooks = webhooks
  const operatorAlerts = await operatorAlertsFromEnv(env)
  const stores = await createStoresFromEnv(env)

  const envKeys = (env.TOKENTAGS_RELAYER_PRIVATE_KEYS ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k.length > 0)
  if (envKeys.some((k) => !/^0x[0-9a-fA-F]{64}$/.test(k))) {
    throw new ConfigError('TOKENTAGS_RELAYER_PRIVATE_KEYS must be comma-separated 0x-prefixed 32-byte keys')
  }
  const config: RelayConfig = {
    ...file,
    chains: file.chains.map((chain) => ({
      ...chain,
      relayerPrivateKeys: chain.relayerPrivateKeys.length > 0 ? chain.relayerPrivateKeys : (envKeys as Hex[]),
    })),
    logger,
    stores,
    production: env.NODE_ENV === 'production',
    ...(env.TOKENTAGS_ADMIN_TOKEN ? { admin: { token: env.TOKENTAGS_ADMIN_TOKEN } } : {}),
    ...(env.TOKENTAGS_INSTANCE_ID ? { instanceId: env.TOKENTAGS_INSTANCE_ID } : {}),
    ...(ledger ? { ledger } : {}),
    ...(file.alerts || operatorAlerts ? { alerts: { ...file.alerts, ...operatorAlerts } } : {}),
  }
  for (const chain of config.chains) {
    if (chain.relayerPrivateKeys.length === 0) {
      throw new ConfigError(`chain ${chain.chainId} has no relayer keys (config or TOKENTAGS_RELAYER_PRIVATE_KEYS)`)
    }
  }

  const portText = values.port ?? env.TOKENTAGS_RELAY_PORT ?? '8787'
  const port = Number(portText)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`invalid port ${portText}`)
  const relay = await startRelay({ ...config, port, host: values.host ?? env.TOKENTAGS_RELAY_HOST ?? '127.0.0.1' })
  logger.info(
    {
      url: relay.url,
      chains: [...relay.chains.keys()],
      sites: Object.keys(config.sites).length,
      ledger: env.TOKENTAGS_DATABASE_URL ? redactUrl(env.TOKENTAGS_DATABASE_URL) : ledger ? 'pglite' : 'off',
    },
    'relay listening',
  )

  let stopping = false
  const stop = (signal: string) => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'stopping')
    relay.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'error while stopping')
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', () => stop('SIGINT'))
  process.once('SIGTERM', () => stop('SIGTERM'))
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `tokentags-relay: ${error.message}` : error)
  process.exit(1)
})

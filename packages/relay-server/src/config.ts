import type { Logger } from 'pino'
import { type Abi, type Address, getAddress, type Hex } from 'viem'
import { z } from 'zod'
import { type AlertsConfig, alertsConfigFileSchema } from './alerts/config.js'
import {
  type AttestationConfig,
  attestationConfigFileSchema,
  type ResolvedAttestation,
  resolveAttestation,
} from './attestation/config.js'
import { ConfigError } from './configError.js'
import { type DashboardConfig, dashboardConfigFileSchema } from './dashboard/config.js'
import { type EmbedConfig, embedConfigFileSchema } from './embed/config.js'
import type { EventsConfig } from './events/config.js'
import {
  type AllowedFunction,
  DEFAULT_MAX_ARGUMENT_WORDS,
  resolveSiteFunction,
  type SiteFunction,
} from './evm/functionRules.js'
import type { RelayLedgerConfig } from './ledger/config.js'
import type { SolanaRelayConfig, SolanaSitePolicy } from './solana/config.js'
import { solanaConfigFileSchema, solanaSiteFileSchema } from './solana/schema.js'
import type { RelayStore, Stores } from './store/types.js'

/** One EVM chain the relay serves. */
export interface RelayChainConfig {
  chainId: number
  rpcUrl: string
  /** The `ERC2771Forwarder` the relay calls `executeBatch` on. */
  forwarder: Address
  /** Keys that send the batches and pay the gas; rotated per batch. */
  relayerPrivateKeys: Hex[]
  /** EIP-712 domain name of the forwarder (default `TokenTags Forwarder`; version is always `1`). */
  domainName?: string
  /** Largest `gas` a single request may ask for (default 1,000,000). */
  maxGasPerRequest?: bigint | number
  /**
   * Fee ceiling in wei per gas: no transaction is sent or bumped above it; while the base fee is
   * above it, batches wait. Required when a site has a `dailyBudgetWei` (it bounds reservations).
   */
  maxFeePerGas?: bigint | number | string
  /** Cap of the priority fee (tip) in wei per gas (default: none besides `maxFeePerGas`). */
  maxPriorityFeePerGas?: bigint | number | string
  /** Floor of the priority fee in wei per gas (default 0: the fee-history median). */
  minPriorityFeePerGas?: bigint | number | string
  /** Blocks on top of a receipt (itself included) before its requests are `confirmed` (default 1). */
  confirmations?: number
  /** A transaction unmined this long is replaced with bumped fees (default 30,000 ms). */
  replaceAfterMs?: number
  /** Fee bump of a replacement, in percent of the previous fees (default 12.5; at least 10). */
  feeBumpPercent?: number
  /**
   * Budget reservations price a request's measured gas at the next base fee times this, plus the
   * tip, never above `maxFeePerGas`; an OP-stack L1 data fee is reserved at the oracle's quote
   * times this (default 2: two full blocks of base-fee rise, or a doubling of the L1 fee).
   */
  reserveFeeMultiplier?: number
  /**
   * An OP-stack chain (Base, Optimism): reservations add the L1 data fee quoted by the
   * GasPriceOracle predeploy, settlement adds the receipt's `l1Fee` (default false).
   */
  opStack?: boolean
}

/** A contract a site may call through the relay and the functions allowed on it. */
export interface SiteTarget {
  address: Address
  /**
   * Functions by signature (`"transfer(address,uint256)"`, or `{ signature, args }` with argument
   * rules): the calldata must be exactly their canonical encoding.
   */
  functions?: Array<string | SiteFunction>
  /** Legacy: bare 4-byte selectors; only the calldata's shape is checked (see `maxArgumentWords`). */
  selectors?: Hex[]
  /** Most 32-byte words after a selector-only entry's selector (default 64). */
  maxArgumentWords?: number
  /** Restricts the target to one chain; any served chain when omitted. */
  chainId?: number
}

/** The policy a site key binds a page to. */
export interface SiteConfig {
  /** Exact origins (`https://shop.example`), or `*` for any. */
  origins: string[]
  targets: SiteTarget[]
  /** Accept requests that carry no `Origin` header (server-to-server); default false. */
  allowNoOrigin?: boolean
  /**
   * Most wei the relay spends for this site per UTC day (reserved at acceptance, settled with gas
   * used), or `"unlimited"`. Required for a site with targets: the relay refuses to start without it.
   */
  dailyBudgetWei?: bigint | number | string
  /** Most requests one sender may make through this site per UTC day. */
  senderDailyQuota?: number
  /** What the relay requires before sponsoring (human check, sponsorship webhook); off when absent. See README. */
  attestation?: AttestationConfig
  /**
   * The site's Solana policy (programs, budget, quota, token account funding, Solana Pay): overrides
   * of the `solana` section's defaults, which apply when absent. Needs a `solana` section.
   */
  solana?: SolanaSitePolicy
}

export interface BatchConfig {
  /** Most requests in one `executeBatch` (default 10). */
  maxSize: number
  /** Longest time the oldest queued request waits for a batch to fill (default 250 ms). */
  maxWaitMs: number
  /** Gas limit ceiling of one batch transaction (default 15,000,000). */
  maxGas?: bigint | number
  /** How long to wait for a batch's receipt before marking its requests failed (default 120 s). */
  receiptTimeoutMs?: number
  /** How often to look for work queued by other instances and check transactions (default 1000 ms). */
  pollIntervalMs?: number
  /** How long a claim on queued requests lasts before another instance may take them (default 30,000 ms). */
  claimLeaseMs?: number
  /** How long a relayer-key lease lasts without renewal (renewed every third of it; default 15,000 ms). */
  keyLeaseMs?: number
  /** Most unconfirmed transactions per relayer key (default 4). */
  maxInFlight?: number
}

export interface LimitsConfig {
  /** Largest accepted JSON body in bytes (default 32 KiB). */
  maxBodyBytes?: number
  /** Latest accepted deadline, in seconds from now (default 86,400: one day). */
  maxDeadlineSeconds?: number
  /** Submissions per client IP (default 600 per 60 s); `false` turns it off. */
  perIp?: RateLimitConfig | false
  /** Submissions per signer address (default 60 per 60 s); `false` turns it off. */
  perSender?: RateLimitConfig | false
  /** Submissions per site key, EVM and Solana each (default 600 per 60 s: {@link DEFAULT_PER_SITE}); `false` turns it off. */
  perSite?: RateLimitConfig | false
  /** Most accepted, not yet final EVM requests of one signer on a chain (default 32); `false` turns it off. */
  inFlightPerSender?: number | false
  /** Most accepted, not yet final EVM requests from one client address (IPv6 by /64) on a chain (default 1024); `false` turns it off. */
  inFlightPerIp?: number | false
}

export interface RateLimitConfig {
  points: number
  durationSeconds: number
}

interface AdminConfig {
  /** Bearer token of `/admin/api/*` (from `TOKENTAGS_ADMIN_TOKEN`); the admin API is off without one. */
  token?: string
}

export interface RelayConfig {
  chains: RelayChainConfig[]
  sites: Record<string, SiteConfig>
  batch?: Partial<BatchConfig>
  limits?: LimitsConfig
  /** Every store, from `createStores`/`createStoresFromEnv` (default: fresh memory stores). */
  stores?: Stores
  /** The EVM stores alone (tests, back-compat): Solana requests then stay in this process's memory. */
  store?: RelayStore
  /** Defaults to `pino()` at level `info`. */
  logger?: Logger
  /** ABIs of other target contracts, used to name their custom errors (forwarder, TagToken and VestingVault are built in). */
  errorAbis?: Abi[]
  /** Solana sponsorship (`POST /v1/solana/transactions`); off when absent. See README, Solana. */
  solana?: SolanaRelayConfig
  admin?: AdminConfig
  /** Social embeds: `/embed/claim|tip|buy` and `/oembed` (packages/dashboard/README.md, "Embeds"); off when absent. */
  embed?: EmbedConfig
  /** Operator dashboard at `/admin` (packages/dashboard/README.md, "Dashboard"). */
  dashboard?: DashboardConfig
  /** Operators' ledger: every request's stages in PostgreSQL (README, "Ledger"); off when absent. */
  ledger?: RelayLedgerConfig
  /** The widgets' funnel, `POST /v1/events` (README, "Widget funnel"): limits; counted only with a ledger. */
  events?: EventsConfig
  /** Low-balance thresholds (also the dashboard's) and the operator webhook (README, "Operator alerts"). */
  alerts?: AlertsConfig
  /** Name of this process in leases and claims (default: host, pid and a random suffix). */
  instanceId?: string
  /**
   * Which proxies in front of the relay to believe about the client's address (`X-Forwarded-For`),
   * as express's `trust proxy`: a hop count, or proxy addresses / subnets (`loopback`, `10.0.0.0/8`).
   * Default `false`: the socket's peer is the client, and a forged header changes nothing.
   */
  trustProxy?: TrustProxy
  /**
   * Production mode (`tokentags-relay` sets it from `NODE_ENV=production`): the relay refuses to
   * start without what only a developer's machine may omit (`embed.publicUrl`).
   */
  production?: boolean
}

export type TrustProxy = boolean | number | string[]

/** What a production relay must have that a developer's may omit; throws `ConfigError` naming it. */
export function checkProductionConfig(config: Pick<RelayConfig, 'embed'>): void {
  if (config.embed && !config.embed.publicUrl) {
    throw new ConfigError(
      'embed.publicUrl is required in production: without it embed and oEmbed URLs follow the Host header',
    )
  }
}

const addressSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x-prefixed 20-byte address')
  .transform((a) => getAddress(a.toLowerCase()))
const privateKeySchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 0x-prefixed 32-byte private key')
  .transform((k) => k as Hex)
const selectorSchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{8}$/, 'expected a 4-byte selector such as 0x379607f5')
  .transform((s) => s.toLowerCase() as Hex)
const gasSchema = z.union([z.number().int().positive(), z.string().regex(/^[1-9][0-9]*$/)]).transform((v) => BigInt(v))
const weiSchema = z
  .union([z.number().int().nonnegative(), z.string().regex(/^(0|[1-9][0-9]*)$/)])
  .transform((v) => BigInt(v))
const argumentRuleSchema = z.strictObject({
  min: weiSchema.optional(),
  max: weiSchema.optional(),
  allow: z.array(addressSchema).min(1).optional(),
})
const siteFunctionSchema = z.strictObject({
  signature: z.string().min(3),
  args: z.record(z.string().min(1), argumentRuleSchema).optional(),
})
/** `dailyBudgetWei` of a site sponsored without a daily cap: said in the config, never a default. */
const UNLIMITED_BUDGET = 'unlimited'

const rateSchema = z.union([
  z.literal(false),
  z.object({ points: z.number().int().positive(), durationSeconds: z.number().int().positive() }),
])

/** Schema of the JSON config file read by `tokentags-relay` (see README). */
export const relayConfigFileSchema = z.object({
  chains: z
    .array(
      z.object({
        chainId: z.number().int().positive(),
        rpcUrl: z.url(),
        forwarder: addressSchema,
        relayerPrivateKeys: z.array(privateKeySchema).default([]),
        domainName: z.string().min(1).optional(),
        maxGasPerRequest: gasSchema.optional(),
        maxFeePerGas: weiSchema.optional(),
        maxPriorityFeePerGas: weiSchema.optional(),
        minPriorityFeePerGas: weiSchema.optional(),
        confirmations: z.number().int().min(1).max(1000).optional(),
        replaceAfterMs: z.number().int().positive().optional(),
        feeBumpPercent: z.number().min(10).max(1000).optional(),
        reserveFeeMultiplier: z.number().int().min(1).max(10).optional(),
        opStack: z.boolean().optional(),
      }),
    )
    // None is fine for a Solana-only relay; createRelay refuses a config that serves nothing.
    .default([]),
  sites: z.record(
    z.string().min(1),
    z.object({
      origins: z.array(z.string().min(1)),
      targets: z.array(
        z
          .object({
            address: addressSchema,
            functions: z.array(z.union([z.string().min(3), siteFunctionSchema])).optional(),
            selectors: z.array(selectorSchema).optional(),
            maxArgumentWords: z.number().int().min(0).max(4096).optional(),
            chainId: z.number().int().positive().optional(),
          })
          .refine((t) => (t.functions?.length ?? 0) + (t.selectors?.length ?? 0) > 0, {
            message: 'a target lists at least one function (or selector)',
          }),
      ),
      allowNoOrigin: z.boolean().optional(),
      dailyBudgetWei: z.union([weiSchema, z.literal(UNLIMITED_BUDGET)]).optional(),
      senderDailyQuota: z.number().int().positive().optional(),
      attestation: attestationConfigFileSchema.optional(),
      solana: solanaSiteFileSchema.optional(),
    }),
  ),
  batch: z
    .object({
      maxSize: z.number().int().min(1).max(100).optional(),
      maxWaitMs: z.number().int().min(0).optional(),
      maxGas: gasSchema.optional(),
      receiptTimeoutMs: z.number().int().positive().optional(),
      pollIntervalMs: z.number().int().positive().optional(),
      claimLeaseMs: z.number().int().positive().optional(),
      keyLeaseMs: z.number().int().min(300).optional(),
      maxInFlight: z.number().int().min(1).max(64).optional(),
    })
    .optional(),
  limits: z
    .object({
      maxBodyBytes: z.number().int().positive().optional(),
      maxDeadlineSeconds: z.number().int().positive().optional(),
      perIp: rateSchema.optional(),
      perSender: rateSchema.optional(),
      perSite: rateSchema.optional(),
      inFlightPerSender: z.union([z.literal(false), z.number().int().positive()]).optional(),
      inFlightPerIp: z.union([z.literal(false), z.number().int().positive()]).optional(),
    })
    .optional(),
  instanceId: z.string().min(1).max(100).optional(),
  trustProxy: z
    .union([z.boolean(), z.number().int().min(0).max(20), z.array(z.string().min(1).max(64)).min(1)])
    .optional(),
  solana: solanaConfigFileSchema.optional(),
  embed: embedConfigFileSchema.optional(),
  dashboard: dashboardConfigFileSchema.optional(),
  alerts: alertsConfigFileSchema.optional(),
  events: z
    .object({
      perIp: rateSchema.optional(),
      perSite: rateSchema.optional(),
      maxEvents: z.number().int().min(1).max(500).optional(),
      maxBodyBytes: z.number().int().min(256).max(65_536).optional(),
    })
    .optional(),
})

export type RelayConfigFile = z.output<typeof relayConfigFileSchema>

/** Validates a parsed JSON config; throws `ConfigError` naming the first bad field. */
export function parseRelayConfigFile(input: unknown): RelayConfigFile {
  const result = relayConfigFileSchema.safeParse(input)
  if (!result.success) {
    const issue = result.error.issues[0]
    const path = issue?.path.join('.') || '(root)'
    throw new ConfigError(`invalid relay config at ${path}: ${issue?.message ?? 'invalid'}`)
  }
  return result.data
}

export interface ResolvedSite {
  key: string
  origins: ReadonlySet<string>
  anyOrigin: boolean
  allowNoOrigin: boolean
  targets: ReadonlyArray<ResolvedTarget>
  dailyBudgetWei?: bigint
  senderDailyQuota?: number
  attestation?: ResolvedAttestation
}

interface ResolvedTarget {
  address: Address
  /** Selector-only (legacy) entries. */
  selectors: ReadonlySet<Hex>
  /** Entries by signature, by selector; they win over a selector-only entry of the same selector. */
  functions?: ReadonlyMap<Hex, AllowedFunction>
  maxArgumentWords?: number
  chainId?: number
}

export interface ResolvedLimits {
  maxBodyBytes: number
  maxDeadlineSeconds: number
  perIp: RateLimitConfig | false
  perSender: RateLimitConfig | false
  perSite: RateLimitConfig | false
  inFlightPerSender: number | false
  inFlightPerIp: number | false
}

export interface ResolvedBatchConfig {
  maxSize: number
  maxWaitMs: number
  maxGas: bigint
  receiptTimeoutMs: number
  pollIntervalMs: number
  claimLeaseMs: number
  keyLeaseMs: number
  maxInFlight: number
}

/** Largest budget the stores can count exactly (Redis integers are signed 64-bit). */
const MAX_BUDGET_WEI = 2n ** 63n - 1n

export const DEFAULT_MAX_GAS_PER_REQUEST = 1_000_000n
/** A signer's pending requests on a chain: far above what one visitor clicks, far below a budget's worth. */
const DEFAULT_IN_FLIGHT_PER_SENDER = 32
/** Pending requests from one address: room for a carrier NAT's visitors, not for one host's flood of signers. */
const DEFAULT_IN_FLIGHT_PER_IP = 1024
/**
 * Submissions per site key and minute, EVM and Solana each (issue 13, "Sane defaults"). The per-address limit
 * cannot stop a flood spread over many addresses, and every submission costs a signature check and a
 * simulation and may spend the site's budget: 10 a second is far above the sustained rate of people clicking
 * a wallet prompt on one site, and caps what a leaked site key can make the relay do. A site expecting more
 * (a launch, a drop) sets `limits.perSite` higher; `false` turns it off.
 */
export const DEFAULT_PER_SITE: RateLimitConfig = { points: 600, durationSeconds: 60 }

export function resolveSites(sites: Record<string, SiteConfig>): Map<string, ResolvedSite> {
  const resolved = new Map<string, ResolvedSite>()
  for (const [key, site] of Object.entries(sites)) {
    const origins = new Set(site.origins.filter((o) => o !== '*').map(normalizeOrigin))
    const budget = resolveDailyBudget(key, site)
    const attestation = resolveAttestation(key, site.attestation)
    resolved.set(key, {
      key,
      origins,
      anyOrigin: site.origins.includes('*'),
      allowNoOrigin: site.allowNoOrigin ?? false,
      targets: site.targets.map((t, i) => {
        const functions = new Map<Hex, AllowedFunction>()
        for (const [j, entry] of (t.functions ?? []).entries()) {
          const fn = resolveSiteFunction(entry, `sites.${key}.targets.${i}.functions.${j}`)
          functions.set(fn.selector, fn)
        }
        return {
          address: getAddress(t.address.toLowerCase()),
          selectors: new Set((t.selectors ?? []).map((s) => s.toLowerCase() as Hex)),
          functions,
          maxArgumentWords: t.maxArgumentWords ?? DEFAULT_MAX_ARGUMENT_WORDS,
          ...(t.chainId === undefined ? {} : { chainId: t.chainId }),
        }
      }),
      ...(budget === undefined ? {} : { dailyBudgetWei: budget }),
      ...(site.senderDailyQuota === undefined ? {} : { senderDailyQuota: site.senderDailyQuota }),
      ...(attestation === undefined ? {} : { attestation }),
    })
  }
  return resolved
}

/**
 * A site's daily budget in wei, or undefined for `"unlimited"` and for a site without targets (it
 * spends no EVM gas). A site with targets and no budget is refused: an uncapped site is a choice
 * its operator writes down, never what a forgotten field gives.
 */
function resolveDailyBudget(key: string, site: SiteConfig): bigint | undefined {
  const value = site.dailyBudgetWei
  if (value === UNLIMITED_BUDGET || (value === undefined && site.targets.length === 0)) return undefined
  if (value === undefined) {
    throw new ConfigError(
      `site ${key} has no daily budget: set sites.${key}.dailyBudgetWei to the most wei its gas may cost per UTC day (e.g. "50000000000000000"), or to "${UNLIMITED_BUDGET}" to sponsor it without a cap`,
    )
  }
  let budget: bigint
  try {
    budget = BigInt(value)
  } catch (error) {
    throw new ConfigError(`sites.${key}.dailyBudgetWei must be an integer of wei or "${UNLIMITED_BUDGET}"`, {
      cause: error,
    })
  }
  if (budget < 0n || budget > MAX_BUDGET_WEI) {
    throw new ConfigError(`sites.${key}.dailyBudgetWei must be between 0 and 2^63 - 1`)
  }
  return budget
}

export function resolveLimits(limits: LimitsConfig = {}): ResolvedLimits {
  return {
    maxBodyBytes: limits.maxBodyBytes ?? 32 * 1024,
    maxDeadlineSeconds: limits.maxDeadlineSeconds ?? 86_400,
    perIp: limits.perIp ?? { points: 600, durationSeconds: 60 },
    perSender: limits.perSender ?? { points: 60, durationSeconds: 60 },
    perSite: limits.perSite ?? DEFAULT_PER_SITE,
    inFlightPerSender: limits.inFlightPerSender ?? DEFAULT_IN_FLIGHT_PER_SENDER,
    inFlightPerIp: limits.inFlightPerIp ?? DEFAULT_IN_FLIGHT_PER_IP,
  }
}

export function resolveBatch(batch: Partial<BatchConfig> = {}): ResolvedBatchConfig {
  return {
    maxSize: batch.maxSize ?? 10,
    maxWaitMs: batch.maxWaitMs ?? 250,
    maxGas: BigInt(batch.maxGas ?? 15_000_000),
    receiptTimeoutMs: batch.receiptTimeoutMs ?? 120_000,
    pollIntervalMs: batch.pollIntervalMs ?? 1000,
    claimLeaseMs: batch.claimLeaseMs ?? 30_000,
    keyLeaseMs: batch.keyLeaseMs ?? 15_000,
    maxInFlight: batch.maxInFlight ?? 4,
  }
}

/** Lower-cases scheme and host and drops a trailing slash, as browsers send `Origin`. */
export function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase()
}

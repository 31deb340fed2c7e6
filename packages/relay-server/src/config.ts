import type { Logger } from 'pino'
import { type Abi, type Address, getAddress, type Hex } from 'viem'
import { z } from 'zod'
import type { RelayStore } from './store/types.js'

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
}

/** A contract a site may call through the relay and the 4-byte selectors allowed on it. */
export interface SiteTarget {
  address: Address
  selectors: Hex[]
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
  /** How often to look for work queued by other instances (default 1000 ms). */
  pollIntervalMs?: number
}

export interface LimitsConfig {
  /** Largest accepted JSON body in bytes (default 32 KiB). */
  maxBodyBytes?: number
  /** Latest accepted deadline, in seconds from now (default 86,400: one day). */
  maxDeadlineSeconds?: number
}

export interface RelayConfig {
  chains: RelayChainConfig[]
  sites: Record<string, SiteConfig>
  batch?: Partial<BatchConfig>
  limits?: LimitsConfig
  /** Defaults to a fresh memory store. */
  store?: RelayStore
  /** Defaults to `pino()` at level `info`. */
  logger?: Logger
  /** ABIs of other target contracts, used to name their custom errors (forwarder, TagToken and VestingVault are built in). */
  errorAbis?: Abi[]
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
      }),
    )
    .min(1),
  sites: z.record(
    z.string().min(1),
    z.object({
      origins: z.array(z.string().min(1)),
      targets: z.array(
        z.object({
          address: addressSchema,
          selectors: z.array(selectorSchema),
          chainId: z.number().int().positive().optional(),
        }),
      ),
      allowNoOrigin: z.boolean().optional(),
    }),
  ),
  batch: z
    .object({
      maxSize: z.number().int().min(1).max(100).optional(),
      maxWaitMs: z.number().int().min(0).optional(),
      maxGas: gasSchema.optional(),
      receiptTimeoutMs: z.number().int().positive().optional(),
      pollIntervalMs: z.number().int().positive().optional(),
    })
    .optional(),
  limits: z
    .object({
      maxBodyBytes: z.number().int().positive().optional(),
      maxDeadlineSeconds: z.number().int().positive().optional(),
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

export class ConfigError extends Error {
  override name = 'ConfigError'
}

export interface ResolvedSite {
  key: string
  origins: ReadonlySet<string>
  anyOrigin: boolean
  allowNoOrigin: boolean
  targets: ReadonlyArray<{ address: Address; selectors: ReadonlySet<Hex>; chainId?: number }>
}

export interface ResolvedLimits {
  maxBodyBytes: number
  maxDeadlineSeconds: number
}

export interface ResolvedBatchConfig {
  maxSize: number
  maxWaitMs: number
  maxGas: bigint
  receiptTimeoutMs: number
  pollIntervalMs: number
}

export const DEFAULT_MAX_GAS_PER_REQUEST = 1_000_000n

export function resolveSites(sites: Record<string, SiteConfig>): Map<string, ResolvedSite> {
  const resolved = new Map<string, ResolvedSite>()
  for (const [key, site] of Object.entries(sites)) {
    const origins = new Set(site.origins.filter((o) => o !== '*').map(normalizeOrigin))
    resolved.set(key, {
      key,
      origins,
      anyOrigin: site.origins.includes('*'),
      allowNoOrigin: site.allowNoOrigin ?? false,
      targets: site.targets.map((t) => ({
        address: getAddress(t.address.toLowerCase()),
        selectors: new Set(t.selectors.map((s) => s.toLowerCase() as Hex)),
        ...(t.chainId === undefined ? {} : { chainId: t.chainId }),
      })),
    })
  }
  return resolved
}

export function resolveLimits(limits: LimitsConfig = {}): ResolvedLimits {
  return {
    maxBodyBytes: limits.maxBodyBytes ?? 32 * 1024,
    maxDeadlineSeconds: limits.maxDeadlineSeconds ?? 86_400,
  }
}

export function resolveBatch(batch: Partial<BatchConfig> = {}): ResolvedBatchConfig {
  return {
    maxSize: batch.maxSize ?? 10,
    maxWaitMs: batch.maxWaitMs ?? 250,
    maxGas: BigInt(batch.maxGas ?? 15_000_000),
    receiptTimeoutMs: batch.receiptTimeoutMs ?? 120_000,
    pollIntervalMs: batch.pollIntervalMs ?? 1000,
  }
}

/** Lower-cases scheme and host and drops a trailing slash, as browsers send `Origin`. */
export function normalizeOrigin(origin: string): string {
  return origin.trim().replace(/\/+$/, '').toLowerCase()
}

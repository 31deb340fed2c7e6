import { getBase58Encoder } from '@solana/kit'
import { ConfigError } from '../configError.js'

import type { SolanaStore } from './store.js'

export { solanaConfigFileSchema } from './schema.js'

export const SYSTEM_PROGRAM = '11111111111111111111111111111111'
export const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA'
export const ASSOCIATED_TOKEN_PROGRAM = 'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL'
export const COMPUTE_BUDGET_PROGRAM = 'ComputeBudget111111111111111111111111111111'
export const MEMO_PROGRAM = 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr'
export const MEMO_V1_PROGRAM = 'Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo'

/** Programs a sponsored transaction may call unless a site says otherwise. */
export const DEFAULT_SOLANA_PROGRAMS: readonly string[] = [
  SYSTEM_PROGRAM,
  TOKEN_PROGRAM,
  ASSOCIATED_TOKEN_PROGRAM,
  COMPUTE_BUDGET_PROGRAM,
  MEMO_PROGRAM,
  MEMO_V1_PROGRAM,
]

/** Per-site overrides of the Solana policy (keyed by site key, like `sites`). */
export interface SolanaSitePolicy {
  /** Base58 program ids this site's transactions may call (replaces the default list). */
  programs?: string[]
  /** Lamports the relay may spend for this site per UTC day (fees, and rent when it pays for token accounts). */
  lamportsPerDay?: bigint | number
  /** Sponsored transactions one wallet may submit per UTC day. */
  requestsPerWalletPerDay?: number
  payForTokenAccounts?: boolean
  /** Mints whose token accounts the relay funds (default: any, when `payForTokenAccounts`). */
  fundedMints?: string[]
  /** Solana Pay tips through `/v1/solana/pay/tip` (README, "Solana Pay"); off unless set. */
  pay?: SolanaPayConfig
}

/** Who a site's Solana Pay tip links may pay, and how wallets present them. */
export interface SolanaPayConfig {
  /** Base58 addresses that may receive tips (a `to` outside this list is refused). */
  recipients: string[]
  /** SPL mints (classic Token program) that may be tipped besides SOL. */
  mints?: string[]
  /** Whether native SOL tips are accepted (default true). */
  sol?: boolean
  /** Who asks, as wallets show it (Solana Pay `label`, Action `title` by default); default `TokenTags`. */
  label?: string
  /** Action `title` (default: `label`). */
  title?: string
  /** Action `description` (default: what the tip pays, and to whom). */
  description?: string
  /** Absolute http(s) URL of an SVG, PNG or WebP icon (default: the relay's own). */
  icon?: string
}

/** `solana` section of the relay config. */
export interface SolanaRelayConfig {
  rpcUrl: string
  /**
   * The fee payer's key: base58 of the 64-byte secret key (Phantom / `solana-keygen` export), a
   * JSON array of its 64 bytes (`solana-keygen` file), or the 32-byte private key alone.
   */
  feePayerSecretKey?: string | readonly number[] | Uint8Array | undefined
  /** Wallet Standard chain answered in `/v1/config` (default `solana:devnet`). */
  chain?: `solana:${string}`
  /** Default program allow-list (default System, SPL Token, Associated Token, Compute Budget, Memo). */
  programs?: string[]
  /** Cap on the compute-unit limit a transaction sets or implies (default 200,000). */
  maxComputeUnits?: number
  /** Cap on the compute-unit price in micro-lamports (default 100,000, i.e. ≤ 20,000 lamports at the cap). */
  maxComputeUnitPrice?: bigint | number
  /** Largest wire transaction in bytes (default 1232, Solana's packet limit). */
  maxTransactionBytes?: number
  /** Most signers including the fee payer (default 2: the relay and the visitor's wallet). */
  maxSigners?: number
  /** Let the fee payer fund an associated token account a tip needs (default false). */
  payForTokenAccounts?: boolean
  /** Only for these mints (default: any mint). */
  fundedMints?: string[]
  /** Default daily lamports budget per site (default 1 SOL). */
  lamportsPerDay?: bigint | number
  /** Default daily request quota per wallet (default 100). */
  requestsPerWalletPerDay?: number
  sites?: Record<string, SolanaSitePolicy>
  /** In process only: where Solana requests live (default: a new memory store). */
  store?: SolanaStore
  confirm?: {
    /** How often to ask for signature statuses (default 500 ms). */
    pollIntervalMs?: number
    /** How often to re-send while unconfirmed and the blockhash is valid (default 2,000 ms). */
    resendIntervalMs?: number
  }
}

export interface ResolvedSolanaSitePolicy {
  programs: ReadonlySet<string>
  lamportsPerDay: bigint
  requestsPerWalletPerDay: number
  payForTokenAccounts: boolean
  /** Undefined: any mint. */
  fundedMints: ReadonlySet<string> | undefined
  /** Undefined: Solana Pay tips are off for the site. */
  pay: ResolvedSolanaPayPolicy | undefined
}

export interface ResolvedSolanaPayPolicy {
  recipients: ReadonlySet<string>
  mints: ReadonlySet<string>
  sol: boolean
  label: string
  title: string
  description: string | undefined
  icon: string | undefined
}

export interface ResolvedSolanaConfig {
  rpcUrl: string
  chain: `solana:${string}`
  feePayer: string
  /** 32-byte Ed25519 private key. */
  feePayerPrivateKey: Uint8Array
  maxComputeUnits: number
  maxComputeUnitPrice: bigint
  maxTransactionBytes: number
  maxSigners: number
  defaults: ResolvedSolanaSitePolicy
  sites: ReadonlyMap<string, ResolvedSolanaSitePolicy>
  pollIntervalMs: number
  resendIntervalMs: number
}

const base58Pattern = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/

/** Decodes the fee payer key to its 32-byte private key (checking the public half when given). */
export function decodeSecretKey(input: string | readonly number[] | Uint8Array): {
  privateKey: Uint8Array
  publicKey?: Uint8Array
} {
  let bytes: Uint8Array
  if (typeof input === 'string') {
    const text = input.trim()
    if (text.startsWith('[')) return decodeSecretKey(JSON.parse(text) as number[])
    try {
      bytes = new Uint8Array(getBase58Encoder().encode(text))
    } catch {
      throw new ConfigError('solana.feePayerSecretKey is not base58')
    }
  } else bytes = Uint8Array.from(input)
  if (bytes.length === 64) return { privateKey: bytes.slice(0, 32), publicKey: bytes.slice(32) }
  if (bytes.length === 32) return { privateKey: bytes }
  throw new ConfigError(`solana.feePayerSecretKey must be 32 or 64 bytes, not ${bytes.length}`)
}

export function resolveSolanaConfig(
  config: SolanaRelayConfig,
  derivePublicKey: (privateKey: Uint8Array) => string,
): ResolvedSolanaConfig {
  if (config.feePayerSecretKey === undefined) {
    throw new ConfigError(
      'solana.feePayerSecretKey is required (or TOKENTAGS_SOLANA_FEE_PAYER_KEY for tokentags-relay)',
    )
  }
  const { privateKey, publicKey } = decodeSecretKey(config.feePayerSecretKey)
  const feePayer = derivePublicKey(privateKey)
  if (
    publicKey &&
    getBase58Encoder()
      .encode(feePayer)
      .some((b, i) => b !== publicKey[i])
  ) {
    throw new ConfigError('solana.feePayerSecretKey: the public half does not match the private key')
  }
  for (const program of [
    ...(config.fundedMints ?? []),
    ...Object.values(config.sites ?? {}).flatMap((s) => s.fundedMints ?? []),
    ...(config.programs ?? []),
    ...Object.values(config.sites ?? {}).flatMap((s) => s.programs ?? []),
    ...Object.values(config.sites ?? {}).flatMap((s) => [...(s.pay?.recipients ?? []), ...(s.pay?.mints ?? [])]),
  ]) {
    if (!base58Pattern.test(program))
      throw new ConfigError(`solana address ${program} (programs, fundedMints, pay) is not base58`)
  }
  const defaults: ResolvedSolanaSitePolicy = {
    programs: new Set(config.programs ?? DEFAULT_SOLANA_PROGRAMS),
    lamportsPerDay: BigInt(config.lamportsPerDay ?? 1_000_000_000),
    requestsPerWalletPerDay: config.requestsPerWalletPerDay ?? 100,
    payForTokenAccounts: config.payForTokenAccounts ?? false,
    fundedMints: config.fundedMints ? new Set(config.fundedMints) : undefined,
    pay: undefined,
  }
  const sites = new Map<string, ResolvedSolanaSitePolicy>()
  for (const [key, site] of Object.entries(config.sites ?? {})) {
    sites.set(key, {
      programs: site.programs ? new Set(site.programs) : defaults.programs,
      lamportsPerDay: site.lamportsPerDay === undefined ? defaults.lamportsPerDay : BigInt(site.lamportsPerDay),
      requestsPerWalletPerDay: site.requestsPerWalletPerDay ?? defaults.requestsPerWalletPerDay,
      payForTokenAccounts: site.payForTokenAccounts ?? defaults.payForTokenAccounts,
      fundedMints: site.fundedMints ? new Set(site.fundedMints) : defaults.fundedMints,
      pay: site.pay ? resolvePay(key, site.pay, feePayer) : undefined,
    })
  }
  return {
    rpcUrl: config.rpcUrl,
    chain: config.chain ?? 'solana:devnet',
    feePayer,
    feePayerPrivateKey: privateKey,
    maxComputeUnits: config.maxComputeUnits ?? 200_000,
    maxComputeUnitPrice: BigInt(config.maxComputeUnitPrice ?? 100_000),
    maxTransactionBytes: Math.min(config.maxTransactionBytes ?? 1232, 1232),
    maxSigners: config.maxSigners ?? 2,
    defaults,
    sites,
    pollIntervalMs: config.confirm?.pollIntervalMs ?? 500,
    resendIntervalMs: config.confirm?.resendIntervalMs ?? 2_000,
  }
}

function resolvePay(siteKey: string, pay: SolanaPayConfig, feePayer: string): ResolvedSolanaPayPolicy {
  if (pay.recipients.length === 0) throw new ConfigError(`solana.sites.${siteKey}.pay.recipients is empty`)
  // A tip into the fee payer would make it a writable account of the transfer: never sponsored.
  if (pay.recipients.includes(feePayer)) {
    throw new ConfigError(`solana.sites.${siteKey}.pay.recipients lists the fee payer ${feePayer}`)
  }
  if (pay.icon !== undefined && !/^https?:\/\/[^\s]+$/i.test(pay.icon)) {
    throw new ConfigError(`solana.sites.${siteKey}.pay.icon must be an absolute http(s) URL`)
  }
  const label = pay.label ?? 'TokenTags'
  return {
    recipients: new Set(pay.recipients),
    mints: new Set(pay.mints ?? []),
    sol: pay.sol ?? true,
    label,
    title: pay.title ?? label,
    description: pay.description,
    icon: pay.icon,
  }
}

import { getBase58Encoder } from '@solana/kit'
import { ConfigError } from '../configError.js'
import { solanaSitesMoved } from './schema.js'
import type { SolanaStore } from './store.js'

export const SYSTEM_PROGRAM = '11111111111111111111111111111111'
export const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA'
/** Token-2022 (Token Extensions): the same transfer shapes; mints with extensions that move funds are refused. */
export const TOKEN_2022_PROGRAM = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb'
export const ASSOCIATED_TOKEN_PROGRAM = 'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL'
export const COMPUTE_BUDGET_PROGRAM = 'ComputeBudget111111111111111111111111111111'
export const MEMO_PROGRAM = 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr'
export const MEMO_V1_PROGRAM = 'Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo'
/** Wrapped SOL: its token accounts hold the wrapped lamports and are closed to unwrap them. */
const NATIVE_MINT = 'So11111111111111111111111111111111111111112'

/**
 * Default cap on the compute-unit price, in micro-lamports. Outside congestion, recent-fee medians of
 * transfers on mainnet sit in the low thousands of micro-lamports per unit; 10,000 lands a tip there
 * and bounds the priority fee at 2,000 lamports even at the 200,000-unit cap (a fifth of the two
 * signatures' 10,000), where 100,000 let one transaction double the fee the relay pays.
 */
const DEFAULT_MAX_COMPUTE_UNIT_PRICE = 10_000n

/** Programs a sponsored transaction may call unless a site says otherwise. */
export const DEFAULT_SOLANA_PROGRAMS: readonly string[] = [
  SYSTEM_PROGRAM,
  TOKEN_PROGRAM,
  TOKEN_2022_PROGRAM,
  ASSOCIATED_TOKEN_PROGRAM,
  COMPUTE_BUDGET_PROGRAM,
  MEMO_PROGRAM,
  MEMO_V1_PROGRAM,
]

/** A site's Solana policy, `sites[key].solana`: overrides of the `solana` section's defaults. */
export interface SolanaSitePolicy {
  /** Base58 program ids this site's transactions may call (replaces the default list). */
  programs?: string[]
  /** Lamports the relay may spend for this site per UTC day (fees, and rent when it pays for token accounts). */
  lamportsPerDay?: bigint | number
  /** Sponsored transactions one wallet may submit per UTC day. */
  requestsPerWalletPerDay?: number
  /** Whose associated token accounts the fee payer may create for this site (replaces the default). */
  fundTokenAccounts?: TokenAccountFundingConfig
  /** Removed: use `fundTokenAccounts` (issue 13: the relay funded accounts of any owner). */
  payForTokenAccounts?: undefined
  /** Removed: use `fundTokenAccounts.mints`. */
  fundedMints?: undefined
  /** Solana Pay tips through `/v1/solana/pay/tip` (README, "Solana Pay"); off unless set. */
  pay?: SolanaPayConfig
}

/**
 * The token accounts the fee payer may create and fund (2,039,280 lamports of rent each): only the
 * associated token account of a listed recipient, for a listed mint, receiving at least the mint's
 * `minimumTransfer` in the same transaction, and never one of a signer's own accounts.
 */
interface TokenAccountFundingConfig {
  /** Base58 owners (creators a site tips) whose token accounts the relay may create. */
  recipients: string[]
  /** Base58 mint → the smallest transfer (base units) the new account must receive. */
  mints: Record<string, { minimumTransfer: bigint | number | string }>
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
  /** Default program allow-list (default System, SPL Token, Token-2022, Associated Token, Compute Budget, Memo). */
  programs?: string[]
  /** Cap on the compute-unit limit a transaction sets or implies (default 200,000). */
  maxComputeUnits?: number
  /** Cap on the compute-unit price in micro-lamports (default 10,000: {@link DEFAULT_MAX_COMPUTE_UNIT_PRICE}). */
  maxComputeUnitPrice?: bigint | number
  /** Largest wire transaction in bytes (default 1232, Solana's packet limit). */
  maxTransactionBytes?: number
  /** Most signers including the fee payer (default 2: the relay and the visitor's wallet). */
  maxSigners?: number
  /** Not here: token account funding is per site (`sites[key].solana.fundTokenAccounts`). */
  fundTokenAccounts?: undefined
  /** Removed: use `sites[key].solana.fundTokenAccounts` (issue 13: the relay funded accounts of any owner). */
  payForTokenAccounts?: undefined
  /** Removed: use `fundTokenAccounts.mints`. */
  fundedMints?: undefined
  /** Default daily lamports budget per site (default 1 SOL). */
  lamportsPerDay?: bigint | number
  /** Default daily request quota per wallet (default 100). */
  requestsPerWalletPerDay?: number
  /** Moved: a site's Solana policy is `sites[key].solana`, beside its EVM policy (refused here). */
  sites?: undefined
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
  /** Undefined: the fee payer creates no token account for this site. */
  fundTokenAccounts: ResolvedTokenAccountFunding | undefined
  /** Undefined: Solana Pay tips are off for the site. */
  pay: ResolvedSolanaPayPolicy | undefined
}

interface ResolvedTokenAccountFunding {
  recipients: ReadonlySet<string>
  /** Mint → smallest transfer (base units) into an account the relay creates. */
  minimumTransfer: ReadonlyMap<string, bigint>
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
function decodeSecretKey(input: string | readonly number[] | Uint8Array): {
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

/** The relay's `sites`, as far as Solana reads them: each site's own `solana` policy. */
export type SolanaSites = Readonly<Record<string, { solana?: SolanaSitePolicy | undefined }>>

export function resolveSolanaConfig(
  config: SolanaRelayConfig,
  derivePublicKey: (privateKey: Uint8Array) => string,
  allSites: SolanaSites = {},
): ResolvedSolanaConfig {
  if (config.sites !== undefined) throw new ConfigError(solanaSitesMoved(config.sites))
  const policies = Object.entries(allSites).flatMap(([key, site]) =>
    site.solana === undefined ? [] : [[key, site.solana] as const],
  )
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
  rejectRemovedKeys('solana', config)
  for (const [key, site] of policies) rejectRemovedKeys(`sites.${key}.solana`, site)
  for (const program of [
    ...(config.programs ?? []),
    ...policies.flatMap(([, s]) => s.programs ?? []),
    ...policies.flatMap(([, s]) => [...(s.pay?.recipients ?? []), ...(s.pay?.mints ?? [])]),
  ]) {
    if (!base58Pattern.test(program)) throw new ConfigError(`solana address ${program} (programs, pay) is not base58`)
  }
  const defaults: ResolvedSolanaSitePolicy = {
    programs: new Set(config.programs ?? DEFAULT_SOLANA_PROGRAMS),
    lamportsPerDay: BigInt(config.lamportsPerDay ?? 1_000_000_000),
    requestsPerWalletPerDay: config.requestsPerWalletPerDay ?? 100,
    fundTokenAccounts: undefined,
    pay: undefined,
  }
  const sites = new Map<string, ResolvedSolanaSitePolicy>()
  for (const [key, site] of policies) {
    sites.set(key, {
      programs: site.programs ? new Set(site.programs) : defaults.programs,
      lamportsPerDay: site.lamportsPerDay === undefined ? defaults.lamportsPerDay : BigInt(site.lamportsPerDay),
      requestsPerWalletPerDay: site.requestsPerWalletPerDay ?? defaults.requestsPerWalletPerDay,
      fundTokenAccounts: site.fundTokenAccounts
        ? resolveFunding(`sites.${key}.solana.fundTokenAccounts`, site.fundTokenAccounts, feePayer)
        : undefined,
      pay: site.pay ? resolvePay(key, site.pay, feePayer) : undefined,
    })
  }
  return {
    rpcUrl: config.rpcUrl,
    chain: config.chain ?? 'solana:devnet',
    feePayer,
    feePayerPrivateKey: privateKey,
    maxComputeUnits: config.maxComputeUnits ?? 200_000,
    maxComputeUnitPrice: BigInt(config.maxComputeUnitPrice ?? DEFAULT_MAX_COMPUTE_UNIT_PRICE),
    maxTransactionBytes: Math.min(config.maxTransactionBytes ?? 1232, 1232),
    maxSigners: config.maxSigners ?? 2,
    defaults,
    sites,
    pollIntervalMs: config.confirm?.pollIntervalMs ?? 500,
    resendIntervalMs: config.confirm?.resendIntervalMs ?? 2_000,
  }
}

/** The keys the token account funding replaced: refused, never ignored (they funded any owner). */
function rejectRemovedKeys(path: string, section: object): void {
  for (const key of path === 'solana'
    ? ['payForTokenAccounts', 'fundedMints', 'fundTokenAccounts']
    : ['payForTokenAccounts', 'fundedMints']) {
    if ((section as Record<string, unknown>)[key] !== undefined) {
      throw new ConfigError(
        `${path}.${key} ${key === 'fundTokenAccounts' ? 'is per site' : 'was removed'}: list the recipients and mints whose token accounts the relay may fund in ` +
          `${path.startsWith('sites.') ? path : 'sites.<site>.solana'}.fundTokenAccounts ` +
          '({ "recipients": [...], "mints": { "<mint>": { "minimumTransfer": "<base units>" } } })',
      )
    }
  }
}

function resolveFunding(
  path: string,
  funding: TokenAccountFundingConfig,
  feePayer: string,
): ResolvedTokenAccountFunding {
  const recipients = funding.recipients ?? []
  const mints = Object.entries(funding.mints ?? {})
  if (recipients.length === 0) throw new ConfigError(`${path}.recipients is empty`)
  if (mints.length === 0) throw new ConfigError(`${path}.mints is empty`)
  for (const recipient of recipients) {
    if (!base58Pattern.test(recipient)) throw new ConfigError(`${path}.recipients: ${recipient} is not base58`)
  }
  // An account the fee payer owns would list it as a writable account: never sponsored.
  if (recipients.includes(feePayer)) throw new ConfigError(`${path}.recipients lists the fee payer ${feePayer}`)
  const minimumTransfer = new Map<string, bigint>()
  for (const [mint, rule] of mints) {
    if (!base58Pattern.test(mint)) throw new ConfigError(`${path}.mints: ${mint} is not base58`)
    // Unwrapping closes a wrapped-SOL account: its rent would go straight back to the owner.
    if (mint === NATIVE_MINT) throw new ConfigError(`${path}.mints: wrapped SOL (${mint}) accounts are not funded`)
    const raw = rule?.minimumTransfer
    const text = typeof raw === 'bigint' ? String(raw) : typeof raw === 'number' ? String(raw) : raw
    if (typeof text !== 'string' || !/^[0-9]{1,20}$/.test(text) || BigInt(text) === 0n || BigInt(text) >= 2n ** 64n) {
      throw new ConfigError(
        `${path}.mints.${mint}.minimumTransfer must be a whole number of base units from 1 to 2^64 - 1`,
      )
    }
    minimumTransfer.set(mint, BigInt(text))
  }
  return { recipients: new Set(recipients), minimumTransfer }
}

function resolvePay(siteKey: string, pay: SolanaPayConfig, feePayer: string): ResolvedSolanaPayPolicy {
  if (pay.recipients.length === 0) throw new ConfigError(`sites.${siteKey}.solana.pay.recipients is empty`)
  // A tip into the fee payer would make it a writable account of the transfer: never sponsored.
  if (pay.recipients.includes(feePayer)) {
    throw new ConfigError(`sites.${siteKey}.solana.pay.recipients lists the fee payer ${feePayer}`)
  }
  if (pay.icon !== undefined && !/^https?:\/\/[^\s]+$/i.test(pay.icon)) {
    throw new ConfigError(`sites.${siteKey}.solana.pay.icon must be an absolute http(s) URL`)
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

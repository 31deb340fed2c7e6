import { getBase58Encoder, isAddress } from '@solana/kit'
import type { RelayErrorCodeOf } from '@tokentags/core/protocol'
import { isOnCurve } from '@tokentags/core/solana/wire'
import type { ResolvedSite } from '../config.js'
import { RelayError } from '../errors.js'
import type { ResolvedSolanaPayPolicy } from './config.js'

/** Error codes of `/v1/solana/pay/tip` beyond the Solana ones: the protocol's `solana-pay` group. */
export type SolanaPayErrorCode = RelayErrorCodeOf<'solana-pay'>

/** The Solana Pay endpoint refuses the link or the account; `http/errors.ts` gives each code its status. */
export class SolanaPayRefusedError extends Error {
  override name = 'SolanaPayRefusedError'
  readonly code: SolanaPayErrorCode

  constructor(code: SolanaPayErrorCode, message: string) {
    super(message)
    this.code = code
  }
}

export function payError(code: SolanaPayErrorCode, message: string): SolanaPayRefusedError {
  return new SolanaPayRefusedError(code, message)
}

/** Longest memo in UTF-8 bytes: with the rest of a tip it stays far below the 1,232-byte packet. */
const MAX_MEMO_BYTES = 200
/** Most `reference` keys on one tip (Solana Pay allows several). */
const MAX_REFERENCES = 4
/** u64::MAX: no transfer amount in base units may exceed it. */
const U64_MAX = 2n ** 64n - 1n
/** Decimals of SOL (lamports). */
export const SOL_DECIMALS = 9

/** A tip as its URL describes it, checked against the site's list; the amount still in text. */
export interface TipParams {
  siteKey: string
  pay: ResolvedSolanaPayPolicy
  /** Recipient wallet (base58). */
  to: string
  /** SPL mint; undefined for SOL. */
  mint: string | undefined
  /** The decimal text of the URL, e.g. `0.5`. */
  amount: string
  memo: string | undefined
  references: string[]
}

type Query = Record<string, unknown>

/** One query value: a repeated parameter is refused, as Solana Pay allows repeats only for `reference`. */
function single(query: Query, name: string, code: SolanaPayErrorCode | 'UNKNOWN_SITE'): string | undefined {
  const value = query[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string') {
    throw code === 'UNKNOWN_SITE'
      ? new RelayError(401, code, `${name} is given more than once`)
      : payError(code, `${name} is given more than once`)
  }
  return value
}

/** A base58 32-byte public key (what `isAddress` checks) or a 400 naming the parameter. */
function parseAddress(value: string | undefined, name: string, code: SolanaPayErrorCode = 'INVALID_ADDRESS') {
  if (value === undefined || value === '') throw payError(code, `${name} is required`)
  if (!isAddress(value)) throw payError(code, `${name} is not a base58 32-byte public key`)
  return value
}

/**
 * The query of `/v1/solana/pay/tip`, checked without the network: the site takes tips, the
 * recipient and mint are on its list, the memo and references are well formed. The amount is checked
 * against the mint's decimals by {@link parseAmount} once they are known.
 */
export function parseTipQuery(
  query: Query,
  sites: ReadonlyMap<string, ResolvedSite>,
  payPolicy: (siteKey: string) => ResolvedSolanaPayPolicy | undefined,
): TipParams {
  const siteKey = single(query, 'site', 'UNKNOWN_SITE')
  if (siteKey === undefined || !sites.has(siteKey)) {
    throw new RelayError(
      401,
      'UNKNOWN_SITE',
      siteKey === undefined ? 'site is required' : `unknown site key ${JSON.stringify(siteKey.slice(0, 64))}`,
    )
  }
  const pay = payPolicy(siteKey)
  if (!pay) throw payError('PAY_NOT_ENABLED', `site ${siteKey} does not take Solana Pay tips`)
  // A wallet's Solana Pay request carries no human-check token and the webhook covers EVM only: a
  // gated site is refused here, never sponsored around its gate.
  if (sites.get(siteKey)?.attestation) {
    throw payError('PAY_NOT_ENABLED', `site ${siteKey} requires attestation, which Solana Pay cannot carry`)
  }

  const to = parseAddress(single(query, 'to', 'INVALID_ADDRESS'), 'to')
  if (!pay.recipients.has(to)) throw payError('RECIPIENT_NOT_ALLOWED', `${to} is not a recipient of this site`)

  const mintText = single(query, 'mint', 'INVALID_ADDRESS')
  const mint = mintText === undefined ? undefined : parseAddress(mintText, 'mint')
  if (mint === undefined ? !pay.sol : !pay.mints.has(mint)) {
    throw payError('MINT_NOT_ALLOWED', `this site does not take tips in ${mint ?? 'SOL'}`)
  }

  const amount = single(query, 'amount', 'INVALID_AMOUNT')
  if (amount === undefined || !/^[0-9]{1,20}(\.[0-9]{1,20})?$/.test(amount)) {
    throw payError('INVALID_AMOUNT', 'amount must be a positive decimal number of whole units, such as 0.5')
  }

  const memo = single(query, 'memo', 'INVALID_MEMO')
  if (memo !== undefined) {
    if (memo.length === 0 || /\p{Cc}/u.test(memo) || memo.includes('\ufffd')) {
      throw payError('INVALID_MEMO', 'memo must be non-empty printable text')
    }
    if (Buffer.byteLength(memo, 'utf8') > MAX_MEMO_BYTES) {
      throw payError('MEMO_TOO_LONG', `memo is longer than ${MAX_MEMO_BYTES} UTF-8 bytes`)
    }
  }

  const rawReferences = query.reference
  const list = rawReferences === undefined ? [] : Array.isArray(rawReferences) ? rawReferences : [rawReferences]
  if (list.length > MAX_REFERENCES) {
    throw payError('INVALID_REFERENCE', `at most ${MAX_REFERENCES} reference keys`)
  }
  const references = list.map((r) =>
    parseAddress(typeof r === 'string' ? r : undefined, 'reference', 'INVALID_REFERENCE'),
  )
  if (new Set(references).size !== references.length) {
    throw payError('INVALID_REFERENCE', 'a reference key is given twice')
  }
  for (const reference of references) {
    if (reference === to || reference === mint) {
      throw payError('INVALID_REFERENCE', 'a reference key must be a fresh key, not an account of the tip')
    }
  }
  return { siteKey, pay, to, mint, amount, memo, references }
}

/** The decimal amount in base units; refuses zero, more fraction digits than `decimals`, and u64 overflow. */
export function parseAmount(amount: string, decimals: number): bigint {
  const [whole = '', fraction = ''] = amount.split('.')
  const digits = fraction.replace(/0+$/, '')
  if (digits.length > decimals) {
    throw payError('AMOUNT_TOO_PRECISE', `amount has more than ${decimals} decimal places`)
  }
  const units = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(digits.padEnd(decimals, '0') || '0')
  if (units === 0n) throw payError('INVALID_AMOUNT', 'amount must be greater than zero')
  if (units > U64_MAX) throw payError('INVALID_AMOUNT', 'amount is too large')
  return units
}

/** The `account` of a POST body: a base58 Ed25519 public key a wallet can sign with. */
export function parseAccount(body: unknown): string {
  const account = (body as { account?: unknown } | undefined)?.account
  if (typeof account !== 'string') {
    throw payError('INVALID_ACCOUNT', 'expected a JSON body { "account": "<base58 public key>" }')
  }
  const address = parseAddress(account, 'account', 'INVALID_ACCOUNT')
  // A key off the curve (a program-derived address) can never sign the tip.
  if (!isOnCurve(getBase58Encoder().encode(address) as Uint8Array)) {
    throw payError('INVALID_ACCOUNT', 'account is not a wallet key (it is off the Ed25519 curve)')
  }
  return address
}

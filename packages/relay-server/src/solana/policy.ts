import type { Address } from '@solana/kit'
import { findAssociatedTokenPda } from '@solana-program/token'
import {
  ASSOCIATED_TOKEN_PROGRAM,
  COMPUTE_BUDGET_PROGRAM,
  type ResolvedSolanaConfig,
  type ResolvedSolanaSitePolicy,
  SYSTEM_PROGRAM,
  TOKEN_2022_PROGRAM,
  TOKEN_PROGRAM,
} from './config.js'
import { verifyEd25519 } from './ed25519.js'
import { isSigner, parseWireTransaction, WireFormatError, type WireTransaction } from './wire.js'

/** Error codes of `POST /v1/solana/transactions` beyond the shared ones. */
export type SolanaErrorCode =
  | 'SOLANA_NOT_CONFIGURED'
  | 'INVALID_TRANSACTION'
  | 'TRANSACTION_TOO_LARGE'
  | 'LOOKUP_TABLES_NOT_ALLOWED'
  | 'FEE_PAYER_MISMATCH'
  | 'FEE_PAYER_AS_SOURCE'
  | 'FEE_PAYER_WRITABLE'
  | 'INSTRUCTION_NOT_ALLOWED'
  | 'TOKEN_ACCOUNT_OWNER_NOT_LISTED'
  | 'TOKEN_ACCOUNT_MINT_NOT_LISTED'
  | 'TRANSFER_BELOW_MINIMUM'
  | 'MINT_EXTENSION_NOT_ALLOWED'
  | 'NO_WALLET_SIGNER'
  | 'TOO_MANY_SIGNERS'
  | 'PROGRAM_NOT_ALLOWED'
  | 'COMPUTE_LIMIT_TOO_HIGH'
  | 'PRIORITY_FEE_TOO_HIGH'
  | 'BAD_SIGNATURE'
  | 'BLOCKHASH_EXPIRED'
  | 'DUPLICATE_TRANSACTION'
  | 'SIMULATION_FAILED'

/**
 * A Solana transaction or request broke a rule: refused before anything is sent or reserved. Domain code throws it
 * with its code; `http/errors.ts` alone gives it an HTTP status.
 */
export class SolanaRefusedError extends Error {
  override name = 'SolanaRefusedError'
  readonly code: SolanaErrorCode

  constructor(code: SolanaErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
  }
}

export function solanaError(code: SolanaErrorCode, message: string, cause?: unknown): SolanaRefusedError {
  return new SolanaRefusedError(code, message, { cause })
}

/** Lamports per signature on every cluster today. */
const LAMPORTS_PER_SIGNATURE = 5_000n
const DEFAULT_UNITS_PER_INSTRUCTION = 200_000
const MAX_COMPUTE_UNITS = 1_400_000

/** An associated token account the fee payer would fund; its address is checked with `verifyTokenAccounts`. */
export interface TokenAccountCreation {
  ata: string
  owner: string
  mint: string
  tokenProgram: string
}

/** What the checks learned about an acceptable transaction. */
export interface CheckedSolanaTransaction {
  tx: WireTransaction
  /** The visitor: the first signer after the fee payer (quotas count per wallet). */
  wallet: string
  computeUnitLimit: number
  computeUnitPrice: bigint
  /** Signature fees plus the priority fee, paid by the fee payer. */
  fee: bigint
  /** Rent the fee payer puts into associated token accounts it creates. */
  rent: bigint
  tokenAccounts: TokenAccountCreation[]
}

export interface SolanaCheckContext {
  config: ResolvedSolanaConfig
  policy: ResolvedSolanaSitePolicy
  /** Rent-exempt minimum of a 165-byte token account. */
  tokenAccountRent: bigint
  /**
   * The relay built the transaction and signs first (Solana Pay): wallet signatures may still be
   * missing; any present must verify.
   */
  walletSignaturesPending?: boolean
}

const u32 = (data: Uint8Array, at: number) =>
  ((data[at] ?? 0) | ((data[at + 1] ?? 0) << 8) | ((data[at + 2] ?? 0) << 16)) + (data[at + 3] ?? 0) * 2 ** 24
const u64 = (data: Uint8Array, at: number) => BigInt(u32(data, at)) + (BigInt(u32(data, at + 4)) << 32n)

/**
 * Every synchronous rule of a sponsored transaction: size, shape, fee payer use, signers, programs,
 * compute budget and signatures. Throws a `SolanaRefusedError` naming the first rule broken.
 */
export function checkSolanaTransaction(base64: string, context: SolanaCheckContext): CheckedSolanaTransaction {
  const { config, policy } = context
  // base64 of n bytes is 4·⌈n/3⌉ characters: refuse oversized input before decoding it.
  if (base64.length > Math.ceil(config.maxTransactionBytes / 3) * 4) {
    throw solanaError('TRANSACTION_TOO_LARGE', `the transaction is larger than ${config.maxTransactionBytes} bytes`)
  }
  const bytes = Buffer.from(base64, 'base64')
  if (bytes.length === 0 || bytes.toString('base64') !== base64) {
    throw solanaError('INVALID_TRANSACTION', 'transaction is not canonical base64')
  }
  if (bytes.length > config.maxTransactionBytes) {
    throw solanaError('TRANSACTION_TOO_LARGE', `the transaction is larger than ${config.maxTransactionBytes} bytes`)
  }
  let tx: WireTransaction
  try {
    tx = parseWireTransaction(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length))
  } catch (error) {
    if (error instanceof WireFormatError) {
      throw solanaError('INVALID_TRANSACTION', `malformed transaction: ${error.message}`, error)
    }
    throw error
  }
  if (tx.addressTableLookups > 0) {
    throw solanaError('LOOKUP_TABLES_NOT_ALLOWED', 'address lookup tables are not accepted')
  }
  if (tx.accounts[0] !== config.feePayer) {
    throw solanaError('FEE_PAYER_MISMATCH', `the fee payer must be the relay's ${config.feePayer}`)
  }
  if (tx.numRequiredSignatures < 2) {
    throw solanaError('NO_WALLET_SIGNER', 'the transaction needs a signer besides the fee payer')
  }
  if (tx.numRequiredSignatures > config.maxSigners) {
    throw solanaError(
      'TOO_MANY_SIGNERS',
      `${tx.numRequiredSignatures} signers; at most ${config.maxSigners} (the fee payer and one wallet)`,
    )
  }
  if (tx.instructions.length === 0) throw solanaError('INVALID_TRANSACTION', 'the transaction has no instructions')

  let computeUnitLimit: number | undefined
  let computeUnitPrice: bigint | undefined
  let otherInstructions = 0
  const tokenAccounts: TokenAccountCreation[] = []
  /** The smallest transfer each funded account (by account index) must receive. */
  const minimums = new Map<number, bigint>()
  /** Base units token transfers move into each account (by index). */
  const received = new Map<number, bigint>()
  for (const [position, ix] of tx.instructions.entries()) {
    const program = tx.accounts[ix.programIndex] as string
    if (!policy.programs.has(program)) {
      throw solanaError('PROGRAM_NOT_ALLOWED', `instruction ${position} calls program ${program}, not allowed here`)
    }
    if (program === COMPUTE_BUDGET_PROGRAM) {
      const kind = ix.data[0]
      if (ix.accounts.length !== 0) throw solanaError('INVALID_TRANSACTION', 'compute budget instruction with accounts')
      if (kind === 2 && ix.data.length === 5 && computeUnitLimit === undefined) computeUnitLimit = u32(ix.data, 1)
      else if (kind === 3 && ix.data.length === 9 && computeUnitPrice === undefined) computeUnitPrice = u64(ix.data, 1)
      else if (kind === 4 && ix.data.length === 5) {
        // SetLoadedAccountsDataSizeLimit only lowers a limit: harmless.
      } else throw solanaError('INVALID_TRANSACTION', `compute budget instruction ${position} is not accepted`)
      continue
    }
    otherInstructions++
    if (program === TOKEN_PROGRAM || program === TOKEN_2022_PROGRAM) {
      const kind = ix.data[0]
      const destination =
        kind === 3 && ix.accounts.length >= 3
          ? ix.accounts[1]
          : kind === 12 && ix.accounts.length >= 4
            ? ix.accounts[2]
            : undefined
      if (destination !== undefined) received.set(destination, (received.get(destination) ?? 0n) + u64(ix.data, 1))
    }
    const at = ix.accounts.indexOf(0)
    if (at === -1) {
      const refused = refusedInstruction(program, ix.data)
      if (refused !== undefined) {
        throw solanaError(
          'INSTRUCTION_NOT_ALLOWED',
          `instruction ${position} (${refused}) is not sponsored: the relay pays only for transfers, token account creation, memos and compute budget`,
        )
      }
      continue
    }
    // The fee payer appears in this instruction: only funding an associated token account may pass.
    if (program === ASSOCIATED_TOKEN_PROGRAM && at === 0 && ix.accounts.lastIndexOf(0) === 0) {
      const kind = ix.data.length === 0 ? 0 : ix.data[0]
      const funding = policy.fundTokenAccounts
      if (!funding) {
        throw solanaError('FEE_PAYER_AS_SOURCE', 'the relay does not pay for token accounts on this site')
      }
      const [ata, owner, mint, system, tokenProgram] = [1, 2, 3, 4, 5].map((i) => ix.accounts[i])
      if (
        ix.data.length > 1 ||
        (kind !== 0 && kind !== 1) ||
        tokenProgram === undefined ||
        ata === undefined ||
        owner === undefined ||
        mint === undefined ||
        tx.accounts[system ?? 0] !== SYSTEM_PROGRAM ||
        !isTokenProgram(tx.accounts[tokenProgram])
      ) {
        throw solanaError('FEE_PAYER_WRITABLE', `instruction ${position} uses the fee payer in a way not allowed`)
      }
      // A wallet funding its own token account through the relay could close it and keep the rent.
      if (isSigner(tx, owner)) {
        throw solanaError('FEE_PAYER_AS_SOURCE', 'the relay pays only for token accounts of recipients')
      }
      // Rent goes only where the site sends tips: an owner the visitor controls could close the
      // account to itself and keep the rent (issue 13), once per transaction.
      if (!funding.recipients.has(tx.accounts[owner] as string)) {
        throw solanaError(
          'TOKEN_ACCOUNT_OWNER_NOT_LISTED',
          `the relay creates token accounts only for this site's recipients; ${tx.accounts[owner]} is not one`,
        )
      }
      const minimum = funding.minimumTransfer.get(tx.accounts[mint] as string)
      if (minimum === undefined) {
        throw solanaError(
          'TOKEN_ACCOUNT_MINT_NOT_LISTED',
          `the relay does not fund token accounts of mint ${tx.accounts[mint]} on this site`,
        )
      }
      // One address is one owner and mint (checked by verifyTokenAccounts): one minimum.
      minimums.set(ata, minimum)
      tokenAccounts.push({
        ata: tx.accounts[ata] as string,
        owner: tx.accounts[owner] as string,
        mint: tx.accounts[mint] as string,
        tokenProgram: tx.accounts[tokenProgram] as string,
      })
      continue
    }
    const kind = ix.data[0]
    const systemSource = program === SYSTEM_PROGRAM && at === 0 && u32(ix.data, 0) in SYSTEM_FUNDING
    const tokenAuthority =
      isTokenProgram(program) && ((kind === 3 && at === 2) || (kind === 12 && at === 3) || at === 0)
    if (systemSource || tokenAuthority) {
      throw solanaError('FEE_PAYER_AS_SOURCE', `instruction ${position} spends from the fee payer`)
    }
    throw solanaError(
      'FEE_PAYER_WRITABLE',
      `instruction ${position} uses the fee payer as an account (it may only pay fees)`,
    )
  }
  for (const [ata, minimum] of minimums) {
    const amount = received.get(ata)
    if (amount === undefined) {
      throw solanaError(
        'FEE_PAYER_WRITABLE',
        'a token account the relay funds must receive a transfer in the same transaction',
      )
    }
    // A token transfer of 0 is valid on chain: without a floor, rent would cost the visitor nothing.
    if (amount < minimum) {
      throw solanaError(
        'TRANSFER_BELOW_MINIMUM',
        `a token account the relay funds must receive at least ${minimum} base units of its mint, not ${amount}`,
      )
    }
  }

  const limit = computeUnitLimit ?? Math.min(DEFAULT_UNITS_PER_INSTRUCTION * otherInstructions, MAX_COMPUTE_UNITS)
  if (computeUnitLimit !== undefined && computeUnitLimit > config.maxComputeUnits) {
    throw solanaError(
      'COMPUTE_LIMIT_TOO_HIGH',
      `compute unit limit ${computeUnitLimit} is above the cap of ${config.maxComputeUnits}`,
    )
  }
  const price = computeUnitPrice ?? 0n
  if (price > config.maxComputeUnitPrice) {
    throw solanaError(
      'PRIORITY_FEE_TOO_HIGH',
      `compute unit price ${price} micro-lamports is above the cap of ${config.maxComputeUnitPrice}`,
    )
  }
  if (price > 0n && computeUnitLimit === undefined && limit > config.maxComputeUnits) {
    throw solanaError('COMPUTE_LIMIT_TOO_HIGH', 'a priority fee needs an explicit compute unit limit within the cap')
  }

  for (let i = 1; i < tx.numRequiredSignatures; i++) {
    const signature = tx.signatures[i] as Uint8Array
    if (signature.every((b) => b === 0)) {
      if (context.walletSignaturesPending) continue
      throw solanaError('BAD_SIGNATURE', `signature ${i} (${tx.accounts[i]}) is missing`)
    }
    if (!verifyEd25519(tx.accounts[i] as string, tx.messageBytes, signature)) {
      throw solanaError('BAD_SIGNATURE', `signature ${i} does not verify for ${tx.accounts[i]}`)
    }
  }

  const priorityFee = (price * BigInt(limit) + 999_999n) / 1_000_000n
  return {
    tx,
    wallet: tx.accounts[1] as string,
    computeUnitLimit: limit,
    computeUnitPrice: price,
    fee: LAMPORTS_PER_SIGNATURE * BigInt(tx.numRequiredSignatures) + priorityFee,
    rent: context.tokenAccountRent * BigInt(tokenAccounts.length),
    tokenAccounts,
  }
}

const SYSTEM_NAMES: Record<number, string> = {
  0: 'System CreateAccount',
  1: 'System Assign',
  3: 'System CreateAccountWithSeed',
  4: 'System AdvanceNonceAccount',
  5: 'System WithdrawNonceAccount',
  8: 'System Allocate',
  11: 'System TransferWithSeed',
}
const TOKEN_NAMES: Record<number, string> = {
  4: 'Token Approve',
  6: 'Token SetAuthority',
  7: 'Token MintTo',
  8: 'Token Burn',
  9: 'Token CloseAccount',
  10: 'Token FreezeAccount',
  13: 'Token ApproveChecked',
  17: 'Token SyncNative',
}

/**
 * Of the programs the relay knows, only what a tip is made of: System Transfer, Token Transfer and
 * TransferChecked, associated token account creation, memos. The rest moves lamports or authority
 * the relay has no reason to pay for: CloseAccount and RecoverNested hand an account's rent to a
 * destination of the signer's choosing (issue 13), a nonce advance outlives the blockhash tracking.
 * Undefined when allowed (programs a site adds are left to the fee payer rules).
 */
function refusedInstruction(program: string, data: Uint8Array): string | undefined {
  switch (program) {
    case SYSTEM_PROGRAM: {
      const kind = u32(data, 0)
      return kind === 2 && data.length === 12 ? undefined : (SYSTEM_NAMES[kind] ?? `System instruction ${kind}`)
    }
    case TOKEN_PROGRAM: {
      const kind = data[0]
      if (kind === undefined) return 'Token instruction without data'
      if ((kind === 3 && data.length === 9) || (kind === 12 && data.length === 10)) return undefined
      return TOKEN_NAMES[kind] ?? `Token instruction ${kind}`
    }
    case TOKEN_2022_PROGRAM: {
      // TransferChecked only: it names the mint, whose extensions the runtime reads (token2022.ts);
      // a plain Transfer does not.
      const kind = data[0]
      if (kind === undefined) return 'Token-2022 instruction without data'
      if (kind === 12 && data.length === 10) return undefined
      return `Token-2022 ${TOKEN_NAMES[kind]?.slice('Token '.length) ?? (kind === 3 ? 'Transfer' : `instruction ${kind}`)}`
    }
    case ASSOCIATED_TOKEN_PROGRAM: {
      if (data.length === 0 || (data.length === 1 && (data[0] === 0 || data[0] === 1))) return undefined
      return data[0] === 2 ? 'Associated Token RecoverNested' : `Associated Token instruction ${data[0]}`
    }
    default:
      // Memos, compute budget (checked above) and programs a site adds.
      return undefined
  }
}

const isTokenProgram = (program: string | undefined) => program === TOKEN_PROGRAM || program === TOKEN_2022_PROGRAM

// System instructions whose first account is the funding (source) account.
const SYSTEM_FUNDING: Record<number, true> = { 0: true, 2: true, 3: true, 11: true, 13: true }

// Tips go to a few creators again and again: remember recent derivations (a PDA search costs a
// SHA-256 and a curve check per bump tried, and kit's are async).
const derived = new Map<string, string>()

/** Each funded token account must be the associated token account of its owner and mint. */
export async function verifyTokenAccounts(accounts: readonly TokenAccountCreation[]): Promise<void> {
  for (const account of accounts) {
    const key = `${account.owner}:${account.mint}:${account.tokenProgram}`
    let expected = derived.get(key)
    if (expected === undefined) {
      const [pda] = await findAssociatedTokenPda({
        owner: account.owner as Address,
        tokenProgram: account.tokenProgram as Address,
        mint: account.mint as Address,
      })
      expected = pda
      if (derived.size >= 10_000) derived.clear()
      derived.set(key, expected)
    }
    if (expected !== account.ata) {
      throw solanaError('FEE_PAYER_WRITABLE', `${account.ata} is not the associated token account of ${account.owner}`)
    }
  }
}

/** Writes the fee payer's signature into slot 0; returns the wire bytes and the transaction signature. */
export function coSign(
  tx: WireTransaction,
  sign: (message: Uint8Array) => Uint8Array,
): { bytes: Uint8Array; signature: Uint8Array } {
  const signature = sign(tx.messageBytes)
  const bytes = new Uint8Array(tx.bytes)
  bytes.set(signature, tx.signaturesOffset)
  return { bytes, signature }
}

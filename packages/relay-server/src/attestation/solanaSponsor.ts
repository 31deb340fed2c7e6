// The sponsorship webhook on Solana (issue 13): the site owner sees the transaction as the relay's
// policy reads it (who pays, who signs, what each instruction moves and to whom) and answers yes or
// no. Same signature, timeout and fail-closed rule as on EVM (`sponsorWebhook.ts`).
import { getAddressDecoder } from '@solana/kit'
import type { ResolvedSite } from '../config.js'
import {
  ASSOCIATED_TOKEN_PROGRAM,
  COMPUTE_BUDGET_PROGRAM,
  MEMO_PROGRAM,
  MEMO_V1_PROGRAM,
  SYSTEM_PROGRAM,
  TOKEN_2022_PROGRAM,
  TOKEN_PROGRAM,
} from '../solana/config.js'
import { type SolanaRpc, SolanaUnavailableError } from '../solana/rpc.js'
import type { WireTransaction } from '../solana/wire.js'
import type { ResolvedSponsorWebhook } from './config.js'
import { requireSponsorship } from './sponsorWebhook.js'

const addressOf = getAddressDecoder()

/** One instruction as the relay's Solana policy understands it (integers as decimal strings in JSON). */
type SolanaSponsorInstruction =
  | { type: 'systemTransfer'; program: string; from: string; to: string; lamports: bigint }
  | {
      type: 'tokenTransfer'
      /** The SPL Token or Token-2022 program. */
      program: string
      /** From `TransferChecked`; for a plain `Transfer`, read from the source account (null when unreadable). */
      mint: string | null
      amount: bigint
      /** Null for a plain `Transfer`, which carries none. */
      decimals: number | null
      source: string
      destination: string
      /** The wallet that owns `destination`: from the account creation in the same transaction, else from the ledger. */
      destinationOwner: string | null
      authority: string
    }
  | {
      type: 'createTokenAccount'
      program: string
      /** Who pays the account's rent: the relay's fee payer when it funds it. */
      payer: string
      account: string
      owner: string
      mint: string
      tokenProgram: string
      idempotent: boolean
    }
  | { type: 'memo'; program: string; text: string }
  | { type: 'other'; program: string; accounts: string[]; data: string }

/** What the site owner's endpoint receives for a Solana transaction. */
interface SolanaSponsorPayload {
  network: 'solana'
  site: string
  /** Wallet Standard chain, e.g. `solana:mainnet`. */
  chain: string
  /** The part after `solana:` (`mainnet`, `devnet`, `localnet`…). */
  cluster: string
  /** The relay's fee payer. */
  feePayer: string
  /** The visitor's wallet, the signer after the fee payer. */
  signer: string
  /** Base58 transaction signature (the relay's co-signature: the id of the transaction on chain). */
  signature: string
  /** Lamports the relay pays in fees, and in rent for the token accounts it funds. */
  fee: bigint
  rent: bigint
  computeUnitLimit: number
  computeUnitPrice: bigint
  instructions: SolanaSponsorInstruction[]
  origin: string | null
  ip: string | null
}

/** What the runtime knows of a checked, simulated transaction (a `PreparedSolanaTransaction`). */
export interface SponsoredSolanaTransaction {
  tx: WireTransaction
  wallet: string
  signature: string
  fee: bigint
  rent: bigint
  computeUnitLimit: number
  computeUnitPrice: bigint
}

const u32 = (data: Uint8Array, at: number) =>
  ((data[at] ?? 0) | ((data[at + 1] ?? 0) << 8) | ((data[at + 2] ?? 0) << 16)) + (data[at + 3] ?? 0) * 2 ** 24
const u64 = (data: Uint8Array, at: number) => BigInt(u32(data, at)) + (BigInt(u32(data, at + 4)) << 32n)

/** The instructions of `tx` (compute budget ones left out: their limit and price are top-level fields). */
function decodeSolanaInstructions(tx: WireTransaction): SolanaSponsorInstruction[] {
  const key = (index: number | undefined) => tx.accounts[index ?? -1] ?? ''
  const out: SolanaSponsorInstruction[] = []
  for (const ix of tx.instructions) {
    const program = key(ix.programIndex)
    const a = (i: number) => key(ix.accounts[i])
    const data = ix.data
    if (program === COMPUTE_BUDGET_PROGRAM) continue
    if (program === SYSTEM_PROGRAM && data.length === 12 && u32(data, 0) === 2 && ix.accounts.length >= 2) {
      out.push({ type: 'systemTransfer', program, from: a(0), to: a(1), lamports: u64(data, 4) })
      continue
    }
    if (program === TOKEN_PROGRAM || program === TOKEN_2022_PROGRAM) {
      if (data[0] === 12 && data.length === 10 && ix.accounts.length >= 4) {
        out.push({
          type: 'tokenTransfer',
          program,
          mint: a(1),
          amount: u64(data, 1),
          decimals: data[9] as number,
          source: a(0),
          destination: a(2),
          destinationOwner: null,
          authority: a(3),
        })
        continue
      }
      if (data[0] === 3 && data.length === 9 && ix.accounts.length >= 3) {
        out.push({
          type: 'tokenTransfer',
          program,
          mint: null,
          amount: u64(data, 1),
          decimals: null,
          source: a(0),
          destination: a(1),
          destinationOwner: null,
          authority: a(2),
        })
        continue
      }
    }
    if (
      program === ASSOCIATED_TOKEN_PROGRAM &&
      (data.length === 0 || (data.length === 1 && (data[0] === 0 || data[0] === 1))) &&
      ix.accounts.length >= 6
    ) {
      out.push({
        type: 'createTokenAccount',
        program,
        payer: a(0),
        account: a(1),
        owner: a(2),
        mint: a(3),
        tokenProgram: a(5),
        idempotent: data[0] === 1,
      })
      continue
    }
    if (program === MEMO_PROGRAM || program === MEMO_V1_PROGRAM) {
      out.push({ type: 'memo', program, text: new TextDecoder().decode(data) })
      continue
    }
    out.push({
      type: 'other',
      program,
      accounts: [...ix.accounts].map((i) => key(i)),
      data: Buffer.from(data).toString('base64'),
    })
  }
  return out
}

/**
 * Fills in what the instructions do not carry: the owner of each transfer's destination (from an
 * account created in the same transaction, else one ledger read for all) and the mint of a plain
 * `Transfer` (from its source account).
 */
async function resolveTokenOwners(instructions: SolanaSponsorInstruction[], rpc: SolanaRpc): Promise<void> {
  const created = new Map<string, string>()
  for (const ix of instructions) if (ix.type === 'createTokenAccount') created.set(ix.account, ix.owner)
  const wanted = new Set<string>()
  for (const ix of instructions) {
    if (ix.type !== 'tokenTransfer') continue
    if (!created.has(ix.destination)) wanted.add(ix.destination)
    if (ix.mint === null) wanted.add(ix.source)
  }
  const read = new Map<string, { mint: string; owner: string }>()
  if (wanted.size > 0) {
    const addresses = [...wanted]
    let answer: { value: ({ data: [string, string]; owner: string } | null)[] }
    try {
      answer = await rpc.call('getMultipleAccounts', [addresses, { encoding: 'base64', commitment: 'processed' }])
    } catch (error) {
      throw new SolanaUnavailableError(`solana rpc ${rpc.label} did not answer the token account read`, {
        cause: error,
      })
    }
    addresses.forEach((address, i) => {
      const account = answer.value[i]
      if (!account || (account.owner !== TOKEN_PROGRAM && account.owner !== TOKEN_2022_PROGRAM)) return
      const bytes = Buffer.from(account.data[0], 'base64')
      if (bytes.length < 165) return
      read.set(address, {
        mint: addressOf.decode(bytes.subarray(0, 32)),
        owner: addressOf.decode(bytes.subarray(32, 64)),
      })
    })
  }
  for (const ix of instructions) {
    if (ix.type !== 'tokenTransfer') continue
    ix.destinationOwner = created.get(ix.destination) ?? read.get(ix.destination)?.owner ?? null
    if (ix.mint === null) ix.mint = read.get(ix.source)?.mint ?? null
  }
}

async function solanaSponsorPayload(input: {
  site: ResolvedSite
  chain: string
  feePayer: string
  transaction: SponsoredSolanaTransaction
  rpc: SolanaRpc
  origin: string | undefined
  ip: string | undefined
}): Promise<SolanaSponsorPayload> {
  const { transaction } = input
  const instructions = decodeSolanaInstructions(transaction.tx)
  await resolveTokenOwners(instructions, input.rpc)
  return {
    network: 'solana',
    site: input.site.key,
    chain: input.chain,
    cluster: input.chain.replace(/^solana:/, ''),
    feePayer: input.feePayer,
    signer: transaction.wallet,
    signature: transaction.signature,
    fee: transaction.fee,
    rent: transaction.rent,
    computeUnitLimit: transaction.computeUnitLimit,
    computeUnitPrice: transaction.computeUnitPrice,
    instructions,
    origin: input.origin ?? null,
    ip: input.ip ?? null,
  }
}

/**
 * The check the Solana submit route runs between `network.check` and `network.admit` (so a refusal
 * reserves no budget and sends nothing): throws 403 `SPONSOR_DECLINED` or 503 `SPONSOR_UNAVAILABLE`
 * unless the site owner answers `200 {"sponsor": true}`.
 */
export function solanaSponsorCheck(input: {
  webhook: ResolvedSponsorWebhook
  site: ResolvedSite
  chain: string
  feePayer: string
  rpc: SolanaRpc
  origin: string | undefined
  ip: string | undefined
  now: () => number
}): (transaction: SponsoredSolanaTransaction) => Promise<void> {
  return async (transaction) => {
    const payload = await solanaSponsorPayload({ ...input, transaction })
    await requireSponsorship(input.webhook, payload, input.now())
  }
}

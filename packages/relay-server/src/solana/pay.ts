import { randomUUID } from 'node:crypto'
import {
  AccountRole,
  type Address,
  appendTransactionMessageInstructions,
  type Blockhash,
  compileTransaction,
  createTransactionMessage,
  getAddressDecoder,
  getBase58Decoder,
  getBase64EncodedWireTransaction,
  type Instruction,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from '@solana/kit'
import { findAssociatedTokenPda } from '@solana-program/token'
import type { ResolvedSite } from '../config.js'
import { BudgetExceededError, QuotaExceededError, SitePausedError, utcDay } from '../store/types.js'
import { ASSOCIATED_TOKEN_PROGRAM, MEMO_PROGRAM, SYSTEM_PROGRAM, TOKEN_PROGRAM } from './config.js'
import { parseAccount, parseAmount, parseTipQuery, payError, SOL_DECIMALS, type TipParams } from './payParams.js'
import { checkSolanaTransaction, coSign, solanaError, verifyTokenAccounts } from './policy.js'
import { FeePayerUnfundedError, SolanaRpcError, SolanaTransportError, SolanaUnavailableError } from './rpc.js'
import { SOLANA_PAY_ID_PREFIX, type SolanaRuntime } from './runtime.js'
import type { SolanaRequestRecord } from './store.js'
import { parseWireTransaction } from './wire.js'

/** A tip link's query, checked, with its amount in base units. */
export interface Tip extends TipParams {
  units: bigint
  decimals: number
  /** `SOL`, or the mint's short form (`EPjF…Dt1v`): mints carry no symbol on chain. */
  symbol: string
}

/** A tip's payment, as `GET /v1/solana/pay/status` reports it. */
export type FoundTip =
  | { found: false }
  /** `id` is the relay's request (`GET /v1/requests/:id`); the transaction is confirmed. */
  | { found: true; id: string; signature: string; slot: number }

/** What `POST /v1/solana/pay/tip` answers, and the request the relay now watches. */
export interface BuiltTip {
  /** Base64 wire transaction, signed by the fee payer, awaiting the wallet's signature. */
  transaction: string
  message: string
  /** Base58 transaction signature (the fee payer's): where the payment will be found. */
  signature: string
  record: SolanaRequestRecord
  /** False when the same transaction was already built (a wallet retrying): nothing new reserved. */
  created: boolean
}

interface AccountInfo {
  data: [string, string]
  owner: string
  lamports: number
}

const MINT_SIZE = 82
const TOKEN_ACCOUNT_SIZE = 165
/** SPL token account `state`: 1 initialized, 2 frozen. */
const TOKEN_ACCOUNT_INITIALIZED = 1
/** Used until the RPC tells the rent-exempt minimum of a token account (the same on every cluster today). */
const TOKEN_ACCOUNT_RENT = 2_039_280n

const short = (address: string) => `${address.slice(0, 4)}…${address.slice(-4)}`
const addressOf = getAddressDecoder()
const u64le = (value: bigint) => {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, value, true)
  return out
}
const readU64 = (data: Uint8Array, at: number) =>
  new DataView(data.buffer, data.byteOffset, data.byteLength).getBigUint64(at, true)
const decode = (info: AccountInfo) => new Uint8Array(Buffer.from(info.data[0], 'base64'))

/** The associated token account of `owner` for `mint` under the classic Token program. */
async function associatedTokenAddress(owner: string, mint: string): Promise<Address> {
  const [address] = await findAssociatedTokenPda({
    owner: owner as Address,
    mint: mint as Address,
    tokenProgram: TOKEN_PROGRAM as Address,
  })
  return address
}

/**
 * Solana Pay tips: checks a tip link, and builds the transaction a wallet signs and sends itself,
 * with the relay as fee payer, under the site's Solana policy and budgets.
 */
export class SolanaPay {
  private readonly decimals = new Map<string, number>()
  private tokenAccountRent: bigint | undefined
  private walletRent: bigint | undefined

  constructor(
    readonly runtime: SolanaRuntime,
    private readonly sites: ReadonlyMap<string, ResolvedSite>,
    private readonly now: () => number = Date.now,
  ) {}

  /** The query checked against the site and, for a token, against its mint's decimals (one RPC read, cached). */
  async tip(query: Record<string, unknown>): Promise<Tip> {
    const params = parseTipQuery(query, this.sites, (key) => this.runtime.config.sites.get(key)?.pay)
    const decimals = params.mint === undefined ? SOL_DECIMALS : await this.mintDecimals(params.mint)
    return {
      ...params,
      units: parseAmount(params.amount, decimals),
      decimals,
      symbol: params.mint === undefined ? 'SOL' : short(params.mint),
    }
  }

  /**
   * Builds, checks, co-signs and admits the tip transaction for `body.account`: the same checks,
   * budget and wallet quota as `POST /v1/solana/transactions`, reserved now and watched until the
   * transaction lands or its blockhash expires.
   */
  async build(query: Record<string, unknown>, body: unknown): Promise<BuiltTip> {
    const tip = await this.tip(query)
    const account = parseAccount(body)
    const { feePayer } = this.runtime.config
    // Signed by the relay alone, a transfer from the fee payer would be the relay paying the tip.
    if (account === feePayer) {
      throw solanaError('FEE_PAYER_AS_SOURCE', 'the account cannot be the relay fee payer')
    }
    if (account === tip.to) throw payError('INVALID_ACCOUNT', 'the account is the recipient itself')
    await this.runtime.assertSiteOpen(tip.siteKey)

    const [sourceAta, destinationAta] =
      tip.mint === undefined
        ? [undefined, undefined]
        : await Promise.all([associatedTokenAddress(account, tip.mint), associatedTokenAddress(tip.to, tip.mint)])
    const watched = sourceAta && destinationAta ? [sourceAta, destinationAta] : [account, tip.to]
    const [latest, accounts, payerBalance] = (await this.rpc(() =>
      this.runtime.rpc.batch([
        { method: 'getLatestBlockhash', params: [{ commitment: 'confirmed' }] },
        { method: 'getMultipleAccounts', params: [watched, { encoding: 'base64', commitment: 'confirmed' }] },
        { method: 'getBalance', params: [feePayer, { commitment: 'confirmed' }] },
      ]),
    )) as [
      { value: { blockhash: string; lastValidBlockHeight: number } },
      { value: (AccountInfo | null)[] },
      { value: number },
    ]

    const instructions: Instruction[] = []
    const references = tip.references.map((address) => ({ address: address as Address, role: AccountRole.READONLY }))
    let transfer: Instruction
    if (tip.mint === undefined || sourceAta === undefined || destinationAta === undefined) {
      const [balance, received] = accounts.value.map((a) => BigInt(a?.lamports ?? 0)) as [bigint, bigint]
      if (balance < tip.units) {
        throw payError('INSUFFICIENT_FUNDS', `${account} holds ${balance} lamports, less than the tip`)
      }
      // The runtime refuses a transfer that leaves either account holding lamports below the
      // rent-exempt minimum: it would land, fail, and cost the relay its fee.
      const minimum = await this.rentExempt()
      const left = balance - tip.units
      if (left > 0n && left < minimum) {
        throw payError(
          'INSUFFICIENT_FUNDS',
          `the tip would leave ${account} with ${left} lamports, below the rent-exempt ${minimum}`,
        )
      }
      if (received + tip.units < minimum) {
        throw payError(
          'TIP_BELOW_RENT',
          `${tip.to} would hold ${received + tip.units} lamports, below the rent-exempt ${minimum}: tip more`,
        )
      }
      transfer = {
        programAddress: SYSTEM_PROGRAM as Address,
        accounts: [
          { address: account as Address, role: AccountRole.WRITABLE_SIGNER },
          { address: tip.to as Address, role: AccountRole.WRITABLE },
          ...references,
        ],
        data: Uint8Array.of(2, 0, 0, 0, ...u64le(tip.units)),
      }
    } else {
      const [source, destination] = accounts.value
      const held = source ? this.tokenBalance(source, tip.mint, account) : 0n
      if (held < tip.units) {
        throw payError(
          'INSUFFICIENT_FUNDS',
          held < 0n
            ? `${account} cannot send from its token account of ${tip.mint} (frozen or not one)`
            : `${account} holds ${held} base units of ${tip.mint}, less than the tip`,
        )
      }
      if (!destination) {
        // A tip below the mint's minimum goes on to the policy, which names it (TRANSFER_BELOW_MINIMUM).
        const funding = this.runtime.policyFor(tip.siteKey).fundTokenAccounts
        if (!funding?.recipients.has(tip.to) || !funding.minimumTransfer.has(tip.mint)) {
          throw payError(
            'RECIPIENT_TOKEN_ACCOUNT_MISSING',
            `${tip.to} has no token account for ${tip.mint} and the relay does not fund one here`,
          )
        }
        instructions.push({
          programAddress: ASSOCIATED_TOKEN_PROGRAM as Address,
          accounts: [
            { address: feePayer as Address, role: AccountRole.WRITABLE_SIGNER },
            { address: destinationAta as Address, role: AccountRole.WRITABLE },
            { address: tip.to as Address, role: AccountRole.READONLY },
            { address: tip.mint as Address, role: AccountRole.READONLY },
            { address: SYSTEM_PROGRAM as Address, role: AccountRole.READONLY },
            { address: TOKEN_PROGRAM as Address, role: AccountRole.READONLY },
          ],
          // CreateIdempotent: a racing tip that created it first does not fail this one.
          data: Uint8Array.of(1),
        })
      } else if (this.tokenBalance(destination, tip.mint, tip.to) < 0n) {
        throw payError('RECIPIENT_TOKEN_ACCOUNT_MISSING', `the token account of ${tip.to} cannot receive`)
      }
      transfer = {
        programAddress: TOKEN_PROGRAM as Address,
        accounts: [
          { address: sourceAta as Address, role: AccountRole.WRITABLE },
          { address: tip.mint as Address, role: AccountRole.READONLY },
          { address: destinationAta as Address, role: AccountRole.WRITABLE },
          { address: account as Address, role: AccountRole.READONLY_SIGNER },
          ...references,
        ],
        data: Uint8Array.of(12, ...u64le(tip.units), tip.decimals),
      }
    }
    // Solana Pay puts the memo right before the transfer.
    if (tip.memo !== undefined) {
      instructions.push({
        programAddress: MEMO_PROGRAM as Address,
        accounts: [],
        data: new TextEncoder().encode(tip.memo),
      })
    }
    instructions.push(transfer)

    // A reference must be a key of its own: merged with another account it would find every
    // transaction of that account, or take its role.
    const tipAccounts = new Set<string>([feePayer])
    for (const ix of instructions) {
      tipAccounts.add(ix.programAddress)
      // The references are the transfer's last accounts.
      const own = ix === transfer ? (ix.accounts ?? []).slice(0, -references.length || undefined) : (ix.accounts ?? [])
      for (const meta of own) tipAccounts.add(meta.address)
    }
    if (tip.references.some((r) => tipAccounts.has(r))) {
      throw payError('INVALID_REFERENCE', 'a reference key must be a fresh key, not an account of the tip')
    }

    const message = pipe(
      createTransactionMessage({ version: 'legacy' }),
      (m) => setTransactionMessageFeePayer(feePayer as Address, m),
      (m) =>
        setTransactionMessageLifetimeUsingBlockhash(
          {
            blockhash: latest.value.blockhash as Blockhash,
            lastValidBlockHeight: BigInt(latest.value.lastValidBlockHeight),
          },
          m,
        ),
      (m) => appendTransactionMessageInstructions(instructions, m),
    )
    const unsigned = getBase64EncodedWireTransaction(compileTransaction(message))
    // The same rules as a sponsored transaction a page sends: what the relay builds, it checks.
    const checked = checkSolanaTransaction(unsigned, {
      config: this.runtime.config,
      policy: this.runtime.policyFor(tip.siteKey),
      tokenAccountRent: await this.rent(instructions.some((ix) => ix.programAddress === ASSOCIATED_TOKEN_PROGRAM)),
      walletSignaturesPending: true,
    })
    if (checked.wallet !== account) {
      throw solanaError('INVALID_TRANSACTION', 'the tip transaction does not have the account as its signer')
    }
    if (checked.tokenAccounts.length > 0) await verifyTokenAccounts(checked.tokenAccounts)
    // A fee payer that cannot pay would hand out transactions that never land: the relay's outage,
    // said at once rather than after the visitor signed.
    if (BigInt(payerBalance.value) < checked.fee + checked.rent) {
      throw new FeePayerUnfundedError(`the fee payer ${feePayer} cannot pay this tip's fee; the operator must fund it`)
    }
    const { bytes, signature: signatureBytes } = coSign(checked.tx, this.runtime.signer.sign)
    const transaction = Buffer.from(bytes).toString('base64')
    const signature = getBase58Decoder().decode(signatureBytes)

    const policy = this.runtime.policyFor(tip.siteKey)
    const admitted = await this.runtime.store.admit(
      {
        id: `${SOLANA_PAY_ID_PREFIX}${randomUUID()}`,
        siteKey: tip.siteKey,
        wallet: account,
        signature,
        transaction,
        blockhash: checked.tx.blockhash,
        lamports: checked.fee + checked.rent,
      },
      {
        day: utcDay(this.now()),
        siteLamportsPerDay: policy.lamportsPerDay,
        walletRequestsPerDay: policy.requestsPerWalletPerDay,
      },
    )
    const text = `Tip of ${tip.amount} ${tip.symbol} to ${short(tip.to)}${tip.memo === undefined ? '' : `: ${tip.memo}`}`
    // The same account, tip and blockhash give the same bytes (Ed25519 signs deterministically): a
    // wallet asking twice gets the transaction again, reserved once.
    const again = async (existingId: string | undefined): Promise<BuiltTip | undefined> => {
      const record = existingId ? await this.runtime.store.get(existingId) : undefined
      return record?.transaction === transaction
        ? { transaction, message: text, signature, record, created: false }
        : undefined
    }
    if (!admitted.ok) {
      switch (admitted.reason) {
        case 'SITE_PAUSED':
          throw new SitePausedError(`site ${tip.siteKey} is paused`)
        case 'DUPLICATE': {
          const built = await again(admitted.existingId)
          if (!built) throw solanaError('DUPLICATE_TRANSACTION', `transaction ${signature} was already built`)
          return built
        }
        case 'SITE_BUDGET': {
          // The budget is the site's step, before the replay guard: a budget spent by this very
          // transaction's first reservation still hands it out again.
          const built = await again(await this.runtime.store.findBySignature(signature))
          if (built) return built
          throw new BudgetExceededError("this site's daily Solana budget is spent")
        }
        case 'WALLET_QUOTA':
          throw new QuotaExceededError(`wallet ${account} reached its daily quota`)
      }
    }
    this.runtime.track(admitted.record)
    return { transaction, message: text, signature, record: admitted.record, created: true }
  }

  /**
   * The payment of a tip link, found by its reference as Solana Pay's `findReference` does, and
   * valid only if this relay built it for exactly this tip (recipient, mint and amount): anyone can
   * put a reference key into a transaction of their own.
   */
  async find(query: Record<string, unknown>): Promise<FoundTip> {
    const tip = await this.tip(query)
    const reference = tip.references[0]
    if (reference === undefined) throw payError('INVALID_REFERENCE', 'reference is required to find a payment')
    const signatures = await this.rpc(() =>
      this.runtime.rpc.call<{ signature: string; slot: number; err: unknown }[]>('getSignaturesForAddress', [
        reference,
        { limit: 25, commitment: 'confirmed' },
      ]),
    )
    // Derived once here: `pays` looks at every instruction of up to 25 transactions.
    const recipientAta = tip.mint === undefined ? undefined : await associatedTokenAddress(tip.to, tip.mint)
    for (const entry of signatures) {
      // A transaction that landed and failed paid nothing (the relay's fee only).
      if (entry.err !== null && entry.err !== undefined) continue
      const id = await this.runtime.store.findBySignature(entry.signature)
      const record = id === undefined ? undefined : await this.runtime.store.get(id)
      if (!record || record.siteKey !== tip.siteKey || !this.pays(record.transaction, tip, recipientAta)) continue
      return { found: true, id: record.id, signature: entry.signature, slot: entry.slot }
    }
    return { found: false }
  }

  /**
   * Whether a transaction the relay built transfers exactly `tip`, naming its reference; a token tip
   * lands in `recipientAta`, the recipient's associated token account of the mint.
   */
  private pays(transaction: string, tip: Tip, recipientAta: string | undefined): boolean {
    let tx: ReturnType<typeof parseWireTransaction>
    try {
      tx = parseWireTransaction(new Uint8Array(Buffer.from(transaction, 'base64')))
    } catch {
      return false
    }
    const at = (ix: { accounts: Uint8Array }, i: number) => tx.accounts[ix.accounts[i] ?? -1]
    return tx.instructions.some((ix) => {
      const program = tx.accounts[ix.programIndex]
      const named = tip.references.every((r) => [...ix.accounts].some((i) => tx.accounts[i] === r))
      if (!named) return false
      if (tip.mint === undefined) {
        return (
          program === SYSTEM_PROGRAM &&
          ix.data.length === 12 &&
          Buffer.from(ix.data).readUInt32LE(0) === 2 &&
          readU64(ix.data, 4) === tip.units &&
          at(ix, 1) === tip.to
        )
      }
      return (
        program === TOKEN_PROGRAM &&
        ix.data.length === 10 &&
        ix.data[0] === 12 &&
        readU64(ix.data, 1) === tip.units &&
        at(ix, 1) === tip.mint &&
        recipientAta !== undefined &&
        at(ix, 2) === recipientAta
      )
    })
  }

  /** Base units a token account of `mint` owned by `owner` holds; -1 when it cannot take part in a transfer. */
  private tokenBalance(info: AccountInfo, mint: string, owner: string): bigint {
    const data = decode(info)
    if (
      info.owner !== TOKEN_PROGRAM ||
      data.length !== TOKEN_ACCOUNT_SIZE ||
      addressOf.decode(data.subarray(0, 32)) !== mint ||
      addressOf.decode(data.subarray(32, 64)) !== owner ||
      data[108] !== TOKEN_ACCOUNT_INITIALIZED
    ) {
      return -1n
    }
    return readU64(data, 64)
  }

  private async mintDecimals(mint: string): Promise<number> {
    const known = this.decimals.get(mint)
    if (known !== undefined) return known
    const info = await this.rpc(() =>
      this.runtime.rpc.call<{ value: AccountInfo | null }>('getAccountInfo', [
        mint,
        { encoding: 'base64', commitment: 'confirmed' },
      ]),
    )
    const data = info.value ? decode(info.value) : undefined
    // Only the classic Token program: the policy and the transfer below know no other.
    if (info.value?.owner !== TOKEN_PROGRAM || data?.length !== MINT_SIZE || data[45] !== 1) {
      throw payError('INVALID_MINT', `${mint} is not an SPL token mint on this cluster`)
    }
    const decimals = data[44] as number
    // Decimals never change once a mint exists.
    if (this.decimals.size > 1_000) this.decimals.clear()
    this.decimals.set(mint, decimals)
    return decimals
  }

  /** Rent-exempt minimum of an account without data (a wallet), read once. */
  private async rentExempt(): Promise<bigint> {
    if (this.walletRent === undefined) {
      this.walletRent = BigInt(
        await this.rpc(() => this.runtime.rpc.call<number>('getMinimumBalanceForRentExemption', [0])),
      )
    }
    return this.walletRent
  }

  private async rent(needed: boolean): Promise<bigint> {
    if (!needed) return TOKEN_ACCOUNT_RENT
    if (this.tokenAccountRent === undefined) {
      this.tokenAccountRent = BigInt(
        await this.rpc(() => this.runtime.rpc.call<number>('getMinimumBalanceForRentExemption', [TOKEN_ACCOUNT_SIZE])),
      )
    }
    return this.tokenAccountRent
  }

  private async rpc<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (error) {
      if (error instanceof SolanaTransportError || error instanceof SolanaRpcError) {
        throw new SolanaUnavailableError(`solana rpc ${this.runtime.rpc.label}: ${error.message}`, { cause: error })
      }
      throw error
    }
  }
}

// Unit tests of the Solana sponsorship rules (`checkSolanaTransaction`): each rule at its boundary, with wire
// transactions encoded by hand so a test can build shapes a wallet library refuses to (duplicate compute budget
// instructions, odd data lengths, the fee payer in any account slot). Written to kill the mutants StrykerJS found
// surviving in src/solana/policy.ts (issue 11).

import { type Address, getAddressDecoder, getBase58Encoder } from '@solana/kit'
import { findAssociatedTokenPda } from '@solana-program/token'
import { describe, expect, it } from 'vitest'
import type { RelayError } from '../src/errors.js'
import { toRelayError } from '../src/http/errors.js'
import {
  ASSOCIATED_TOKEN_PROGRAM,
  COMPUTE_BUDGET_PROGRAM,
  MEMO_PROGRAM,
  type ResolvedSolanaConfig,
  type ResolvedSolanaSitePolicy,
  SYSTEM_PROGRAM,
  TOKEN_PROGRAM,
} from '../src/solana/config.js'
import { createEd25519Signer, type Ed25519Signer } from '../src/solana/ed25519.js'
import {
  checkSolanaTransaction,
  type SolanaCheckContext,
  SolanaRefusedError,
  verifyTokenAccounts,
} from '../src/solana/policy.js'
import { WireFormatError } from '../src/solana/wire.js'

// Fixed test keys (not secrets): the relay's fee payer, a visiting wallet, a third signer.
const feePayer = createEd25519Signer(new Uint8Array(32).fill(1))
const wallet = createEd25519Signer(new Uint8Array(32).fill(2))
const third = createEd25519Signer(new Uint8Array(32).fill(3))
const address = (seed: number): string => getAddressDecoder().decode(new Uint8Array(32).fill(seed))
const RECIPIENT = address(40)
const MINT = address(41)
const SOURCE = address(42)
const OTHER_TOKEN_PROGRAM = address(43)

const policy = (overrides: Partial<ResolvedSolanaSitePolicy> = {}): ResolvedSolanaSitePolicy => ({
  programs: new Set([SYSTEM_PROGRAM, TOKEN_PROGRAM, ASSOCIATED_TOKEN_PROGRAM, COMPUTE_BUDGET_PROGRAM, MEMO_PROGRAM]),
  lamportsPerDay: 1_000_000_000n,
  requestsPerWalletPerDay: 100,
  // The tips below move 5 base units: exactly the minimum.
  fundTokenAccounts: { recipients: new Set([RECIPIENT]), minimumTransfer: new Map([[MINT, 5n]]) },
  pay: undefined,
  ...overrides,
})

const config = (overrides: Partial<ResolvedSolanaConfig> = {}): ResolvedSolanaConfig => ({
  rpcUrl: 'http://127.0.0.1:1',
  chain: 'solana:localnet',
  feePayer: feePayer.address,
  feePayerPrivateKey: new Uint8Array(32).fill(1),
  maxComputeUnits: 400_000,
  maxComputeUnitPrice: 1_000_000n,
  maxTransactionBytes: 1232,
  maxSigners: 2,
  defaults: policy(),
  sites: new Map(),
  pollIntervalMs: 1000,
  resendIntervalMs: 1000,
  ...overrides,
})

interface Ix {
  program: string
  accounts: string[]
  data: number[]
}

interface TxSpec {
  /** Signers in order; the fee payer first unless a test says otherwise. */
  signers?: Ed25519Signer[]
  /** Indices of signers whose signature slot stays zero. */
  unsigned?: number[]
  /** Replaces signature slot i with these bytes. */
  badSignature?: { index: number; bytes: Uint8Array }
  instructions: Ix[]
  /** Encode as a v0 message with this many address table lookups. */
  lookups?: number
}

const shortVec = (n: number): number[] => {
  const out: number[] = []
  let value = n
  do {
    let byte = value & 0x7f
    value >>= 7
    if (value) byte |= 0x80
    out.push(byte)
  } while (value)
  return out
}

const keyBytes = (a: string) => getBase58Encoder().encode(a) as Uint8Array

/** Legacy (or v0) wire transaction: signers, then writable non-signers, then programs (read-only). */
function encode(spec: TxSpec): Uint8Array {
  const signers = spec.signers ?? [feePayer, wallet]
  const programs = [...new Set(spec.instructions.map((ix) => ix.program))]
  const others = [...new Set(spec.instructions.flatMap((ix) => ix.accounts))].filter(
    (a) => !signers.some((s) => s.address === a) && !programs.includes(a),
  )
  const keys = [...signers.map((s) => s.address), ...others, ...programs.filter((p) => !others.includes(p))]
  const index = (a: string) => keys.indexOf(a)
  const message: number[] = []
  if (spec.lookups !== undefined) message.push(0x80)
  message.push(signers.length, 0, keys.length - signers.length - others.length)
  message.push(...shortVec(keys.length))
  for (const k of keys) message.push(...keyBytes(k))
  message.push(...new Uint8Array(32).fill(9))
  message.push(...shortVec(spec.instructions.length))
  for (const ix of spec.instructions) {
    message.push(index(ix.program), ...shortVec(ix.accounts.length), ...ix.accounts.map(index))
    message.push(...shortVec(ix.data.length), ...ix.data)
  }
  if (spec.lookups !== undefined) {
    message.push(...shortVec(spec.lookups))
    for (let i = 0; i < spec.lookups; i++) message.push(...new Uint8Array(32).fill(7), 1, 0, 0)
  }
  const messageBytes = Uint8Array.from(message)
  const out: number[] = [...shortVec(signers.length)]
  signers.forEach((s, i) => {
    if (spec.badSignature?.index === i) out.push(...spec.badSignature.bytes)
    else if (i === 0 || spec.unsigned?.includes(i)) out.push(...new Uint8Array(64))
    else out.push(...s.sign(messageBytes))
  })
  return Uint8Array.from([...out, ...messageBytes])
}

const replaced = (list: string[], at: number, value: string) => list.map((v, i) => (i === at ? value : v))
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
const ctx = (
  c: Partial<ResolvedSolanaConfig> = {},
  p: Partial<ResolvedSolanaSitePolicy> = {},
  extra: Partial<SolanaCheckContext> = {},
): SolanaCheckContext => ({ config: config(c), policy: policy(p), tokenAccountRent: 2_039_280n, ...extra })
const check = (spec: TxSpec, context = ctx()) => checkSolanaTransaction(b64(encode(spec)), context)

/** The refusal as a client sees it: the policy throws a domain error, the edge's one map gives its status. */
function rejection(run: () => unknown): RelayError {
  try {
    run()
  } catch (error) {
    if (error instanceof SolanaRefusedError) return toRelayError(error)
    throw error
  }
  throw new TypeError('expected a SolanaRefusedError, the transaction was accepted')
}
const expectRejected = (run: () => unknown, status: number, code: string, message?: string | RegExp) => {
  const error = rejection(run)
  expect({ status: error.status, code: error.code }).toEqual({ status, code })
  if (typeof message === 'string') expect(error.message).toBe(message)
  else if (message) expect(error.message).toMatch(message)
  return error
}

const memo = (text = 'hi', accounts: string[] = []): Ix => ({
  program: MEMO_PROGRAM,
  accounts,
  data: [...Buffer.from(text)],
})
const computeLimit = (units: number): Ix => ({
  program: COMPUTE_BUDGET_PROGRAM,
  accounts: [],
  data: [2, ...u32le(units)],
})
const computePrice = (microLamports: bigint): Ix => ({
  program: COMPUTE_BUDGET_PROGRAM,
  accounts: [],
  data: [3, ...u64le(microLamports)],
})
const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]
const u64le = (n: bigint) => Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(8 * i)) & 0xffn))

async function ata(owner: string, mint = MINT): Promise<string> {
  const [pda] = await findAssociatedTokenPda({
    owner: owner as Address,
    mint: mint as Address,
    tokenProgram: TOKEN_PROGRAM as Address,
  })
  return pda
}
const RECIPIENT_ATA = await ata(RECIPIENT)
/** CreateAssociatedTokenAccount(Idempotent) funded by the fee payer. */
const createAta = (data: number[] = [1], accounts?: string[]): Ix => ({
  program: ASSOCIATED_TOKEN_PROGRAM,
  accounts: accounts ?? [feePayer.address, RECIPIENT_ATA, RECIPIENT, MINT, SYSTEM_PROGRAM, TOKEN_PROGRAM],
  data,
})
const transferChecked = (accounts: string[]): Ix => ({ program: TOKEN_PROGRAM, accounts, data: [12, ...u64le(5n), 6] })
const transfer = (accounts: string[]): Ix => ({ program: TOKEN_PROGRAM, accounts, data: [3, ...u64le(5n)] })
const tip = () => transferChecked([SOURCE, MINT, RECIPIENT_ATA, wallet.address])

/** A one-memo transaction whose wire size is a multiple of 3 (its base64 has no padding). */
function sizedAsMultipleOf3() {
  for (let text = 'x'; ; text += 'x') {
    const bytes = encode({ instructions: [memo(text)] })
    if (bytes.length % 3 === 0) return { text, bytes }
  }
}

describe('checkSolanaTransaction: encoding and size', () => {
  it('accepts a transaction of exactly maxTransactionBytes when that is a multiple of 3', () => {
    const { text, bytes } = sizedAsMultipleOf3()
    const checked = check({ instructions: [memo(text)] }, ctx({ maxTransactionBytes: bytes.length }))
    expect(checked.tx.bytes.length).toBe(bytes.length)
  })

  it('refuses one byte over the cap after decoding (base64 length within the cap)', () => {
    const { text, bytes } = sizedAsMultipleOf3()
    const max = bytes.length - 1
    expectRejected(
      () => check({ instructions: [memo(text)] }, ctx({ maxTransactionBytes: max })),
      413,
      'TRANSACTION_TOO_LARGE',
      `the transaction is larger than ${max} bytes`,
    )
  })

  it('refuses oversized input before decoding it, even when it would decode to nothing', () => {
    const oversized = '!'.repeat(Math.ceil(1232 / 3) * 4 + 1)
    expectRejected(
      () => checkSolanaTransaction(oversized, ctx()),
      413,
      'TRANSACTION_TOO_LARGE',
      'the transaction is larger than 1232 bytes',
    )
  })

  it('refuses empty and non-canonical base64 (whitespace inside a valid transaction)', () => {
    expectRejected(
      () => checkSolanaTransaction('', ctx()),
      400,
      'INVALID_TRANSACTION',
      'transaction is not canonical base64',
    )
    const text = b64(encode({ instructions: [memo()] }))
    expectRejected(
      () => checkSolanaTransaction(`${text.slice(0, 8)}\n${text.slice(8)}`, ctx()),
      400,
      'INVALID_TRANSACTION',
      'transaction is not canonical base64',
    )
  })

  it('names the wire format error and keeps it as the cause', () => {
    const error = expectRejected(
      () => checkSolanaTransaction(b64(encode({ instructions: [memo()] }).subarray(0, 150)), ctx()),
      400,
      'INVALID_TRANSACTION',
      'malformed transaction: truncated transaction',
    )
    expect(error.cause).toBeInstanceOf(WireFormatError)
  })

  it('refuses address lookup tables', () => {
    expectRejected(
      () => check({ instructions: [memo()], lookups: 1 }),
      400,
      'LOOKUP_TABLES_NOT_ALLOWED',
      'address lookup tables are not accepted',
    )
    expect(check({ instructions: [memo()], lookups: 0 }).tx.version).toBe(0)
  })
})

describe('checkSolanaTransaction: signers and programs', () => {
  it('names the relay fee payer when another account pays', () => {
    expectRejected(
      () => check({ signers: [wallet, feePayer], unsigned: [1], instructions: [memo()] }),
      400,
      'FEE_PAYER_MISMATCH',
      `the fee payer must be the relay's ${feePayer.address}`,
    )
  })

  it('needs a wallet signer and at most maxSigners', () => {
    expectRejected(
      () => check({ signers: [feePayer], instructions: [memo()] }),
      400,
      'NO_WALLET_SIGNER',
      'the transaction needs a signer besides the fee payer',
    )
    expectRejected(
      () => check({ signers: [feePayer, wallet, third], instructions: [memo()] }),
      403,
      'TOO_MANY_SIGNERS',
      '3 signers; at most 2 (the fee payer and one wallet)',
    )
  })

  it('refuses a transaction without instructions', () => {
    expectRejected(() => check({ instructions: [] }), 400, 'INVALID_TRANSACTION', 'the transaction has no instructions')
  })

  it('names the instruction and program not allowed', () => {
    const other = address(50)
    expectRejected(
      () => check({ instructions: [memo(), { program: other, accounts: [], data: [] }] }),
      403,
      'PROGRAM_NOT_ALLOWED',
      `instruction 1 calls program ${other}, not allowed here`,
    )
  })
})

describe('checkSolanaTransaction: compute budget', () => {
  it('reads a limit and a price with every byte significant', () => {
    const limit = 0x01020304
    const price = 0x0102030405060708n
    const checked = check(
      { instructions: [computeLimit(limit), computePrice(price), memo()] },
      ctx({ maxComputeUnits: 0x02000000, maxComputeUnitPrice: 2n ** 60n }),
    )
    expect(checked.computeUnitLimit).toBe(limit)
    expect(checked.computeUnitPrice).toBe(price)
    expect(checked.fee).toBe(10_000n + (price * BigInt(limit) + 999_999n) / 1_000_000n)
  })

  it('rounds the priority fee up to whole lamports', () => {
    const checked = check({ instructions: [computeLimit(200_000), computePrice(3n), memo()] })
    // 3 µlamports × 200 000 units = 0.6 lamports: one lamport, on top of two signatures.
    expect(checked.fee).toBe(10_001n)
    expect(check({ instructions: [computeLimit(200_000), computePrice(5n), memo()] }).fee).toBe(10_001n)
    expect(check({ instructions: [computeLimit(300_000), computePrice(10n), memo()] }).fee).toBe(10_003n)
  })

  it('defaults the limit to 200 000 units per non-budget instruction, capped at 1 400 000', () => {
    expect(check({ instructions: [memo()] }).computeUnitLimit).toBe(200_000)
    expect(check({ instructions: [computePrice(0n), memo(), memo('b')] }).computeUnitLimit).toBe(400_000)
    const eight = Array.from({ length: 8 }, (_, i) => memo(`m${i}`))
    expect(check({ instructions: eight }).computeUnitLimit).toBe(1_400_000)
    expect(check({ instructions: [memo()] }).fee).toBe(10_000n)
  })

  it('accepts a limit and a price exactly at their caps, refuses one above', () => {
    expect(check({ instructions: [computeLimit(400_000), memo()] }).computeUnitLimit).toBe(400_000)
    expectRejected(
      () => check({ instructions: [computeLimit(400_001), memo()] }),
      400,
      'COMPUTE_LIMIT_TOO_HIGH',
      'compute unit limit 400001 is above the cap of 400000',
    )
    expect(check({ instructions: [computeLimit(1000), computePrice(1_000_000n), memo()] }).computeUnitPrice).toBe(
      1_000_000n,
    )
    expectRejected(
      () => check({ instructions: [computeLimit(1000), computePrice(1_000_001n), memo()] }),
      400,
      'PRIORITY_FEE_TOO_HIGH',
      'compute unit price 1000001 micro-lamports is above the cap of 1000000',
    )
  })

  it('wants an explicit limit with a priority fee when the default would pass the cap', () => {
    const c = ctx({ maxComputeUnits: 300_000 })
    expectRejected(
      () => check({ instructions: [computePrice(1n), memo(), memo('b')] }, c),
      400,
      'COMPUTE_LIMIT_TOO_HIGH',
      'a priority fee needs an explicit compute unit limit within the cap',
    )
    expect(check({ instructions: [computePrice(1n), memo()] }, c).computeUnitLimit).toBe(200_000)
    expect(
      check({ instructions: [computePrice(1n), memo(), memo('b')] }, ctx({ maxComputeUnits: 400_000 }))
        .computeUnitLimit,
    ).toBe(400_000)
    // Without a priority fee the default limit is not the sender's choice: no rule to break.
    expect(check({ instructions: [memo(), memo('b')] }, c).computeUnitLimit).toBe(400_000)
  })

  it('accepts SetLoadedAccountsDataSizeLimit and nothing else unusual', () => {
    const loaded: Ix = { program: COMPUTE_BUDGET_PROGRAM, accounts: [], data: [4, 0, 0, 1, 0] }
    expect(check({ instructions: [loaded, memo()] }).computeUnitLimit).toBe(200_000)
    const refused: [string, Ix[]][] = [
      ['a second limit', [computeLimit(1000), computeLimit(2000), memo()]],
      ['a second price', [computePrice(1n), computePrice(2n), memo()]],
      ['a limit of 6 bytes', [{ program: COMPUTE_BUDGET_PROGRAM, accounts: [], data: [2, 1, 0, 0, 0, 0] }, memo()]],
      ['kind 3 with 5 bytes', [{ program: COMPUTE_BUDGET_PROGRAM, accounts: [], data: [3, 1, 0, 0, 0] }, memo()]],
      ['kind 2 with 9 bytes', [{ program: COMPUTE_BUDGET_PROGRAM, accounts: [], data: [2, 1, 0, 0, 0, 0, 0, 0, 0] }]],
      ['a price of 8 bytes', [{ program: COMPUTE_BUDGET_PROGRAM, accounts: [], data: [3, 1, 0, 0, 0, 0, 0, 0] }]],
      ['kind 4 with 6 bytes', [{ program: COMPUTE_BUDGET_PROGRAM, accounts: [], data: [4, 0, 0, 1, 0, 0] }]],
      ['kind 1 with 5 bytes', [{ program: COMPUTE_BUDGET_PROGRAM, accounts: [], data: [1, 0, 0, 1, 0] }]],
    ]
    for (const [what, instructions] of refused) {
      const error = expectRejected(() => check({ instructions }), 400, 'INVALID_TRANSACTION')
      expect(error.message, what).toMatch(/^compute budget instruction [01] is not accepted$/)
    }
    expect(rejection(() => check({ instructions: refused[0]?.[1] ?? [] })).message).toBe(
      'compute budget instruction 1 is not accepted',
    )
  })

  it('refuses a compute budget instruction with accounts', () => {
    expectRejected(
      () => check({ instructions: [{ ...computeLimit(1000), accounts: [RECIPIENT] }, memo()] }),
      400,
      'INVALID_TRANSACTION',
      'compute budget instruction with accounts',
    )
  })
})

describe('checkSolanaTransaction: the fee payer funds only recipients’ token accounts', () => {
  it('accepts CreateIdempotent, Create (empty data) and Create (0) followed by a transfer into the account', () => {
    for (const data of [[1], [], [0]]) {
      const checked = check({ instructions: [createAta(data), tip()] })
      expect(checked.tokenAccounts).toEqual([
        { ata: RECIPIENT_ATA, owner: RECIPIENT, mint: MINT, tokenProgram: TOKEN_PROGRAM },
      ])
      expect(checked.rent).toBe(2_039_280n)
    }
    // Transfer (kind 3) names the destination second.
    expect(
      check({ instructions: [createAta(), transfer([SOURCE, RECIPIENT_ATA, wallet.address])] }).tokenAccounts,
    ).toHaveLength(1)
  })

  it('wants the funded account as the destination of a token transfer, not in another slot', () => {
    const unfunded: [string, Ix][] = [
      ['no transfer, a memo naming it', { program: MEMO_PROGRAM, accounts: [SOURCE, RECIPIENT_ATA, MINT], data: [3] }],
      ['TransferChecked with it as the mint', transferChecked([SOURCE, RECIPIENT_ATA, MINT, wallet.address])],
      ['Transfer with it as the authority', transfer([SOURCE, MINT, RECIPIENT_ATA, wallet.address])],
      ['Transfer with two accounts', transfer([SOURCE, RECIPIENT_ATA])],
      ['TransferChecked with three accounts', transferChecked([SOURCE, MINT, RECIPIENT_ATA])],
    ]
    for (const [what, ix] of unfunded) {
      const error = expectRejected(() => check({ instructions: [createAta(), ix] }), 403, 'FEE_PAYER_WRITABLE')
      expect(error.message, what).toBe(
        'a token account the relay funds must receive a transfer in the same transaction',
      )
    }
  })

  it('refuses funding token accounts where the site does not pay for them', () => {
    expectRejected(
      () => check({ instructions: [createAta(), tip()] }, ctx({}, { fundTokenAccounts: undefined })),
      403,
      'FEE_PAYER_AS_SOURCE',
      'the relay does not pay for token accounts on this site',
    )
  })

  it('refuses every malformed account creation', () => {
    const accounts = [feePayer.address, RECIPIENT_ATA, RECIPIENT, MINT, SYSTEM_PROGRAM, TOKEN_PROGRAM]
    const malformed: [string, Ix][] = [
      ['two data bytes', createAta([1, 0])],
      ['kind 2 (RecoverNested)', createAta([2])],
      ['no token program', createAta([1], accounts.slice(0, 5))],
      ['not the system program', createAta([1], replaced(accounts, 4, MEMO_PROGRAM))],
      ['another token program', createAta([1], replaced(accounts, 5, OTHER_TOKEN_PROGRAM))],
    ]
    for (const [what, ix] of malformed) {
      const error = expectRejected(() => check({ instructions: [ix, tip()] }), 403, 'FEE_PAYER_WRITABLE')
      expect(error.message, what).toBe('instruction 0 uses the fee payer in a way not allowed')
    }
  })

  it('refuses the fee payer in a second slot of the account creation', () => {
    const accounts = [feePayer.address, RECIPIENT_ATA, RECIPIENT, MINT, SYSTEM_PROGRAM, TOKEN_PROGRAM, feePayer.address]
    expectRejected(
      () => check({ instructions: [createAta([1], accounts), tip()] }),
      403,
      'FEE_PAYER_WRITABLE',
      'instruction 0 uses the fee payer as an account (it may only pay fees)',
    )
  })

  it('names a mint the site does not fund', () => {
    const funding = (mint: string) => ({ recipients: new Set([RECIPIENT]), minimumTransfer: new Map([[mint, 1n]]) })
    expectRejected(
      () => check({ instructions: [createAta(), tip()] }, ctx({}, { fundTokenAccounts: funding(address(60)) })),
      403,
      'TOKEN_ACCOUNT_MINT_NOT_LISTED',
      `the relay does not fund token accounts of mint ${MINT} on this site`,
    )
    expect(
      check({ instructions: [createAta(), tip()] }, ctx({}, { fundTokenAccounts: funding(MINT) })).tokenAccounts,
    ).toHaveLength(1)
  })

  it('names an owner the site does not list (a key the visitor holds could close the account to itself)', async () => {
    const other = address(62)
    const account = await ata(other)
    const accounts = [feePayer.address, account, other, MINT, SYSTEM_PROGRAM, TOKEN_PROGRAM]
    expectRejected(
      () =>
        check({ instructions: [createAta([1], accounts), transferChecked([SOURCE, MINT, account, wallet.address])] }),
      403,
      'TOKEN_ACCOUNT_OWNER_NOT_LISTED',
      `the relay creates token accounts only for this site's recipients; ${other} is not one`,
    )
  })

  it('wants at least the mint’s minimum transferred into the account, summed over its transfers', async () => {
    const amount = (n: bigint): Ix => ({
      program: TOKEN_PROGRAM,
      accounts: [SOURCE, MINT, RECIPIENT_ATA, wallet.address],
      data: [12, ...u64le(n), 6],
    })
    const plain = (n: bigint): Ix => ({
      program: TOKEN_PROGRAM,
      accounts: [SOURCE, RECIPIENT_ATA, wallet.address],
      data: [3, ...u64le(n)],
    })
    for (const [what, transfers, minimum] of [
      ['nothing (a 0 transfer)', [amount(0n)], 5n],
      ['one unit short', [amount(4n)], 5n],
      ['one short over two transfers', [amount(2n), plain(2n)], 5n],
      ['a huge minimum', [amount(2n ** 63n)], 2n ** 64n - 1n],
    ] as const) {
      const funding = { recipients: new Set([RECIPIENT]), minimumTransfer: new Map([[MINT, minimum]]) }
      const error = expectRejected(
        () => check({ instructions: [createAta(), ...transfers] }, ctx({}, { fundTokenAccounts: funding })),
        403,
        'TRANSFER_BELOW_MINIMUM',
      )
      const sent = transfers.reduce((sum, ix) => sum + Buffer.from(ix.data).readBigUInt64LE(1), 0n)
      expect(error.message, what).toBe(
        `a token account the relay funds must receive at least ${minimum} base units of its mint, not ${sent}`,
      )
    }
    expect(check({ instructions: [createAta(), amount(5n)] }).tokenAccounts).toHaveLength(1)
    expect(check({ instructions: [createAta(), amount(3n), plain(2n)] }).tokenAccounts).toHaveLength(1)
    // Tokens into another account do not count toward this one.
    const elsewhere: Ix = { ...amount(100n), accounts: [SOURCE, MINT, await ata(address(63)), wallet.address] }
    expectRejected(() => check({ instructions: [createAta(), amount(4n), elsewhere] }), 403, 'TRANSFER_BELOW_MINIMUM')
  })
  it('checks that a funded account is its owner’s associated token account', async () => {
    const checked = check({ instructions: [createAta(), tip()] })
    await expect(verifyTokenAccounts(checked.tokenAccounts)).resolves.toBeUndefined()
    const wrong = { ...checked.tokenAccounts[0], ata: address(61) } as (typeof checked.tokenAccounts)[0]
    const error = await verifyTokenAccounts([wrong]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SolanaRefusedError)
    expect((error as SolanaRefusedError).code).toBe('FEE_PAYER_WRITABLE')
    expect((error as SolanaRefusedError).message).toBe(
      `${address(61)} is not the associated token account of ${RECIPIENT}`,
    )
    expect(toRelayError(error).status).toBe(403)
  })
})

describe('checkSolanaTransaction: the fee payer in other instructions', () => {
  const fp = feePayer.address
  const cases: [string, Ix, 'FEE_PAYER_AS_SOURCE' | 'FEE_PAYER_WRITABLE'][] = [
    [
      'system transfer from it',
      { program: SYSTEM_PROGRAM, accounts: [fp, RECIPIENT], data: [2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0] },
      'FEE_PAYER_AS_SOURCE',
    ],
    [
      'system create account from it',
      { program: SYSTEM_PROGRAM, accounts: [fp, RECIPIENT], data: [0, 0, 0, 0] },
      'FEE_PAYER_AS_SOURCE',
    ],
    ['system assign of it', { program: SYSTEM_PROGRAM, accounts: [fp], data: [1, 0, 0, 0] }, 'FEE_PAYER_WRITABLE'],
    [
      'system transfer to it',
      { program: SYSTEM_PROGRAM, accounts: [SOURCE, fp], data: [2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0] },
      'FEE_PAYER_WRITABLE',
    ],
    [
      'a memo naming it first (transfer-like data)',
      { program: MEMO_PROGRAM, accounts: [fp], data: [2, 0, 0, 0] },
      'FEE_PAYER_WRITABLE',
    ],
    [
      'a memo naming it first (token-like data)',
      { program: MEMO_PROGRAM, accounts: [fp, SOURCE, MINT], data: [3] },
      'FEE_PAYER_WRITABLE',
    ],
    ['Transfer with it as authority', transfer([SOURCE, RECIPIENT, fp]), 'FEE_PAYER_AS_SOURCE'],
    ['Transfer with it as destination', transfer([SOURCE, fp, wallet.address]), 'FEE_PAYER_WRITABLE'],
    ['Transfer with it fourth', transfer([SOURCE, RECIPIENT, wallet.address, fp]), 'FEE_PAYER_WRITABLE'],
    ['TransferChecked with it as authority', transferChecked([SOURCE, MINT, RECIPIENT, fp]), 'FEE_PAYER_AS_SOURCE'],
    [
      'TransferChecked with it as destination',
      transferChecked([SOURCE, MINT, fp, wallet.address]),
      'FEE_PAYER_WRITABLE',
    ],
    ['TransferChecked with it as mint', transferChecked([SOURCE, fp, RECIPIENT, wallet.address]), 'FEE_PAYER_WRITABLE'],
    [
      'a token instruction with it first',
      { program: TOKEN_PROGRAM, accounts: [fp, MINT, wallet.address], data: [7] },
      'FEE_PAYER_AS_SOURCE',
    ],
  ]
  for (const [what, ix, code] of cases) {
    it(`${what}: ${code}`, () => {
      expectRejected(
        () => check({ instructions: [memo(), ix] }),
        403,
        code,
        code === 'FEE_PAYER_AS_SOURCE'
          ? 'instruction 1 spends from the fee payer'
          : 'instruction 1 uses the fee payer as an account (it may only pay fees)',
      )
    })
  }
})

describe('checkSolanaTransaction: only the instructions a tip is made of (issue 13)', () => {
  const w = wallet.address
  const refused: [string, Ix][] = [
    ['System CreateAccount', { program: SYSTEM_PROGRAM, accounts: [w, RECIPIENT], data: [0, 0, 0, 0, ...u64le(1n)] }],
    ['System Assign', { program: SYSTEM_PROGRAM, accounts: [w], data: [1, 0, 0, 0, ...new Array(32).fill(0)] }],
    ['System AdvanceNonceAccount', { program: SYSTEM_PROGRAM, accounts: [RECIPIENT, SOURCE, w], data: [4, 0, 0, 0] }],
    [
      'System WithdrawNonceAccount',
      { program: SYSTEM_PROGRAM, accounts: [RECIPIENT, w, SOURCE, MINT, w], data: [5, 0, 0, 0, ...u64le(1n)] },
    ],
    ['System Allocate', { program: SYSTEM_PROGRAM, accounts: [w], data: [8, 0, 0, 0, ...u64le(1n)] }],
    [
      'System TransferWithSeed',
      { program: SYSTEM_PROGRAM, accounts: [SOURCE, w, RECIPIENT], data: [11, 0, 0, 0, ...u64le(1n)] },
    ],
    ['System instruction 2', { program: SYSTEM_PROGRAM, accounts: [w, RECIPIENT], data: [2, 0, 0, 0, 1] }],
    ['Token CloseAccount', { program: TOKEN_PROGRAM, accounts: [SOURCE, w, w], data: [9] }],
    ['Token SetAuthority', { program: TOKEN_PROGRAM, accounts: [SOURCE, w], data: [6, 3, 1, ...keyBytes(w)] }],
    ['Token Approve', { program: TOKEN_PROGRAM, accounts: [SOURCE, RECIPIENT, w], data: [4, ...u64le(1n)] }],
    ['Token MintTo', { program: TOKEN_PROGRAM, accounts: [MINT, SOURCE, w], data: [7, ...u64le(1n)] }],
    ['Token Burn', { program: TOKEN_PROGRAM, accounts: [SOURCE, MINT, w], data: [8, ...u64le(1n)] }],
    ['Token SyncNative', { program: TOKEN_PROGRAM, accounts: [SOURCE], data: [17] }],
    ['Token instruction 3', { ...transfer([SOURCE, RECIPIENT, w]), data: [3, 1] }],
    ['Token instruction 12', { ...transferChecked([SOURCE, MINT, RECIPIENT, w]), data: [12, ...u64le(1n)] }],
    ['Token instruction without data', { program: TOKEN_PROGRAM, accounts: [SOURCE], data: [] }],
    [
      'Associated Token RecoverNested',
      { program: ASSOCIATED_TOKEN_PROGRAM, accounts: [SOURCE, MINT, RECIPIENT, w, MINT, w, TOKEN_PROGRAM], data: [2] },
    ],
    [
      'Associated Token instruction 1',
      { ...createAta([1, 0], [w, RECIPIENT_ATA, RECIPIENT, MINT, SYSTEM_PROGRAM, TOKEN_PROGRAM]) },
    ],
  ]
  for (const [what, ix] of refused) {
    it(`refuses ${what} even without the fee payer in it: INSTRUCTION_NOT_ALLOWED`, () => {
      expectRejected(
        () => check({ instructions: [memo(), ix] }),
        403,
        'INSTRUCTION_NOT_ALLOWED',
        `instruction 1 (${what}) is not sponsored: the relay pays only for transfers, token account creation, memos and compute budget`,
      )
    })
  }

  it('accepts the instructions a tip is made of, and any of a program the site adds', () => {
    const custom = address(64)
    const walletPaidAta = (data: number[]) =>
      createAta(data, [w, RECIPIENT_ATA, RECIPIENT, MINT, SYSTEM_PROGRAM, TOKEN_PROGRAM])
    const allowed: Ix[] = [
      { program: SYSTEM_PROGRAM, accounts: [w, RECIPIENT], data: [2, 0, 0, 0, ...u64le(1n)] },
      transfer([SOURCE, RECIPIENT, w]),
      transferChecked([SOURCE, MINT, RECIPIENT, w]),
      walletPaidAta([]),
      walletPaidAta([0]),
      walletPaidAta([1]),
      memo('thanks', [w]),
      { program: custom, accounts: [SOURCE, w], data: [9] },
    ]
    const programs = new Set([...policy().programs, custom])
    for (const ix of allowed) expect(check({ instructions: [ix] }, ctx({}, { programs })).wallet).toBe(w)
  })
})

describe('checkSolanaTransaction: signatures', () => {
  it('names a missing wallet signature unless the relay signs first (Solana Pay)', () => {
    expectRejected(
      () => check({ instructions: [memo()], unsigned: [1] }),
      400,
      'BAD_SIGNATURE',
      `signature 1 (${wallet.address}) is missing`,
    )
    const pending = check({ instructions: [memo()], unsigned: [1] }, ctx({}, {}, { walletSignaturesPending: true }))
    expect(pending.wallet).toBe(wallet.address)
  })

  it('refuses a signature that does not verify, even one starting with zeros', () => {
    const bytes = new Uint8Array(64)
    bytes[63] = 1
    for (const sig of [bytes, new Uint8Array(64).fill(5)]) {
      expectRejected(
        () =>
          check(
            { instructions: [memo()], badSignature: { index: 1, bytes: sig } },
            ctx({}, {}, { walletSignaturesPending: true }),
          ),
        400,
        'BAD_SIGNATURE',
        `signature 1 does not verify for ${wallet.address}`,
      )
    }
  })
})

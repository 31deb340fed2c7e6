// Token-2022 tips through the relay (issue 15): the same instruction shapes as SPL Token through the
// Token-2022 program, associated token accounts derived with it (and their larger rent when the relay
// funds one), and a refusal (MINT_EXTENSION_NOT_ALLOWED) for mints whose extensions could take part
// of a transfer, run another program, or take the tokens back. Real Token-2022 program in LiteSVM.
import {
  type Address,
  appendTransactionMessageInstructions,
  type Blockhash,
  createNoopSigner,
  createTransactionMessage,
  generateKeyPairSigner,
  getAddressEncoder,
  getBase64EncodedWireTransaction,
  type Instruction,
  type KeyPairSigner,
  partiallySignTransactionMessageWithSigners,
  pipe,
  setTransactionMessageComputeUnitLimit,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from '@solana/kit'
import {
  getCloseAccountInstruction,
  getCreateAssociatedTokenIdempotentInstruction,
  getTransferCheckedInstruction,
  getTransferInstruction,
} from '@solana-program/token'
import {
  createToken2022Mint,
  findToken2022Ata,
  getToken2022Balance,
  metadataPointerExtension,
  type SolanaDevLedger,
  type SolanaRpcInstance,
  seedSolanaDevLedger,
  setToken2022Balance,
  startSolanaRpc,
  TOKEN_2022_PROGRAM_ADDRESS,
  type Token2022Extension,
  transferFeeConfigExtension,
  transferHookExtension,
} from '@tokentags/testkit/solana'
import { solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningRelay, startRelay } from '../src/index.js'
import { postSolanaTransaction, waitForFinal } from './support/solanaApi.js'

const ORIGIN = 'http://shop.test'
const FEE = 10_000n
const T22 = { programAddress: TOKEN_2022_PROGRAM_ADDRESS }
const MEMO = 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr' as Address

interface Answer {
  id: string
  status: string
  error: { code: string; message: string }
}

let node: SolanaRpcInstance
let ledger: SolanaDevLedger
let relay: RunningRelay
let visitor: KeyPairSigner
/** A listed recipient with no Token-2022 account yet: the relay funds its account. */
let funded: Address
const mints = {} as Record<'plain' | 'withMetadata' | 'fee' | 'hook' | 'delegate', Address>

async function newMint(extensions: Token2022Extension[]): Promise<Address> {
  const mint = (await generateKeyPairSigner()).address
  createToken2022Mint(node.svm, { mint, mintAuthority: ledger.mintAuthority, decimals: 6, extensions })
  const types = extensions.map((e) => e.type)
  await setToken2022Balance(node.svm, { mint, owner: visitor.address, amount: 1_000_000_000n, mintExtensions: types })
  await setToken2022Balance(node.svm, { mint, owner: ledger.visitor2, amount: 0n, mintExtensions: types })
  return mint
}

beforeAll(async () => {
  node = await startSolanaRpc()
  ledger = await seedSolanaDevLedger(node.svm)
  const feePayer = await solanaDevKeyPair('feePayer')
  visitor = (await solanaDevKeyPair('visitor')).signer
  funded = (await generateKeyPairSigner()).address
  const authority = ledger.mintAuthority
  mints.plain = await newMint([])
  mints.withMetadata = await newMint([metadataPointerExtension({ authority, metadata: authority })])
  mints.fee = await newMint([transferFeeConfigExtension({ bps: 100, maxFee: 10n ** 12n, authority })])
  mints.hook = await newMint([transferHookExtension({ authority, programId: MEMO })])
  // PermanentDelegate (type 12): its delegate may move anyone's tokens of this mint, the tip's too.
  mints.delegate = await newMint([{ type: 12, data: new Uint8Array(getAddressEncoder().encode(authority)) }])
  relay = await startRelay({
    chains: [],
    sites: {
      pk_t22: {
        origins: [ORIGIN],
        targets: [],
        solana: {
          fundTokenAccounts: {
            recipients: [funded],
            mints: Object.fromEntries(Object.values(mints).map((mint) => [mint, { minimumTransfer: '1' }])),
          },
        },
      },
    },
    solana: {
      rpcUrl: node.rpcUrl,
      feePayerSecretKey: Array.from(feePayer.secretKey),
      chain: 'solana:localnet',
      confirm: { pollIntervalMs: 40, resendIntervalMs: 150 },
    },
    logger: pino({ level: process.env.RELAY_TEST_LOG ?? 'silent' }),
    port: 0,
  })
}, 60_000)

afterAll(async () => {
  await relay?.close()
  await node?.stop()
})

const balance = (address: Address) => node.svm.getBalance(address) ?? 0n

let memos = 0
async function buildTx(instructions: Instruction[]): Promise<string> {
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(ledger.feePayer, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        { blockhash: node.svm.latestBlockhash() as Blockhash, lastValidBlockHeight: 0n },
        m,
      ),
    (m) => setTransactionMessageComputeUnitLimit(100_000, m),
    (m) =>
      appendTransactionMessageInstructions(
        [...instructions, { programAddress: MEMO, data: new TextEncoder().encode(`t22 ${++memos}`) }],
        m,
      ),
  )
  return getBase64EncodedWireTransaction(await partiallySignTransactionMessageWithSigners(message))
}

const post = (transaction: string) => postSolanaTransaction<Answer>(relay.url, transaction, 'pk_t22', ORIGIN)

const waitFinal = (id: string) => waitForFinal<Answer>(relay.url, id)

/** The visitor's `transferChecked` of `amount` into `owner`'s Token-2022 account of `mint`. */
const send = async (mint: Address, owner: Address, amount: bigint) =>
  getTransferCheckedInstruction(
    {
      source: await findToken2022Ata(visitor.address, mint),
      mint,
      destination: await findToken2022Ata(owner, mint),
      authority: visitor,
      amount,
      decimals: 6,
    },
    T22,
  )
/** `owner`'s Token-2022 account of `mint`, created with `payer` paying the rent. */
const create = async (mint: Address, owner: Address, payer: Address) =>
  getCreateAssociatedTokenIdempotentInstruction({
    payer: payer === visitor.address ? visitor : createNoopSigner(payer),
    ata: await findToken2022Ata(owner, mint),
    owner,
    mint,
    tokenProgram: TOKEN_2022_PROGRAM_ADDRESS,
  })

async function refused(transaction: string, code: string, message: RegExp) {
  const [before, sent] = [balance(ledger.feePayer), node.sendCount]
  const answer = await post(transaction)
  expect({ status: answer.status, code: answer.body.error?.code }, JSON.stringify(answer.body)).toEqual({
    status: 403,
    code,
  })
  expect(answer.body.error.message).toMatch(message)
  expect(node.sendCount).toBe(sent)
  expect(balance(ledger.feePayer)).toBe(before)
}

describe('Token-2022 tips', () => {
  it('sponsors a transferChecked through Token-2022 into an existing account; the fee payer pays only the fee', async () => {
    for (const mint of [mints.plain, mints.withMetadata]) {
      const feePayerBefore = balance(ledger.feePayer)
      const answer = await post(await buildTx([await send(mint, ledger.visitor2, 1_250_000n)]))
      expect(answer.status, JSON.stringify(answer.body)).toBe(202)
      expect(await waitFinal(answer.body.id)).toMatchObject({ status: 'confirmed' })
      expect(await getToken2022Balance(node.svm, { mint, owner: ledger.visitor2 })).toBe(1_250_000n)
      expect(await getToken2022Balance(node.svm, { mint, owner: visitor.address })).toBe(1_000_000_000n - 1_250_000n)
      expect(feePayerBefore - balance(ledger.feePayer)).toBe(FEE)
    }
  })

  it("funds a listed recipient's Token-2022 account at its real rent (170 bytes, not 165)", async () => {
    const rent170 = node.svm.minimumBalanceForRentExemption(170n)
    expect(rent170).toBeGreaterThan(node.svm.minimumBalanceForRentExemption(165n))
    const feePayerBefore = balance(ledger.feePayer)
    const answer = await post(
      await buildTx([
        await create(mints.withMetadata, funded, ledger.feePayer),
        await send(mints.withMetadata, funded, 3n),
      ]),
    )
    expect(answer.status, JSON.stringify(answer.body)).toBe(202)
    expect(await waitFinal(answer.body.id)).toMatchObject({ status: 'confirmed' })
    expect(await getToken2022Balance(node.svm, { mint: mints.withMetadata, owner: funded })).toBe(3n)
    const account = node.svm.getAccount(await findToken2022Ata(funded, mints.withMetadata))
    expect(account.exists && account.data.length).toBe(170)
    expect(feePayerBefore - balance(ledger.feePayer)).toBe(FEE + rent170)
  })

  it('refuses a mint with a transfer fee, a transfer hook or a permanent delegate, naming it; nothing is sent', async () => {
    await refused(
      await buildTx([await send(mints.fee, ledger.visitor2, 1_000_000n)]),
      'MINT_EXTENSION_NOT_ALLOWED',
      /TransferFeeConfig/,
    )
    await refused(
      await buildTx([await send(mints.hook, ledger.visitor2, 1_000_000n)]),
      'MINT_EXTENSION_NOT_ALLOWED',
      /TransferHook/,
    )
    await refused(
      await buildTx([await send(mints.delegate, ledger.visitor2, 1_000_000n)]),
      'MINT_EXTENSION_NOT_ALLOWED',
      /PermanentDelegate/,
    )
    // Nor does the relay fund an account of such a mint, even for a listed recipient and mint.
    await refused(
      await buildTx([await create(mints.fee, funded, ledger.feePayer), await send(mints.fee, funded, 1_000_000n)]),
      'MINT_EXTENSION_NOT_ALLOWED',
      /TransferFeeConfig/,
    )
    expect(await getToken2022Balance(node.svm, { mint: mints.fee, owner: ledger.visitor2 })).toBe(0n)
  })

  it('refuses Token-2022 instructions a tip is not made of: a plain Transfer (no mint to check), CloseAccount', async () => {
    const source = await findToken2022Ata(visitor.address, mints.plain)
    const destination = await findToken2022Ata(ledger.visitor2, mints.plain)
    await refused(
      await buildTx([getTransferInstruction({ source, destination, authority: visitor, amount: 1n }, T22)]),
      'INSTRUCTION_NOT_ALLOWED',
      /Token-2022 Transfer/,
    )
    await refused(
      await buildTx([
        getCloseAccountInstruction({ account: source, destination: visitor.address, owner: visitor }, T22),
      ]),
      'INSTRUCTION_NOT_ALLOWED',
      /Token-2022 CloseAccount/,
    )
  })
})

// The sponsorship webhook on Solana (issue 13): the relay POSTs the decoded transaction to the site
// owner's endpoint, HMAC-signed as on EVM, after its own checks and the simulation and before
// admission; only `200 {"sponsor": true}` sponsors. Real ledger (LiteSVM behind JSON-RPC) and a
// local receiver that checks the signature as a site owner would.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  type Address,
  appendTransactionMessageInstructions,
  type Blockhash,
  createNoopSigner,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  type Instruction,
  type KeyPairSigner,
  partiallySignTransactionMessageWithSigners,
  pipe,
  setTransactionMessageComputeUnitLimit,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from '@solana/kit'
import { getTransferSolInstruction } from '@solana-program/system'
import {
  findAssociatedTokenPda,
  getCreateAssociatedTokenIdempotentInstruction,
  getTransferCheckedInstruction,
  getTransferInstruction,
  TOKEN_PROGRAM_ADDRESS,
} from '@solana-program/token'
import {
  createToken2022Mint,
  findToken2022Ata,
  getSplBalance,
  getToken2022Balance,
  type SolanaDevLedger,
  type SolanaRpcInstance,
  seedSolanaDevLedger,
  setToken2022Balance,
  startSolanaRpc,
  TOKEN_2022_PROGRAM_ADDRESS,
} from '@tokentags/testkit/solana'
import { solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { pino } from 'pino'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type RunningRelay, startRelay } from '../src/index.js'
import { postSolanaTransaction, waitForFinal } from './support/solanaApi.js'

const ORIGIN = 'http://shop.test'
const SECRET = 'test-solana-webhook-secret'
process.env.TT_TEST_SOLANA_WEBHOOK_SECRET = SECRET
process.env.TT_TEST_SOLANA_WEBHOOK_OTHER = 'another-key-the-receiver-does-not-know'
/** Two signatures, no priority fee: what one sponsored transaction costs the relay. */
const FEE = 10_000n
const MEMO = 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr' as Address

type Mode = 'yes' | 'no' | 'slow' | 'text' | 'error' | 'truthy'
interface Call {
  signatureOk: boolean
  payload: Record<string, unknown>
}
interface Answer {
  id: string
  status: string
  signature: string
  error: { code: string; message: string }
}

let node: SolanaRpcInstance
let ledger: SolanaDevLedger
let relay: RunningRelay
let receiver: Server
let visitor: KeyPairSigner
/** A creator the site lists for funded token accounts, with none yet. */
let funded: Address
let mode: Mode = 'yes'
let calls: Call[] = []

/** What a site owner runs: checks `x-tokentags-signature` with the shared key before believing the body. */
function startReceiver(): Server {
  return createServer(async (req, res) => {
    let body = ''
    for await (const chunk of req) body += chunk
    const match = /^t=([0-9]+),v1=([0-9a-f]{64})$/.exec(String(req.headers['x-tokentags-signature'] ?? ''))
    let signatureOk = false
    if (match) {
      const expected = createHmac('sha256', SECRET).update(`${match[1]}.${body}`).digest()
      signatureOk =
        Math.abs(Date.now() / 1000 - Number(match[1])) < 300 &&
        timingSafeEqual(expected, Buffer.from(match[2] as string, 'hex'))
    }
    calls.push({ signatureOk, payload: JSON.parse(body) })
    if (!signatureOk) return void res.writeHead(401).end()
    if (mode === 'slow') await new Promise((r) => setTimeout(r, 2_000))
    if (mode === 'error') return void res.writeHead(500, { 'content-type': 'application/json' }).end('{"sponsor":true}')
    res.writeHead(200, { 'content-type': 'application/json' })
    const answers: Record<Mode, string> = {
      yes: '{"sponsor":true}',
      no: '{"sponsor":false}',
      slow: '{"sponsor":true}',
      text: 'sure',
      error: '',
      truthy: '{"sponsor":"yes"}',
    }
    res.end(answers[mode])
  })
}

beforeAll(async () => {
  node = await startSolanaRpc()
  ledger = await seedSolanaDevLedger(node.svm)
  const feePayer = await solanaDevKeyPair('feePayer')
  visitor = (await solanaDevKeyPair('visitor')).signer
  funded = (await generateKeyPairSigner()).address
  receiver = startReceiver()
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sponsor`
  const webhook = (secretEnv: string) => ({
    origins: [ORIGIN],
    targets: [],
    attestation: { sponsorWebhook: { url, secretEnv, timeoutMs: 500 } },
  })
  relay = await startRelay({
    chains: [],
    sites: {
      pk_hook: {
        ...webhook('TT_TEST_SOLANA_WEBHOOK_SECRET'),
        solana: {
          fundTokenAccounts: { recipients: [funded], mints: { [ledger.mint]: { minimumTransfer: '1' } } },
        },
      },
      // A budget of exactly one transaction: a refusal that held a reservation would lock it.
      pk_one: { ...webhook('TT_TEST_SOLANA_WEBHOOK_SECRET'), solana: { lamportsPerDay: FEE } },
      pk_wrong_key: webhook('TT_TEST_SOLANA_WEBHOOK_OTHER'),
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
  await new Promise((r) => receiver?.close(r))
  await node?.stop()
})

beforeEach(() => {
  mode = 'yes'
  calls = []
})

const ata = async (owner: Address) =>
  (await findAssociatedTokenPda({ mint: ledger.mint, owner, tokenProgram: TOKEN_PROGRAM_ADDRESS }))[0]
const balance = (address: Address) => node.svm.getBalance(address) ?? 0n

async function buildTx(instructions: Instruction[]): Promise<string> {
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(ledger.feePayer, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        { blockhash: node.svm.latestBlockhash() as Blockhash, lastValidBlockHeight: 0n },
        m,
      ),
    (m) => setTransactionMessageComputeUnitLimit(120_000, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  )
  return getBase64EncodedWireTransaction(await partiallySignTransactionMessageWithSigners(message))
}

let memos = 0
/** A SOL tip to the creator with a memo that makes every transaction's bytes unique. */
async function solTip(lamports = 1_000n): Promise<string> {
  return buildTx([
    getTransferSolInstruction({ source: visitor, destination: ledger.creator, amount: lamports }),
    { programAddress: MEMO, accounts: [], data: new TextEncoder().encode(`webhook test ${++memos}`) },
  ])
}

const post = (transaction: string, site: string) => postSolanaTransaction<Answer>(relay.url, transaction, site, ORIGIN)

const waitFinal = (id: string) => waitForFinal<Answer>(relay.url, id)

/** Posts and expects the refusal, with nothing sent and nothing taken from the fee payer. */
async function refused(transaction: string, site: string, status: number, code: string) {
  const [before, sent] = [balance(ledger.feePayer), node.sendCount]
  const answer = await post(transaction, site)
  expect({ status: answer.status, code: answer.body.error?.code }, JSON.stringify(answer.body)).toEqual({
    status,
    code,
  })
  expect(node.sendCount).toBe(sent)
  expect(balance(ledger.feePayer)).toBe(before)
  return answer.body.error
}

describe('sponsorship webhook on Solana', () => {
  it('a yes sponsors: the receiver checks the HMAC and reads every instruction as the policy decodes it', async () => {
    const stranger = (await generateKeyPairSigner()).address
    const [strangerAta, otherAta, visitorAta] = await Promise.all([
      ata(stranger),
      ata(ledger.visitor2),
      ata(visitor.address),
    ])
    const transaction = await buildTx([
      getTransferSolInstruction({ source: visitor, destination: ledger.creator, amount: 12_345n }),
      // The visitor pays this account's rent (the site funds only its creator's).
      getCreateAssociatedTokenIdempotentInstruction({
        payer: visitor,
        ata: strangerAta,
        owner: stranger,
        mint: ledger.mint,
      }),
      getTransferCheckedInstruction({
        source: visitorAta,
        mint: ledger.mint,
        destination: strangerAta,
        authority: visitor,
        amount: 2_500_000n,
        decimals: 6,
      }),
      // Into an account that exists already: its owner comes from the ledger.
      getTransferCheckedInstruction({
        source: visitorAta,
        mint: ledger.mint,
        destination: otherAta,
        authority: visitor,
        amount: 7n,
        decimals: 6,
      }),
      // A plain Transfer names no mint: the owner learns it from the source account.
      getTransferInstruction({ source: visitorAta, destination: otherAta, authority: visitor, amount: 3n }),
      { programAddress: MEMO, accounts: [], data: new TextEncoder().encode('thanks for the post ✓') },
    ])
    const answer = await post(transaction, 'pk_hook')
    expect(answer.status, JSON.stringify(answer.body)).toBe(202)
    expect(calls).toHaveLength(1)
    const [call] = calls
    expect(call?.signatureOk).toBe(true)
    expect(call?.payload).toEqual({
      network: 'solana',
      site: 'pk_hook',
      chain: 'solana:localnet',
      cluster: 'localnet',
      feePayer: ledger.feePayer,
      signer: visitor.address,
      signature: answer.body.signature,
      fee: String(FEE),
      rent: '0',
      computeUnitLimit: 120_000,
      computeUnitPrice: '0',
      instructions: [
        {
          type: 'systemTransfer',
          program: '11111111111111111111111111111111',
          from: visitor.address,
          to: ledger.creator,
          lamports: '12345',
        },
        {
          type: 'createTokenAccount',
          program: 'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL',
          payer: visitor.address,
          account: strangerAta,
          owner: stranger,
          mint: ledger.mint,
          tokenProgram: TOKEN_PROGRAM_ADDRESS,
          idempotent: true,
        },
        {
          type: 'tokenTransfer',
          program: TOKEN_PROGRAM_ADDRESS,
          mint: ledger.mint,
          amount: '2500000',
          decimals: 6,
          source: visitorAta,
          destination: strangerAta,
          destinationOwner: stranger,
          authority: visitor.address,
        },
        {
          type: 'tokenTransfer',
          program: TOKEN_PROGRAM_ADDRESS,
          mint: ledger.mint,
          amount: '7',
          decimals: 6,
          source: visitorAta,
          destination: otherAta,
          destinationOwner: ledger.visitor2,
          authority: visitor.address,
        },
        {
          type: 'tokenTransfer',
          program: TOKEN_PROGRAM_ADDRESS,
          mint: ledger.mint,
          amount: '3',
          decimals: null,
          source: visitorAta,
          destination: otherAta,
          destinationOwner: ledger.visitor2,
          authority: visitor.address,
        },
        { type: 'memo', program: MEMO, text: 'thanks for the post ✓' },
      ],
      origin: ORIGIN,
      ip: expect.stringMatching(/127\.0\.0\.1$/),
    })
    expect(await waitFinal(answer.body.id)).toMatchObject({ status: 'confirmed' })
    expect(await getSplBalance(node.svm, { mint: ledger.mint, owner: stranger })).toBe(2_500_000n)
  })

  it('tells the owner the rent the relay would put into a token account it funds', async () => {
    const owner = funded
    const fundedAta = await ata(owner)
    const transaction = await buildTx([
      getCreateAssociatedTokenIdempotentInstruction({
        payer: createNoopSigner(ledger.feePayer),
        ata: fundedAta,
        owner,
        mint: ledger.mint,
      }),
      getTransferCheckedInstruction({
        source: await ata(visitor.address),
        mint: ledger.mint,
        destination: fundedAta,
        authority: visitor,
        amount: 1_000_000n,
        decimals: 6,
      }),
    ])
    mode = 'no'
    await refused(transaction, 'pk_hook', 403, 'SPONSOR_DECLINED')
    expect(calls[0]?.payload).toMatchObject({
      rent: String(node.svm.minimumBalanceForRentExemption(165n)),
      instructions: [
        { type: 'createTokenAccount', payer: ledger.feePayer, owner, account: fundedAta },
        { type: 'tokenTransfer', destination: fundedAta, destinationOwner: owner, amount: '1000000' },
      ],
    })
  })

  it('a no, a timeout, a non-JSON, a non-200 or a truthy non-true answer refuses with nothing sent, spent or reserved', async () => {
    const cases: [Mode, number, string][] = [
      ['no', 403, 'SPONSOR_DECLINED'],
      ['slow', 503, 'SPONSOR_UNAVAILABLE'],
      ['text', 403, 'SPONSOR_DECLINED'],
      ['error', 403, 'SPONSOR_DECLINED'],
      ['truthy', 403, 'SPONSOR_DECLINED'],
    ]
    for (const [answer, status, code] of cases) {
      mode = answer
      await refused(await solTip(), 'pk_one', status, code)
    }
    expect(calls.map((c) => c.signatureOk)).toEqual([true, true, true, true, true])
    // pk_one's budget is one transaction's fee: none of the five refusals held any of it.
    mode = 'yes'
    const creatorBefore = balance(ledger.creator)
    const accepted = await post(await solTip(777n), 'pk_one')
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202)
    expect(await waitFinal(accepted.body.id)).toMatchObject({ status: 'confirmed' })
    expect(balance(ledger.creator) - creatorBefore).toBe(777n)
    // And that one did spend it.
    await refused(await solTip(), 'pk_one', 429, 'BUDGET_EXCEEDED')
  })

  it('reports a Token-2022 transfer with its program, mint and destination owner (read from the 170-byte account)', async () => {
    const mint = (await generateKeyPairSigner()).address
    createToken2022Mint(node.svm, { mint, mintAuthority: ledger.mintAuthority, decimals: 2 })
    await setToken2022Balance(node.svm, { mint, owner: visitor.address, amount: 10_000n })
    const destination = await setToken2022Balance(node.svm, { mint, owner: ledger.visitor2, amount: 0n })
    const source = await findToken2022Ata(visitor.address, mint)
    const answer = await post(
      await buildTx([
        getTransferCheckedInstruction(
          { source, mint, destination, authority: visitor, amount: 250n, decimals: 2 },
          { programAddress: TOKEN_2022_PROGRAM_ADDRESS },
        ),
      ]),
      'pk_hook',
    )
    expect(answer.status, JSON.stringify(answer.body)).toBe(202)
    expect(calls[0]?.payload.instructions).toEqual([
      {
        type: 'tokenTransfer',
        program: TOKEN_2022_PROGRAM_ADDRESS,
        mint,
        amount: '250',
        decimals: 2,
        source,
        destination,
        destinationOwner: ledger.visitor2,
        authority: visitor.address,
      },
    ])
    expect(await waitFinal(answer.body.id)).toMatchObject({ status: 'confirmed' })
    expect(await getToken2022Balance(node.svm, { mint, owner: ledger.visitor2 })).toBe(250n)
  })

  it('a transaction the policy refuses never reaches the owner', async () => {
    const transaction = await buildTx([
      getTransferSolInstruction({
        source: createNoopSigner(ledger.feePayer),
        destination: visitor.address,
        amount: 1n,
      }),
      getTransferSolInstruction({ source: visitor, destination: ledger.creator, amount: 1n }),
    ])
    await refused(transaction, 'pk_hook', 403, 'FEE_PAYER_AS_SOURCE')
    expect(calls).toEqual([])
  })

  it("a body signed with another key fails the receiver's check, and its refusal is a decline", async () => {
    const error = await refused(await solTip(), 'pk_wrong_key', 403, 'SPONSOR_DECLINED')
    expect(calls.map((c) => c.signatureOk)).toEqual([false])
    expect(error.message).toContain('status 401')
  })
})

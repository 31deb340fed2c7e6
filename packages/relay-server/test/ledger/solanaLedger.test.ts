// The dev stack's arrangement: memory store, PGlite ledger, memory outbox; Solana tips through the relay
// appear in the ledger beside EVM, with lamports, fee and signature, and a refused call with its code.
import {
  type Address,
  appendTransactionMessageInstructions,
  type Blockhash,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  partiallySignTransactionMessageWithSigners,
  pipe,
  setTransactionMessageComputeUnitLimit,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from '@solana/kit'
import { getTransferSolInstruction } from '@solana-program/system'
import { findAssociatedTokenPda, getTransferCheckedInstruction, TOKEN_PROGRAM_ADDRESS } from '@solana-program/token'
import { createPgliteLedger, type Ledger, requestsCsv } from '@tokentags/ledger'
import {
  type SolanaDevLedger,
  type SolanaRpcInstance,
  seedSolanaDevLedger,
  startSolanaRpc,
} from '@tokentags/testkit/solana'
import { solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningRelay, startRelay } from '../../src/relay.js'
import { eventually } from '../helpers.js'

const SITE = 'pk_sol'
const ORIGIN = 'http://shop.test'

let node: SolanaRpcInstance
let dev: SolanaDevLedger
let relay: RunningRelay
let ledger: Ledger

beforeAll(async () => {
  node = await startSolanaRpc()
  dev = await seedSolanaDevLedger(node.svm)
  const feePayer = await solanaDevKeyPair('feePayer')
  ledger = await createPgliteLedger()
  relay = await startRelay({
    chains: [],
    sites: { [SITE]: { origins: [ORIGIN], targets: [] } },
    solana: {
      rpcUrl: node.rpcUrl,
      feePayerSecretKey: Array.from(feePayer.secretKey),
      chain: 'solana:localnet',
      confirm: { pollIntervalMs: 40, resendIntervalMs: 150 },
    },
    ledger: { ledger, drain: { idleMs: 50 } },
    logger: pino({ level: process.env.RELAY_TEST_LOG ?? 'silent' }),
    port: 0,
  })
}, 120_000)

afterAll(async () => {
  await relay?.close()
  await node?.stop()
})

async function post(transaction: string) {
  const response = await fetch(`${relay.url}/v1/solana/transactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tokentags-site': SITE, origin: ORIGIN },
    body: JSON.stringify({ transaction }),
  })
  return { status: response.status, body: (await response.json()) as Record<string, never> }
}

describe('ledger of Solana requests (memory store, PGlite)', () => {
  it('records a sponsored SOL tip with its stages, lamports, fee and signature, and a refused call', async () => {
    const visitor = (await solanaDevKeyPair('visitor')).signer
    const message = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayer(dev.feePayer, m),
      (m) =>
        setTransactionMessageLifetimeUsingBlockhash(
          { blockhash: node.svm.latestBlockhash() as Blockhash, lastValidBlockHeight: 0n },
          m,
        ),
      (m) =>
        appendTransactionMessageInstructions(
          [getTransferSolInstruction({ source: visitor, destination: dev.creator, amount: 12_345_678n })],
          m,
        ),
    )
    const tx = getBase64EncodedWireTransaction(await partiallySignTransactionMessageWithSigners(message))
    const accepted = await post(tx)
    expect(accepted.status).toBe(202)
    const id = String(accepted.body.id)
    const refused = await post('bm90IGEgdHJhbnNhY3Rpb24=')
    expect(refused.status).toBe(400)
    const code = String((refused.body.error as unknown as { code: string }).code)

    const timeline = await eventually(
      async () => {
        const t = await ledger.timeline(id)
        return t?.stages.some((s) => s.stage === 'settled') ? t : undefined
      },
      20_000,
      'the tip settled in the ledger',
    )
    expect(timeline.stages.map((s) => s.stage)).toEqual([
      'received',
      'simulated',
      'admitted',
      'submitted',
      'confirmed',
      'settled',
    ])
    const status = (await (await fetch(`${relay.url}/v1/requests/${id}`)).json()) as { signature: string }
    expect(timeline.request).toMatchObject({
      kind: 'solana',
      site: SITE,
      chain: 'solana:localnet',
      sender: visitor.address,
      target: '11111111111111111111111111111111',
      functionName: 'system.transfer',
      status: 'confirmed',
      txHash: status.signature,
    })
    expect(BigInt(timeline.request.lamports ?? '0')).toBeGreaterThan(0n)
    expect(timeline.request.fee).toBe(timeline.request.lamports)
    const [day] = await ledger.history({ chain: 'solana:localnet' })
    expect(day).toMatchObject({ kind: 'solana', requests: 2, confirmed: 1, refused: 1, gas: '0' })
    expect(await ledger.refusals()).toEqual([{ code, count: 1 }])
  })

  it('names the token program of an SPL tip and its instructions (compute budget left out) in the row and the CSV', async () => {
    const visitor = (await solanaDevKeyPair('visitor')).signer
    const [source] = await findAssociatedTokenPda({
      mint: dev.mint,
      owner: visitor.address,
      tokenProgram: TOKEN_PROGRAM_ADDRESS,
    })
    const [destination] = await findAssociatedTokenPda({
      mint: dev.mint,
      owner: dev.visitor2,
      tokenProgram: TOKEN_PROGRAM_ADDRESS,
    })
    const memo = {
      programAddress: 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr' as Address,
      accounts: [],
      data: new TextEncoder().encode('thanks'),
    }
    const message = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayer(dev.feePayer, m),
      (m) => setTransactionMessageComputeUnitLimit(80_000, m),
      (m) =>
        setTransactionMessageLifetimeUsingBlockhash(
          { blockhash: node.svm.latestBlockhash() as Blockhash, lastValidBlockHeight: 0n },
          m,
        ),
      (m) =>
        appendTransactionMessageInstructions(
          [
            getTransferCheckedInstruction({
              source,
              mint: dev.mint,
              destination,
              authority: visitor,
              amount: 1_234_567n,
              decimals: 6,
            }),
            memo,
          ],
          m,
        ),
    )
    const accepted = await post(
      getBase64EncodedWireTransaction(await partiallySignTransactionMessageWithSigners(message)),
    )
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202)
    const id = String(accepted.body.id)
    const row = await eventually(
      async () => {
        const t = await ledger.timeline(id)
        return t?.request.status === 'confirmed' ? t.request : undefined
      },
      20_000,
      'the SPL tip confirmed in the ledger',
    )
    expect(row).toMatchObject({ target: TOKEN_PROGRAM_ADDRESS, functionName: 'spl.transferChecked+memo' })
    let csv = ''
    for await (const line of requestsCsv(ledger, { chain: 'solana:localnet', status: 'confirmed' })) csv += line
    const line = csv.split('\r\n').find((l) => l.startsWith(`${id},`))
    expect(line?.split(',').slice(4, 7)).toEqual([visitor.address, TOKEN_PROGRAM_ADDRESS, 'spl.transferChecked+memo'])
  })
})

// Operator alerts for the Solana fee payer (LiteSVM RPC, memory store, in process): with the periodic
// check an hour away, the sponsored tip whose fee takes the fee payer below its threshold is what
// triggers the check that alerts.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  type Address,
  appendTransactionMessageInstructions,
  type Blockhash,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  lamports,
  partiallySignTransactionMessageWithSigners,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from '@solana/kit'
import { getTransferSolInstruction } from '@solana-program/system'
import {
  type SolanaDevLedger,
  type SolanaRpcInstance,
  seedSolanaDevLedger,
  startSolanaRpc,
} from '@tokentags/testkit/solana'
import { solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperatorAlertPayload } from '../../src/alerts/balances.js'
import { type RunningRelay, startRelay } from '../../src/relay.js'
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from '../../src/webhooks/signature.js'
import { eventually } from '../helpers.js'

const SITE = 'pk_sol_alerts'
const ORIGIN = 'http://shop.test'
const SECRET = 'solana_alerts_after_settlement'
const THRESHOLD_LAMPORTS = 1_000_000_000n

let node: SolanaRpcInstance
let dev: SolanaDevLedger
let relay: RunningRelay
let receiver: Server
const received: { payload: OperatorAlertPayload; signed: boolean }[] = []

const balanceOf = (address: Address) => node.svm.getBalance(address) ?? 0n

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => {
      body += c
    })
    req.on('end', () => {
      const header = req.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined
      received.push({
        payload: JSON.parse(body) as OperatorAlertPayload,
        signed: verifyWebhookSignature({ header, body, secret: SECRET }).ok,
      })
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  node = await startSolanaRpc()
  dev = await seedSolanaDevLedger(node.svm)
  // 1 lamport above the threshold: the fee of one sponsored transaction takes the fee payer below it.
  const account = node.svm.getAccount(dev.feePayer)
  if (!account.exists) throw new TypeError('the fee payer has no account')
  node.svm.setAccount({ ...account, lamports: lamports(THRESHOLD_LAMPORTS + 1n) })
  relay = await startRelay({
    chains: [],
    sites: { [SITE]: { origins: [ORIGIN], targets: [] } },
    solana: {
      rpcUrl: node.rpcUrl,
      feePayerSecretKey: Array.from((await solanaDevKeyPair('feePayer')).secretKey),
      chain: 'solana:localnet',
      confirm: { pollIntervalMs: 40, resendIntervalMs: 150 },
    },
    alerts: {
      operator: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`, secret: SECRET },
      lowBalanceLamports: THRESHOLD_LAMPORTS,
      // Only the first check and the settlements' checks happen during this test.
      checkIntervalMs: 3_600_000,
    },
    logger: pino({ level: process.env.RELAY_TEST_LOG ?? 'silent' }),
    port: 0,
  })
}, 120_000)

afterAll(async () => {
  await relay?.close()
  await new Promise((r) => receiver?.close(r))
  await node?.stop()
})

describe('operator alerts after a Solana settlement', () => {
  it('checks the fee payer after the sponsored tip that took it below its threshold', async () => {
    // A balance read above the threshold before the tip: nothing to send.
    expect(await relay.alerts?.monitor.checkOnce()).toBe(0)
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
          [getTransferSolInstruction({ source: visitor, destination: dev.creator, amount: 1_000_000n })],
          m,
        ),
    )
    const transaction = getBase64EncodedWireTransaction(await partiallySignTransactionMessageWithSigners(message))
    const response = await fetch(`${relay.url}/v1/solana/transactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tokentags-site': SITE, origin: ORIGIN },
      body: JSON.stringify({ transaction }),
    })
    expect(response.status).toBe(202)
    const { id } = (await response.json()) as { id: string }
    await eventually(
      async () =>
        ((await (await fetch(`${relay.url}/v1/requests/${id}`)).json()) as { status: string }).status === 'confirmed',
      20_000,
      'the tip confirmed',
    )
    expect(balanceOf(dev.feePayer)).toBeLessThan(THRESHOLD_LAMPORTS)

    await eventually(async () => received.length > 0, 20_000, 'the fee-payer alert')
    expect(received).toHaveLength(1)
    expect(received[0]?.signed).toBe(true)
    expect(received[0]?.payload).toMatchObject({
      type: 'balance.low',
      kind: 'solana',
      role: 'fee-payer',
      account: dev.feePayer,
      threshold: THRESHOLD_LAMPORTS.toString(),
    })
    expect(BigInt(received[0]?.payload.balance ?? THRESHOLD_LAMPORTS)).toBeLessThan(THRESHOLD_LAMPORTS)
  }, 60_000)
})

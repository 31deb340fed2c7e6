// Two `tokentags-relay` processes on one Redis, one after the other: a Solana request admitted by
// the first (which stops before the transaction lands) is resumed and tracked to its final status
// by the second. Nothing Solana-specific is configured for the store: TOKENTAGS_STORE=redis is all.
import {
  type Address,
  appendTransactionMessageInstructions,
  type Blockhash,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  partiallySignTransactionMessageWithSigners,
  pipe,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from '@solana/kit'
import { getTransferSolInstruction } from '@solana-program/system'
import { freePort } from '@tokentags/testkit'
import {
  type SolanaDevLedger,
  type SolanaRpcInstance,
  seedSolanaDevLedger,
  startSolanaRpc,
} from '@tokentags/testkit/solana'
import { solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStores } from '../src/index.js'
import { type RedisInstance, startRedis } from './support/redis.js'
import { type RelayProcess, relayProcess } from './support/relayProcess.js'

const SITE = 'pk_sol'
const ORIGIN = 'http://shop.test'
const PREFIX = 'solrestart:'

let node: SolanaRpcInstance
let ledger: SolanaDevLedger
let redis: RedisInstance
const relays: RelayProcess[] = []

beforeAll(async () => {
  ;[node, redis] = await Promise.all([startSolanaRpc(), startRedis()])
  ledger = await seedSolanaDevLedger(node.svm)
}, 60_000)

afterAll(async () => {
  for (const relay of relays) await relay.kill()
  await Promise.all([node?.stop(), redis?.stop()])
})

async function newRelay(name: string): Promise<RelayProcess> {
  const feePayer = await solanaDevKeyPair('feePayer')
  const relay = relayProcess({
    port: await freePort(),
    name,
    env: {
      TOKENTAGS_STORE: 'redis',
      REDIS_URL: redis.url,
      TOKENTAGS_STORE_PREFIX: PREFIX,
      TOKENTAGS_SOLANA_FEE_PAYER_KEY: JSON.stringify(Array.from(feePayer.secretKey)),
    },
    config: {
      // Solana only: no EVM chain.
      sites: { [SITE]: { origins: [ORIGIN], targets: [] } },
      solana: {
        rpcUrl: node.rpcUrl,
        chain: 'solana:localnet',
        confirm: { pollIntervalMs: 40, resendIntervalMs: 150 },
      },
    },
  })
  relays.push(relay)
  await relay.start()
  return relay
}

async function status(relay: RelayProcess, id: string) {
  const response = await fetch(`${relay.url}/v1/requests/${id}`)
  return (await response.json()) as { id: string; status: string; slot?: string; error?: { code: string } }
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)}`)
    await new Promise((r) => setTimeout(r, 30))
  }
}

describe('Solana on a shared Redis, across relay processes', () => {
  it('a request admitted by one relay is resumed to its final status by the next one', async () => {
    const visitor = (await solanaDevKeyPair('visitor')).signer
    const amount = 12_345_678n
    const message = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayer(ledger.feePayer, m),
      (m) =>
        setTransactionMessageLifetimeUsingBlockhash(
          { blockhash: node.svm.latestBlockhash() as Blockhash, lastValidBlockHeight: 0n },
          m,
        ),
      (m) =>
        appendTransactionMessageInstructions(
          [getTransferSolInstruction({ source: visitor, destination: ledger.creator, amount })],
          m,
        ),
    )
    const transaction = getBase64EncodedWireTransaction(await partiallySignTransactionMessageWithSigners(message))
    const balance = (address: Address) => node.svm.getBalance(address) ?? 0n
    const creatorBefore = balance(ledger.creator)
    const payerBefore = balance(ledger.feePayer)

    const first = await newRelay('sol-first')
    // The cluster drops what it is sent: the request stays `submitted` while the first relay runs.
    node.dropTransactions = true
    let id: string
    try {
      const response = await fetch(`${first.url}/v1/solana/transactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tokentags-site': SITE, origin: ORIGIN },
        body: JSON.stringify({ transaction }),
      })
      const body = (await response.json()) as { id: string; status: string }
      expect(response.status, JSON.stringify(body)).toBe(202)
      id = body.id
      await waitFor(
        () => status(first, id),
        (s) => s.status === 'submitted',
      )
      const sends = node.sendCount
      await waitFor(
        async () => node.sendCount,
        (n) => n >= sends + 2,
      )
      await first.stop()
    } finally {
      node.dropTransactions = false
    }
    expect(first.running()).toBe(false)
    expect(balance(ledger.creator)).toBe(creatorBefore)

    // In Redis, still pending, as the stopped relay left it.
    const stores = await createStores({ kind: 'redis', url: redis.url, prefix: PREFIX })
    const solana = stores.solana
    try {
      expect(await solana.get(id)).toMatchObject({ status: 'submitted', siteKey: SITE, lamports: 10_000n })
      expect((await solana.pending()).map((r) => r.id)).toEqual([id])

      const second = await newRelay('sol-second')
      const final = await waitFor(
        () => status(second, id),
        (s) => s.status !== 'submitted' && s.status !== 'queued',
      )
      expect(final).toMatchObject({ id, status: 'confirmed' })
      expect(BigInt(final.slot ?? '0')).toBeGreaterThan(0n)
      // It ran once: the transfer and the fee payer's two signature fees.
      expect(balance(ledger.creator)).toBe(creatorBefore + amount)
      expect(balance(ledger.feePayer)).toBe(payerBefore - 10_000n)
      expect(await solana.pending()).toEqual([])
      // The replay guard is shared too.
      const replay = await fetch(`${second.url}/v1/solana/transactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tokentags-site': SITE, origin: ORIGIN },
        body: JSON.stringify({ transaction }),
      })
      expect(replay.status).toBe(409)
      expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('DUPLICATE_TRANSACTION')
      await second.stop()
    } finally {
      await stores.close()
    }
  })
})

// Pending Solana requests are leased like relayer keys: of two relay processes sharing a store, only
// the lease holder follows (re-sends, polls) a pending request; when it dies, the other takes over
// once the lease lapses and brings the request to its final status, once.
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
import { type RelayProcess, relayProcess } from './support/relayProcess.js'
import { type RpcProxy, startRpcProxy } from './support/rpcProxy.js'
import { SHARED_STORES, type StoreBackend, startStoreBackend } from './support/storeBackend.js'

const SITE = 'pk_sol'
const ORIGIN = 'http://shop.test'

async function waitFor<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)}`)
    await new Promise((r) => setTimeout(r, 30))
  }
}

describe.each(SHARED_STORES)('Solana tracking leases on %s', (kind) => {
  let node: SolanaRpcInstance
  let ledger: SolanaDevLedger
  let backend: StoreBackend
  const relays: RelayProcess[] = []
  const proxies: RpcProxy[] = []

  beforeAll(async () => {
    ;[node, backend] = await Promise.all([startSolanaRpc(), startStoreBackend(kind)])
    ledger = await seedSolanaDevLedger(node.svm)
  }, 60_000)

  afterAll(async () => {
    for (const relay of relays) await relay.kill()
    await Promise.all(proxies.map((p) => p.close()))
    await Promise.all([node?.stop(), backend?.stop()])
  })

  /** A relay whose Solana RPC traffic goes through its own recording proxy. */
  async function newRelay(name: string): Promise<{ relay: RelayProcess; sends: () => number }> {
    const feePayer = await solanaDevKeyPair('feePayer')
    const proxy = await startRpcProxy(node.rpcUrl)
    proxies.push(proxy)
    const relay = relayProcess({
      port: await freePort(),
      name,
      env: { ...backend.env, TOKENTAGS_SOLANA_FEE_PAYER_KEY: JSON.stringify(Array.from(feePayer.secretKey)) },
      config: {
        sites: { [SITE]: { origins: [ORIGIN], targets: [] } },
        batch: { keyLeaseMs: 1500 },
        solana: {
          rpcUrl: proxy.url,
          chain: 'solana:localnet',
          confirm: { pollIntervalMs: 40, resendIntervalMs: 150 },
        },
      },
    })
    relays.push(relay)
    await relay.start()
    return { relay, sends: () => proxy.calls.filter((c) => c.method === 'sendTransaction').length }
  }

  it('only the holder follows a pending request; the other takes it over when the holder dies', async () => {
    const visitor = (await solanaDevKeyPair('visitor')).signer
    const amount = 7_654_321n
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

    const [a, b] = [await newRelay('sol-a'), await newRelay('sol-b')]
    // The cluster drops what it is sent: the request stays pending while both relays run.
    node.dropTransactions = true
    const response = await fetch(`${a.relay.url}/v1/solana/transactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tokentags-site': SITE, origin: ORIGIN },
      body: JSON.stringify({ transaction }),
    })
    const { id } = (await response.json()) as { id: string }
    expect(response.status).toBe(202)
    // Long enough for several of b's looks for unfollowed requests (every 1.5 s).
    await waitFor(a.sends, (n) => n >= 30)
    expect(b.sends()).toBe(0)

    await a.relay.kill()
    // The lease lapses; b finds the request on its next look and follows it.
    await waitFor(b.sends, (n) => n >= 2)
    node.dropTransactions = false
    const final = await waitFor(
      async () => (await (await fetch(`${b.relay.url}/v1/requests/${id}`)).json()) as { status: string },
      (s) => s.status !== 'submitted' && s.status !== 'queued',
    )
    expect(final).toMatchObject({ status: 'confirmed' })
    expect(balance(ledger.creator)).toBe(creatorBefore + amount)
  }, 120_000)
})

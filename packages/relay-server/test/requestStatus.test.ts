import { type SolanaRpcInstance, startSolanaRpc } from '@tokentags/testkit/solana'
import { solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { pino } from 'pino'
import type { Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { evmNetwork } from '../src/evm/network.js'
import { createMemoryStores, newRequestId, type RunningRelay, type Stores, startRelay } from '../src/index.js'
import { networkRegistry } from '../src/network/registry.js'
import { solanaNetwork } from '../src/solana/network.js'

// The one status route and event stream (`GET /v1/requests/:id`, `/events`) answer EVM and Solana
// requests of one relay, each as its network's wire view (core's `RequestView` / `SolanaRequestView`).
// Records go in through the real stores; no chain sends anything, so each one's state is the seeded one.

const SITE = 'pk_status'
const ORIGIN = 'http://shop.test'
const CHAIN_ID = 31337
const TX_HASH: Hex = `0x${'ab'.repeat(32)}`
const USER: Hex = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const SIGNATURES = [
  '5VERv8NMvzbJMEkV8xnrLkEaWRtSz9CosKDYjCJjBRnbJLgp8uirBgmQpjKhoR4tjF3ZpRzrFmBV6UjKdiSZkQUW',
  '4hXTCkRzt9WyecNzV1XPgCDfGAZzQKNxLXgynz5QDuWWPSAZBZSHptvWRL3BjCvzUXRdKvHL2b7yD8ZaGuW5NfaC',
]

let node: SolanaRpcInstance
let stores: Stores
let relay: RunningRelay
/** Each seeded request's id and the exact JSON text the API answered for it before the networks. */
const seeded: Record<'evmConfirmed' | 'evmFailed' | 'solanaConfirmed' | 'solanaFailed', { id: string; json: string }> =
  {} as never

async function seedEvm(nonce: bigint): Promise<string> {
  const stored = await stores.admission.enqueue({
    id: newRequestId(CHAIN_ID),
    chainId: CHAIN_ID,
    siteKey: SITE,
    request: { from: USER, to: USER, value: 0n, gas: 50_000n, nonce, deadline: 2n ** 40n, data: '0x' },
    signature: `0x${'11'.repeat(65)}`,
  })
  return stored.id
}

async function seedSolana(id: string, signature: string): Promise<string> {
  const admitted = await stores.solana.admit(
    { id, siteKey: SITE, wallet: 'visitor', signature, transaction: 'AA==', blockhash: 'hash', lamports: 5000n },
    { day: new Date().toISOString().slice(0, 10), siteLamportsPerDay: 10n ** 12n, walletRequestsPerDay: 100 },
  )
  if (!admitted.ok) throw new Error(`seeding ${id} was refused: ${admitted.reason}`)
  return id
}

beforeAll(async () => {
  node = await startSolanaRpc()
  stores = createMemoryStores()
  const error = { code: 'EXECUTION_REVERTED', message: 'the call reverted' } as const

  const evmConfirmed = await seedEvm(0n)
  await stores.requests.update(evmConfirmed, { status: 'confirmed', txHash: TX_HASH, blockNumber: 42n })
  seeded.evmConfirmed = {
    id: evmConfirmed,
    json: `{"id":"${evmConfirmed}","status":"confirmed","txHash":"${TX_HASH}","blockNumber":"42"}`,
  }
  const evmFailed = await seedEvm(1n)
  await stores.requests.update(evmFailed, { status: 'failed', txHash: TX_HASH, blockNumber: 43n, error })
  seeded.evmFailed = {
    id: evmFailed,
    json: `{"id":"${evmFailed}","status":"failed","txHash":"${TX_HASH}","blockNumber":"43","error":${JSON.stringify(error)}}`,
  }
  const solanaConfirmed = await seedSolana('sol_confirmed', SIGNATURES[0] as string)
  await stores.solana.update(solanaConfirmed, { status: 'confirmed', slot: 7n })
  seeded.solanaConfirmed = {
    id: solanaConfirmed,
    json: `{"id":"sol_confirmed","status":"confirmed","signature":"${SIGNATURES[0]}","slot":"7"}`,
  }
  // Solana Pay's ids (`sol_pay_…`) are Solana ids too.
  const solanaFailed = await seedSolana('sol_pay_failed', SIGNATURES[1] as string)
  await stores.solana.update(solanaFailed, { status: 'failed', error })
  seeded.solanaFailed = {
    id: solanaFailed,
    json: `{"id":"sol_pay_failed","status":"failed","signature":"${SIGNATURES[1]}","error":${JSON.stringify(error)}}`,
  }

  const feePayer = await solanaDevKeyPair('feePayer')
  relay = await startRelay({
    chains: [],
    sites: { [SITE]: { origins: [ORIGIN], targets: [] } },
    stores,
    solana: {
      rpcUrl: node.rpcUrl,
      feePayerSecretKey: Array.from(feePayer.secretKey),
      chain: 'solana:localnet',
    },
    logger: pino({ level: process.env.RELAY_TEST_LOG ?? 'silent' }),
    port: 0,
  })
})

afterAll(async () => {
  await relay?.close()
  await node?.stop()
})

/** The data line of every `status` event of the request's stream, as sent. */
async function statusEvents(id: string): Promise<string[]> {
  const response = await fetch(`${relay.url}/v1/requests/${id}/events`, { headers: { origin: ORIGIN } })
  expect(response.status).toBe(200)
  const text = await response.text()
  return [...text.matchAll(/^event: status\ndata: (.*)$/gm)].map((match) => match[1] as string)
}

describe('GET /v1/requests/:id on a relay with both networks', () => {
  it.each(['evmConfirmed', 'evmFailed', 'solanaConfirmed', 'solanaFailed'] as const)(
    'answers a %s request with its network view, byte for byte',
    async (name) => {
      const { id, json } = seeded[name]
      const response = await fetch(`${relay.url}/v1/requests/${id}`)
      expect(response.status).toBe(200)
      expect(await response.text()).toBe(json)
    },
  )

  it.each(['evmConfirmed', 'evmFailed', 'solanaConfirmed', 'solanaFailed'] as const)(
    'streams a final %s request as one status event and closes',
    async (name) => {
      const { id, json } = seeded[name]
      expect(await statusEvents(id)).toEqual([json])
    },
  )

  it.each([
    ['an EVM-shaped id with no record', `${CHAIN_ID}-00000000-0000-4000-8000-000000000000`],
    ['a Solana-shaped id with no record', 'sol_00000000-0000-4000-8000-000000000000'],
    ['an id of no network', 'nobody-knows-this'],
  ])('answers 404 NOT_FOUND for %s, on both routes', async (_, id) => {
    for (const path of [`/v1/requests/${id}`, `/v1/requests/${id}/events`]) {
      const response = await fetch(`${relay.url}${path}`)
      expect(response.status).toBe(404)
      expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: `no request ${id}` } })
    }
  })
})

describe('the network registry', () => {
  it('resolves each id to the network owning its shape, and none to an unregistered one', () => {
    const evm = evmNetwork(stores.requests)
    const solana = solanaNetwork(stores.solana)
    const both = networkRegistry([evm, solana])
    expect(both.owner(seeded.evmConfirmed.id)).toBe(evm)
    expect(both.owner(seeded.solanaConfirmed.id)).toBe(solana)
    expect(both.owner(seeded.solanaFailed.id)).toBe(solana)
    expect(both.owner('nobody-knows-this')).toBeUndefined()
    const evmOnly = networkRegistry([evm])
    expect(evmOnly.owner(seeded.solanaConfirmed.id)).toBeUndefined()
  })

  it('gives each network its own record as the one request model', async () => {
    const registry = networkRegistry([evmNetwork(stores.requests), solanaNetwork(stores.solana)])
    expect(await registry.owner(seeded.evmFailed.id)?.view(seeded.evmFailed.id)).toMatchObject({
      id: seeded.evmFailed.id,
      siteKey: SITE,
      status: 'failed',
      error: { code: 'EXECUTION_REVERTED' },
      network: { kind: 'evm', chainId: CHAIN_ID, txHash: TX_HASH, blockNumber: 43n },
    })
    expect(await registry.owner('sol_confirmed')?.view('sol_confirmed')).toMatchObject({
      id: 'sol_confirmed',
      siteKey: SITE,
      status: 'confirmed',
      network: { kind: 'solana', signature: SIGNATURES[0], slot: 7n },
    })
  })
})

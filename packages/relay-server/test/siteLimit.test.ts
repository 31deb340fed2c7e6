// Issue 13, "Sane defaults": a relay configured without `limits.perSite` limits each site key (EVM and
// Solana each) to DEFAULT_PER_SITE; `perSite: false` is the explicit opt-out. Every request comes from
// its own client address, so the per-address limit (left at its default) never answers for the site one.
import { type SolanaRpcInstance, startSolanaRpc } from '@tokentags/testkit/solana'
import { solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_PER_SITE } from '../src/config.js'
import { type RelayConfig, type RunningRelay, startRelay } from '../src/index.js'

const ORIGIN = 'http://shop.test'
const EVM_PATH = '/v1/evm/31337/requests'
const SOLANA_PATH = '/v1/solana/transactions'
// Past the site limiter both routes refuse this cheaply: no chain 31337 is served, and it is not a transaction.
const JUNK = JSON.stringify({ transaction: Buffer.from('not a transaction').toString('base64'), request: {} })
// Sent in parallel lanes only to keep the file short on a loaded machine; the assertions count answers.
const LANES = 16

let node: SolanaRpcInstance
let feePayerSecretKey: number[]
const relays: RunningRelay[] = []

beforeAll(async () => {
  node = await startSolanaRpc()
  const feePayer = await solanaDevKeyPair('tokentags public test seed: site limit fee payer (dev only, not a secret)')
  feePayerSecretKey = Array.from(feePayer.secretKey)
})

afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()))
  await node?.stop()
})

async function relayWith(limits?: RelayConfig['limits']): Promise<RunningRelay> {
  const relay = await startRelay({
    chains: [],
    sites: {
      pk_a: { origins: [ORIGIN], targets: [] },
      pk_b: { origins: [ORIGIN], targets: [] },
    },
    ...(limits ? { limits } : {}),
    // One socket plays many clients: the relay believes X-Forwarded-For from loopback.
    trustProxy: ['loopback'],
    solana: { rpcUrl: node.rpcUrl, feePayerSecretKey, chain: 'solana:localnet' },
    logger: pino({ level: 'silent' }),
    port: 0,
  })
  relays.push(relay)
  return relay
}

let nextClient = 0
/** A client address no other request of this file used. */
function freshClient(): string {
  const n = nextClient++
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
}

async function submit(relay: RunningRelay, path: string, site = 'pk_a') {
  const response = await fetch(`${relay.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: ORIGIN,
      'x-tokentags-site': site,
      'x-forwarded-for': freshClient(),
    },
    body: JUNK,
  })
  const body = (await response.json()) as { error?: { code: string; message: string } }
  return { status: response.status, error: body.error, retryAfter: response.headers.get('retry-after') }
}

/** Sends `count` submissions to `site` and tallies their answers by `status code`. */
async function flood(relay: RunningRelay, path: string, count: number): Promise<Map<string, number>> {
  const tally = new Map<string, number>()
  let left = count
  await Promise.all(
    Array.from({ length: LANES }, async () => {
      while (left > 0) {
        left--
        const { status, error } = await submit(relay, path)
        const key = `${status} ${error?.code}`
        tally.set(key, (tally.get(key) ?? 0) + 1)
      }
    }),
  )
  return tally
}

const routes = [
  ['EVM', EVM_PATH, '400 WRONG_CHAIN'],
  ['Solana', SOLANA_PATH, '400 INVALID_TRANSACTION'],
] as const

describe.each(routes)('the %s route', (_name, path, pastTheLimiter) => {
  it(`limits a site to ${DEFAULT_PER_SITE.points} per ${DEFAULT_PER_SITE.durationSeconds} s when the config names no perSite`, async () => {
    const relay = await relayWith()
    expect([...(await flood(relay, path, DEFAULT_PER_SITE.points))]).toEqual([
      [pastTheLimiter, DEFAULT_PER_SITE.points],
    ])
    const over = await submit(relay, path)
    expect(over.status).toBe(429)
    expect(over.error?.code).toBe('RATE_LIMITED')
    expect(over.error?.message).toContain('this site')
    expect(Number(over.retryAfter)).toBeGreaterThan(0)
    // Another site keeps its own allowance.
    expect(`${(await submit(relay, path, 'pk_b')).status}`).toBe(pastTheLimiter.split(' ')[0])
  })

  it('has no site limit with perSite: false', async () => {
    const relay = await relayWith({ perSite: false })
    expect([...(await flood(relay, path, DEFAULT_PER_SITE.points + 1))]).toEqual([
      [pastTheLimiter, DEFAULT_PER_SITE.points + 1],
    ])
  })
})

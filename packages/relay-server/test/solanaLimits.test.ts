// Issue 13, finding 5: POST /v1/solana/transactions had no rate limit (one address, 300 accepted in
// 3 s). It now takes the per-address and per-site limits before any work, and every per-address
// limit (EVM, Solana, Solana Pay) counts an IPv6 client by its /64.
import { type SolanaRpcInstance, startSolanaRpc } from '@tokentags/testkit/solana'
import { type SolanaDevKeyPair, solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clientAddressKey } from '../src/http/clientAddress.js'
import { type RelayConfig, type RunningRelay, startRelay } from '../src/index.js'

const ORIGIN = 'http://shop.test'
// Not a transaction: anything past the limiter answers 400; the limiter answers 429 before it.
const JUNK = Buffer.from('not a transaction').toString('base64')

let node: SolanaRpcInstance
let feePayer: SolanaDevKeyPair
const relays: RunningRelay[] = []

beforeAll(async () => {
  node = await startSolanaRpc()
  feePayer = await solanaDevKeyPair('tokentags public test seed: solana limits fee payer (dev only, not a secret)')
})

afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()))
  await node?.stop()
})

async function relayWith(limits: RelayConfig['limits']): Promise<RunningRelay> {
  const relay = await startRelay({
    chains: [],
    sites: {
      pk_a: { origins: [ORIGIN], targets: [] },
      pk_b: { origins: [ORIGIN], targets: [] },
    },
    limits,
    // The tests play many clients from one socket: the relay believes X-Forwarded-For from loopback.
    trustProxy: ['loopback'],
    solana: { rpcUrl: node.rpcUrl, feePayerSecretKey: Array.from(feePayer.secretKey), chain: 'solana:localnet' },
    logger: pino({ level: 'silent' }),
    port: 0,
  })
  relays.push(relay)
  return relay
}

async function submit(relay: RunningRelay, client: string, site = 'pk_a', path = '/v1/solana/transactions') {
  const response = await fetch(`${relay.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: ORIGIN,
      'x-tokentags-site': site,
      'x-forwarded-for': client,
    },
    body: JSON.stringify({ transaction: JUNK, request: {}, signature: '0x' }),
  })
  const body = (await response.json()) as { error?: { code: string } }
  return { status: response.status, code: body.error?.code, retryAfter: response.headers.get('retry-after') }
}

const codes = async (relay: RunningRelay, clients: string[], site?: string, path?: string) => {
  const out: (string | undefined)[] = []
  for (const client of clients) out.push((await submit(relay, client, site, path)).code)
  return out
}

describe('POST /v1/solana/transactions', () => {
  it('is limited per client address before any work (429 RATE_LIMITED with Retry-After)', async () => {
    const relay = await relayWith({ perIp: { points: 3, durationSeconds: 60 } })
    const first = await submit(relay, '203.0.113.7')
    expect(first.status).toBe(400)
    expect(await codes(relay, ['203.0.113.7', '203.0.113.7'])).not.toContain('RATE_LIMITED')
    const fourth = await submit(relay, '203.0.113.7')
    expect(fourth).toMatchObject({ status: 429, code: 'RATE_LIMITED' })
    expect(Number(fourth.retryAfter)).toBeGreaterThan(0)
    // Another client is untouched.
    expect((await submit(relay, '203.0.113.8')).status).toBe(400)
  })

  it('counts an IPv6 client by its /64: new addresses in it share one allowance, another /64 has its own', async () => {
    const relay = await relayWith({ perIp: { points: 3, durationSeconds: 60 } })
    const sameNet = ['2001:db8:1:2::1', '2001:db8:1:2::2', '2001:db8:1:2:ffff:ffff:ffff:fffe', '2001:db8:1:2::9']
    const answers = await codes(relay, sameNet)
    expect(answers.slice(0, 3)).not.toContain('RATE_LIMITED')
    expect(answers[3]).toBe('RATE_LIMITED')
    expect((await submit(relay, '2001:db8:1:3::1')).status).toBe(400)
  })

  it('is limited per site key across client addresses; another site is untouched', async () => {
    const relay = await relayWith({ perIp: false, perSite: { points: 2, durationSeconds: 60 } })
    expect((await codes(relay, ['198.51.100.1', '198.51.100.2', '198.51.100.3']))[2]).toBe('RATE_LIMITED')
    expect((await submit(relay, '198.51.100.4', 'pk_b')).status).toBe(400)
  })
})

describe('the EVM route', () => {
  it('counts an IPv6 client by its /64 as well', async () => {
    const relay = await relayWith({ perIp: { points: 2, durationSeconds: 60 } })
    const path = '/v1/evm/31337/requests'
    expect(await codes(relay, ['2001:db8:9:9::1', '2001:db8:9:9::2', '2001:db8:9:9::3'], 'pk_a', path)).toEqual([
      'WRONG_CHAIN',
      'WRONG_CHAIN',
      'RATE_LIMITED',
    ])
    expect((await submit(relay, '2001:db8:9:a::1', 'pk_a', path)).code).toBe('WRONG_CHAIN')
  })
})

describe('clientAddressKey', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6, and cuts IPv6 to its /64 in every spelling', () => {
    expect(clientAddressKey('203.0.113.7')).toBe('203.0.113.7')
    expect(clientAddressKey('::ffff:203.0.113.7')).toBe('203.0.113.7')
    expect(clientAddressKey('::ffff:cb00:7107')).toBe('203.0.113.7')
    expect(clientAddressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64')
    expect(clientAddressKey('2001:0DB8:0001:0002:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64')
    expect(clientAddressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(clientAddressKey('2001:db8::1:2:3:4')).toBe('2001:db8:0:0::/64')
    expect(clientAddressKey('2001:db8:0:1::')).not.toBe(clientAddressKey('2001:db8:0:2::'))
    expect(clientAddressKey(undefined)).toBe('unknown')
  })
})

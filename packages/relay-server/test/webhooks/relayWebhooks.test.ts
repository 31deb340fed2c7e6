// Webhooks wired into a relay with a ledger (memory store, Debian's PostgreSQL): a confirmed claim
// reaches the site's receiver as a signed `request.final`, and a receiver answering 500 holds nothing.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createPostgresLedger } from '@tokentags/ledger'
import { type PostgresServer, startPostgres } from '@tokentags/testkit/postgres'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningRelay } from '../../src/relay.js'
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from '../../src/webhooks/signature.js'
import {
  claimData,
  eventually,
  ORIGIN,
  postRequest,
  relayConfig,
  SITE_KEY,
  setupChain,
  signedBody,
  startTestRelay,
  type TestChain,
  waitForFinal,
} from '../helpers.js'

const SECRET = 'whsec_relay_test_only'
const BUDGET_SITE = 'pk_budget'
/** A few claims' worth of gas at anvil's fees: enough to cross 50 % before the budget refuses. */
const BUDGET = 10n ** 15n
let chain: TestChain
let pg: PostgresServer
let relay: RunningRelay
let receiver: Server
const bodies: { body: string; ok: boolean }[] = []
let answer = 500

beforeAll(async () => {
  ;[chain, pg] = await Promise.all([setupChain(), startPostgres()])
  receiver = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => {
      body += c
    })
    req.on('end', () => {
      const header = req.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined
      bodies.push({ body, ok: verifyWebhookSignature({ header, body, secret: SECRET }).ok })
      res.writeHead(answer).end()
    })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`
  const defaults = relayConfig(chain)
  relay = await startTestRelay(chain, {
    // A budget needs a fee ceiling (the reservation's bound).
    chains: defaults.chains.map((c) => ({ ...c, maxFeePerGas: 100_000_000_000n })),
    ledger: {
      ledger: await createPostgresLedger({ url: pg.url }),
      drain: { idleMs: 100 },
      webhooks: {
        sites: { [SITE_KEY]: { url, secret: SECRET }, [BUDGET_SITE]: { url, secret: SECRET } },
        delivery: { minBackoffMs: 100, pollMs: 50 },
      },
    },
    limits: { perIp: false, inFlightPerIp: false },
    batch: { maxSize: 10, maxWaitMs: 100, pollIntervalMs: 100 },
    sites: {
      [SITE_KEY]: {
        origins: [ORIGIN],
        targets: [{ address: chain.vestingVault, functions: ['claim(uint256 id)'] }],
        dailyBudgetWei: 'unlimited',
      },
      [BUDGET_SITE]: {
        origins: [ORIGIN],
        targets: [{ address: chain.vestingVault, functions: ['claim(uint256 id)'] }],
        dailyBudgetWei: BUDGET,
      },
    },
  })
}, 120_000)

afterAll(async () => {
  await relay?.close()
  await new Promise((r) => receiver?.close(r))
  await Promise.all([pg?.destroy(), chain?.anvil.stop()])
})

async function claim(site: string) {
  const account = privateKeyToAccount(generatePrivateKey())
  const scheduleId = await chain.createVestedSchedule(account.address, 1000n)
  const body = await signedBody({
    account,
    forwarder: chain.forwarder,
    to: chain.vestingVault,
    data: claimData(scheduleId),
    nonce: 0n,
  })
  return postRequest(relay, body, { site })
}

describe('webhooks in the relay', () => {
  it('a confirmed claim is delivered signed to the site, after the receiver recovers from 500s', async () => {
    const account = privateKeyToAccount(generatePrivateKey())
    const scheduleId = await chain.createVestedSchedule(account.address, 1000n)
    const body = await signedBody({
      account,
      forwarder: chain.forwarder,
      to: chain.vestingVault,
      data: claimData(scheduleId),
      nonce: 0n,
    })
    const { status, json } = await postRequest(relay, body)
    expect(status).toBe(202)
    const id = (json as { id: string }).id
    // The receiver failing does not hold the request.
    expect((await waitForFinal(relay, id)).status).toBe('confirmed')
    await eventually(async () => bodies.length >= 1, 20_000, 'a first (failed) delivery')
    answer = 200
    const delivered = await eventually(async () => bodies.find((b, i) => i > 0 && b.ok), 20_000, 'the retried delivery')
    expect(bodies.every((b) => b.ok && b.body === delivered.body)).toBe(true)
    expect(JSON.parse(delivered.body)).toMatchObject({
      type: 'request.final',
      site: SITE_KEY,
      request: { id, status: 'confirmed', kind: 'evm', chain: String(chain.anvil.chainId) },
    })
  }, 60_000)

  it('settlements that cross 50 % of a site budget send one signed budget.threshold per threshold', async () => {
    answer = 200
    let claims = 0
    for (; claims < 30; claims++) {
      const { status, json } = await claim(BUDGET_SITE)
      if (status !== 202) {
        expect((json as { error: { code: string } }).error.code).toBe('BUDGET_EXCEEDED')
        break
      }
      expect((await waitForFinal(relay, (json as { id: string }).id)).status).toBe('confirmed')
    }
    expect(claims).toBeGreaterThan(1)
    const thresholds = () =>
      bodies
        .filter((b) => b.ok)
        .map(
          (b) =>
            JSON.parse(b.body) as { type: string; site: string; percent: number; spentWei: string; budgetWei: string },
        )
        .filter((p) => p.type === 'budget.threshold' && p.site === BUDGET_SITE)
    await eventually(async () => thresholds().some((t) => t.percent === 50), 20_000, 'the 50 % threshold')
    const sent = thresholds()
    // Each threshold once, and only when the spend really reached it.
    expect(new Set(sent.map((t) => t.percent)).size).toBe(sent.length)
    for (const t of sent) {
      expect(t.budgetWei).toBe(BUDGET.toString())
      expect(BigInt(t.spentWei) * 100n).toBeGreaterThanOrEqual(BUDGET * BigInt(t.percent))
    }
  }, 120_000)
})

// Operator alerts in process (memory store): with the periodic check an hour away, the settlement of the
// request that drains a relayer below its threshold is what triggers the check, and a receiver that
// answers 500 first gets the same delivery again, signed afresh.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OperatorAlertPayload } from '../../src/alerts/balances.js'
import type { RunningRelay } from '../../src/relay.js'
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from '../../src/webhooks/signature.js'
import {
  anvilRpc,
  claimData,
  eventually,
  postRequest,
  relayer,
  setupChain,
  signedBody,
  startTestRelay,
  type TestChain,
  waitForFinal,
} from '../helpers.js'

const SECRET = 'alerts_after_settlement_secret'
const THRESHOLD_WEI = parseEther('1')

let chain: TestChain
let relay: RunningRelay
let receiver: Server
const attempts: { delivery: string; body: string; signed: boolean; status: number }[] = []

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => {
      body += c
    })
    req.on('end', () => {
      const delivery = String(req.headers['x-tokentags-delivery'])
      // The first attempt of each delivery fails: the alert must come again from the queue.
      const status = attempts.some((a) => a.delivery === delivery) ? 204 : 500
      const header = req.headers[WEBHOOK_SIGNATURE_HEADER] as string | undefined
      attempts.push({ delivery, body, signed: verifyWebhookSignature({ header, body, secret: SECRET }).ok, status })
      res.writeHead(status).end()
    })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  chain = await setupChain()
  // 1 wei above the threshold: any gas paid takes the relayer below it, however low the base fee has fallen.
  await anvilRpc(chain, 'anvil_setBalance', [relayer.address, `0x${(THRESHOLD_WEI + 1n).toString(16)}`])
  relay = await startTestRelay(chain, {
    alerts: {
      operator: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`, secret: SECRET },
      lowBalanceWei: THRESHOLD_WEI,
      // Only the first check and the settlements' checks happen during this test.
      checkIntervalMs: 3_600_000,
      delivery: { minBackoffMs: 50, maxBackoffMs: 200 },
    },
  })
}, 120_000)

afterAll(async () => {
  await relay?.close()
  await new Promise((r) => receiver?.close(r))
  await chain?.anvil.stop()
})

describe('operator alerts after a settlement', () => {
  it('checks the balance after the settlement that drained it, and retries a failed delivery', async () => {
    const account = privateKeyToAccount(generatePrivateKey())
    const id = await chain.createVestedSchedule(account.address, 1000n)
    const body = await signedBody({
      account,
      forwarder: chain.forwarder,
      to: chain.vestingVault,
      data: claimData(id),
      nonce: 0n,
    })
    const { status, json } = await postRequest(relay, body)
    expect(status).toBe(202)
    expect((await waitForFinal(relay, json.id)).status).toBe('confirmed')
    expect(await chain.publicClient.getBalance({ address: relayer.address })).toBeLessThan(THRESHOLD_WEI)

    await eventually(async () => attempts.some((a) => a.status === 204), 20_000, 'the alert delivered')
    const [first, second] = attempts
    expect(first?.status).toBe(500)
    expect(second?.delivery).toBe(first?.delivery)
    expect(second?.body).toBe(first?.body)
    expect(attempts.every((a) => a.signed)).toBe(true)
    const payload = JSON.parse(second?.body ?? '{}') as OperatorAlertPayload
    expect(payload).toMatchObject({ type: 'balance.low', account: relayer.address, role: 'relayer' })
    expect(relay.alerts?.dispatcher.delivered).toBe(1)
  }, 60_000)
})

// Attestation on the Solana routes (issue 13): the human check applies to POST /v1/solana/transactions
// before the transaction is decoded; the sponsorship webhook is asked only about a transaction the
// relay's own checks accept (attestationSolanaWebhook.test.ts); Solana Pay tips of a gated site are
// refused, never sponsored around the gate.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type SolanaRpcInstance, startSolanaRpc } from '@tokentags/testkit/solana'
import { solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningRelay, startRelay } from '../src/index.js'

const ORIGIN = 'http://shop.test'
const SECRET = 'test-solana-verifier-secret'
// Not a transaction: a request past the attestation answers 400 INVALID_BODY/transaction errors.
const JUNK = Buffer.from('not a transaction').toString('base64')
process.env.TT_TEST_SOLANA_HUMAN_SECRET = SECRET
process.env.TT_TEST_SOLANA_SPONSOR_SECRET = 'test-solana-sponsor-secret'

let node: SolanaRpcInstance
let relay: RunningRelay
let verifier: Server
let creator: string
const verified: string[] = []

beforeAll(async () => {
  node = await startSolanaRpc()
  const feePayer = await solanaDevKeyPair('tokentags public test seed: attestation fee payer (dev only, not a secret)')
  creator = (await solanaDevKeyPair('tokentags public test seed: attestation creator (dev only, not a secret)')).address
  const used = new Set<string>()
  verifier = createServer(async (req, res) => {
    let text = ''
    for await (const chunk of req) text += chunk
    const form = new URLSearchParams(text)
    const token = form.get('response') ?? ''
    verified.push(token)
    const success = form.get('secret') === SECRET && token.startsWith('pass') && !used.has(token)
    used.add(token)
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(success ? { success, hostname: 'shop.test' } : { success, 'error-codes': ['invalid'] }))
  })
  await new Promise<void>((resolve) => verifier.listen(0, '127.0.0.1', resolve))
  const verifyUrl = `http://127.0.0.1:${(verifier.address() as AddressInfo).port}/siteverify`
  relay = await startRelay({
    chains: [],
    sites: {
      pk_plain: { origins: [ORIGIN], targets: [] },
      pk_human: {
        origins: [ORIGIN],
        targets: [],
        attestation: { humanCheck: { secretEnv: 'TT_TEST_SOLANA_HUMAN_SECRET', verifyUrl } },
      },
      pk_sponsor: {
        origins: [ORIGIN],
        targets: [],
        solana: { pay: { recipients: [creator] } },
        attestation: {
          sponsorWebhook: { url: 'http://127.0.0.1:9/sponsor', secretEnv: 'TT_TEST_SOLANA_SPONSOR_SECRET' },
        },
      },
    },
    solana: {
      rpcUrl: node.rpcUrl,
      feePayerSecretKey: Array.from(feePayer.secretKey),
      chain: 'solana:localnet',
    },
    logger: pino({ level: 'silent' }),
    port: 0,
  })
}, 60_000)

afterAll(async () => {
  await relay?.close()
  await new Promise((r) => verifier?.close(r))
  await node?.stop()
})

async function submit(site: string, extra: Record<string, unknown> = {}) {
  const response = await fetch(`${relay.url}/v1/solana/transactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, 'x-tokentags-site': site },
    body: JSON.stringify({ transaction: JUNK, ...extra }),
  })
  const body = (await response.json()) as { error?: { code: string; message: string } }
  return { status: response.status, code: body.error?.code }
}

describe('attestation on Solana', () => {
  it('asks for the human check, refuses a bad token, and lets a good one reach the transaction checks', async () => {
    expect(await submit('pk_human')).toEqual({ status: 400, code: 'HUMAN_CHECK_REQUIRED' })
    expect(await submit('pk_human', { humanCheck: 'bot' })).toEqual({ status: 403, code: 'HUMAN_CHECK_FAILED' })
    const passed = await submit('pk_human', { humanCheck: 'pass-sol' })
    // Past the gate, the junk transaction is refused exactly as on a site without attestation.
    expect(passed.status).toBe(400)
    expect(passed).toEqual(await submit('pk_plain'))
    expect(verified).toEqual(['bot', 'pass-sol'])
  })

  it('refuses a malformed transaction on a webhook site as on any site, without asking the (unreachable) owner', async () => {
    // The endpoint is a closed port: asking it would answer 503 SPONSOR_UNAVAILABLE.
    const answer = await submit('pk_sponsor')
    expect(answer.status).toBe(400)
    expect(answer).toEqual(await submit('pk_plain'))
  })

  it('refuses Solana Pay tips for a gated site', async () => {
    const response = await fetch(`${relay.url}/v1/solana/pay/tip?site=pk_sponsor&to=${creator}&amount=0.01`)
    const body = (await response.json()) as { error?: { code: string; message: string } }
    expect(response.status).toBe(403)
    expect(body.error?.code).toBe('PAY_NOT_ENABLED')
    expect(body.error?.message).toContain('requires attestation')
  })
})

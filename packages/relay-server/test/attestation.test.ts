// Attestation a site can require (issue 13): a human check through a local Turnstile-compatible
// `siteverify` verifier, and a sponsorship webhook to a local receiver that checks the relay's HMAC
// itself. Real relay on Redis and anvil; the verifier and the receiver are plain node http servers.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { LocalAccount } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { resolveAttestation } from '../src/attestation/config.js'
import { parseRelayConfigFile } from '../src/config.js'
import { ConfigError } from '../src/configError.js'
import { createRedisStore, type RunningRelay } from '../src/index.js'
import {
  CHAIN_ID,
  claimData,
  ORIGIN,
  postRequest,
  relayConfig,
  type SignParams,
  setupChain,
  signedBody,
  startTestRelay,
  type TestChain,
} from './helpers.js'
import { type RedisInstance, startRedis } from './support/redis.js'

const VERIFIER_SECRET = 'test-verifier-secret'
const SPONSOR_SECRET = 'test-sponsor-secret'
process.env.TT_TEST_HUMAN_SECRET = VERIFIER_SECRET
process.env.TT_TEST_SPONSOR_SECRET = SPONSOR_SECRET
process.env.TT_TEST_SPONSOR_OTHER = 'a-key-the-receiver-does-not-share'

interface VerifierCall {
  secret: string | null
  response: string | null
  remoteip: string | null
}
interface WebhookCall {
  signatureOk: boolean
  payload: Record<string, unknown>
}
type WebhookMode = 'yes' | 'no' | 'slow' | 'text' | 'error'

let chain: TestChain
let redis: RedisInstance
let relay: RunningRelay
let verifier: Server
let receiver: Server
let verifierCalls: VerifierCall[] = []
let webhookCalls: WebhookCall[] = []
let webhookMode: WebhookMode = 'yes'
const schedules = new Map<string, bigint>()

async function readBody(req: IncomingMessage): Promise<string> {
  let text = ''
  for await (const chunk of req) text += chunk
  return text
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** Turnstile's siteverify as documented: one success per token, `timeout-or-duplicate` after. */
function startVerifier(): Server {
  const used = new Set<string>()
  return createServer(async (req, res) => {
    const form = new URLSearchParams(await readBody(req))
    const call = { secret: form.get('secret'), response: form.get('response'), remoteip: form.get('remoteip') }
    verifierCalls.push(call)
    const answer = (value: object) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(value))
    }
    const token = call.response ?? ''
    if (call.secret !== VERIFIER_SECRET) return answer({ success: false, 'error-codes': ['invalid-input-secret'] })
    if (used.has(token)) return answer({ success: false, 'error-codes': ['timeout-or-duplicate'] })
    used.add(token)
    if (token.startsWith('pass')) return answer({ success: true, hostname: 'shop.test' })
    if (token.startsWith('elsewhere')) return answer({ success: true, hostname: 'evil.test' })
    return answer({ success: false, 'error-codes': ['invalid-input-response'] })
  })
}

/** What a site owner runs: checks `x-tokentags-signature` with the shared key before believing the body. */
function startReceiver(): Server {
  return createServer(async (req, res) => {
    const body = await readBody(req)
    const header = String(req.headers['x-tokentags-signature'] ?? '')
    const match = /^t=([0-9]+),v1=([0-9a-f]{64})$/.exec(header)
    let signatureOk = false
    if (match) {
      const expected = createHmac('sha256', SPONSOR_SECRET).update(`${match[1]}.${body}`).digest()
      const fresh = Math.abs(Date.now() / 1000 - Number(match[1])) < 300
      signatureOk = fresh && timingSafeEqual(expected, Buffer.from(match[2] as string, 'hex'))
    }
    webhookCalls.push({ signatureOk, payload: JSON.parse(body) })
    if (!signatureOk) {
      res.writeHead(401).end()
      return
    }
    if (webhookMode === 'slow') await new Promise((r) => setTimeout(r, 2000))
    if (webhookMode === 'error') {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"sponsor":true}')
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(webhookMode === 'text' ? 'sure' : JSON.stringify({ sponsor: webhookMode !== 'no' }))
  })
}

beforeAll(async () => {
  ;[chain, redis] = await Promise.all([setupChain(), startRedis()])
  verifier = startVerifier()
  receiver = startReceiver()
  const [verifierUrl, receiverUrl] = await Promise.all([listen(verifier), listen(receiver)])
  // A port that was just free and is closed again: a verifier that is down.
  const closed = createServer()
  const downUrl = await listen(closed)
  await new Promise((r) => closed.close(r))
  const target = { address: chain.vestingVault, functions: ['claim(uint256 id)'] }
  const site = (attestation: object) => ({
    origins: [ORIGIN],
    targets: [target],
    dailyBudgetWei: 'unlimited' as const,
    attestation,
  })
  relay = await startTestRelay(chain, {
    store: await createRedisStore({ url: redis.url, prefix: 'attest:' }),
    limits: { perIp: false, perSender: false },
    sites: {
      ...relayConfig(chain).sites,
      pk_human: site({ humanCheck: { secretEnv: 'TT_TEST_HUMAN_SECRET', verifyUrl: `${verifierUrl}/siteverify` } }),
      pk_human_down: site({
        humanCheck: { secretEnv: 'TT_TEST_HUMAN_SECRET', verifyUrl: `${downUrl}/siteverify`, timeoutMs: 1000 },
      }),
      pk_sponsor: site({
        sponsorWebhook: { url: `${receiverUrl}/sponsor`, secretEnv: 'TT_TEST_SPONSOR_SECRET', timeoutMs: 500 },
      }),
      pk_sponsor_wrong_key: site({
        sponsorWebhook: { url: `${receiverUrl}/sponsor`, secretEnv: 'TT_TEST_SPONSOR_OTHER', timeoutMs: 500 },
      }),
    },
  })
}, 120_000)

afterAll(async () => {
  await relay?.close()
  await Promise.all([
    new Promise((r) => verifier?.close(r)),
    new Promise((r) => {
      receiver?.closeAllConnections()
      receiver?.close(r)
    }),
  ])
  await redis?.stop()
  await chain?.anvil.stop()
})

beforeEach(() => {
  verifierCalls = []
  webhookCalls = []
  webhookMode = 'yes'
})

/** A signer of its own per test (no ether needed: the relay pays), with a vested schedule to claim. */
async function claimer(): Promise<LocalAccount> {
  const account = privateKeyToAccount(generatePrivateKey())
  schedules.set(account.address, await chain.createVestedSchedule(account.address, 1000n))
  return account
}

function claimBody(account: LocalAccount, nonce: bigint, extra: Partial<SignParams> = {}) {
  return signedBody({
    account,
    forwarder: chain.forwarder,
    to: chain.vestingVault,
    data: claimData(schedules.get(account.address) as bigint),
    nonce,
    ...extra,
  })
}

describe('human check', () => {
  it('sponsors a request whose token the verifier accepts, passing secret, token and the client address', async () => {
    const body = { ...(await claimBody(await claimer(), 0n)), humanCheck: 'pass-0' }
    const answer = await postRequest(relay, body, { site: 'pk_human' })
    expect(answer.status).toBe(202)
    expect(answer.json.status).toBe('queued')
    expect(verifierCalls).toHaveLength(1)
    expect(verifierCalls[0]?.secret).toBe(VERIFIER_SECRET)
    expect(verifierCalls[0]?.response).toBe('pass-0')
    expect(verifierCalls[0]?.remoteip).toMatch(/127\.0\.0\.1$/)
  })

  it('asks for a token when the body has none, without calling the verifier', async () => {
    const answer = await postRequest(relay, await claimBody(await claimer(), 0n), { site: 'pk_human' })
    expect(answer.status).toBe(400)
    expect(answer.json.error.code).toBe('HUMAN_CHECK_REQUIRED')
    expect(answer.json.error.message).toContain('"humanCheck"')
    expect(verifierCalls).toHaveLength(0)
  })

  it('refuses a token the verifier refuses', async () => {
    const body = { ...(await claimBody(await claimer(), 0n)), humanCheck: 'bot-guess' }
    const answer = await postRequest(relay, body, { site: 'pk_human' })
    expect(answer.status).toBe(403)
    expect(answer.json.error.code).toBe('HUMAN_CHECK_FAILED')
    expect(answer.json.error.message).toContain('invalid-input-response')
  })

  it("refuses a token solved on another site's page (hostname not among the origins)", async () => {
    const body = { ...(await claimBody(await claimer(), 0n)), humanCheck: 'elsewhere-1' }
    const answer = await postRequest(relay, body, { site: 'pk_human' })
    expect(answer.status).toBe(403)
    expect(answer.json.error.code).toBe('HUMAN_CHECK_FAILED')
    expect(answer.json.error.message).toContain('evil.test')
  })

  it('refuses a token used twice: the relay asks the verifier each time and caches no success', async () => {
    const first = await postRequest(
      relay,
      { ...(await claimBody(await claimer(), 0n)), humanCheck: 'pass-replay' },
      {
        site: 'pk_human',
      },
    )
    expect(first.status).toBe(202)
    const second = await postRequest(
      relay,
      { ...(await claimBody(await claimer(), 1n)), humanCheck: 'pass-replay' },
      {
        site: 'pk_human',
      },
    )
    expect(second.status).toBe(403)
    expect(second.json.error.code).toBe('HUMAN_CHECK_FAILED')
    expect(second.json.error.message).toContain('timeout-or-duplicate')
    expect(verifierCalls.map((c) => c.response)).toEqual(['pass-replay', 'pass-replay'])
  })

  it('asks the verifier only about a request whose signature checks (400 BAD_SIGNATURE, no call)', async () => {
    const account = await claimer()
    const signed = await claimBody(account, 0n)
    // The sender's own canonical signature, but over another nonce: it does not match the request.
    const forged = { ...signed, signature: (await claimBody(account, 1n)).signature, humanCheck: 'pass-forged' }
    const answer = await postRequest(relay, forged, { site: 'pk_human' })
    expect(answer.status).toBe(400)
    expect(answer.json.error.code).toBe('BAD_SIGNATURE')
    expect(verifierCalls).toHaveLength(0)
  })

  it('asks the verifier before any node work: a refused token wins over a nonce the node would refuse', async () => {
    const body = { ...(await claimBody(await claimer(), 5n)), humanCheck: 'bot-guess' }
    const answer = await postRequest(relay, body, { site: 'pk_human' })
    expect(answer.status).toBe(403)
    expect(answer.json.error.code).toBe('HUMAN_CHECK_FAILED')
    expect(verifierCalls).toHaveLength(1)
  })

  it('fails closed with 503 when the verifier cannot be reached', async () => {
    const body = { ...(await claimBody(await claimer(), 0n)), humanCheck: 'pass-down' }
    const answer = await postRequest(relay, body, { site: 'pk_human_down' })
    expect(answer.status).toBe(503)
    expect(answer.json.error.code).toBe('HUMAN_CHECK_UNAVAILABLE')
  })
})

describe('sponsorship webhook', () => {
  it('sponsors on 200 {"sponsor": true}; the receiver checks the HMAC and reads the decoded request', async () => {
    const account = await claimer()
    const answer = await postRequest(relay, await claimBody(account, 0n), { site: 'pk_sponsor' })
    expect(answer.status).toBe(202)
    expect(webhookCalls).toHaveLength(1)
    const [call] = webhookCalls
    expect(call?.signatureOk).toBe(true)
    expect(call?.payload).toMatchObject({
      site: 'pk_sponsor',
      chainId: CHAIN_ID,
      from: account.address,
      to: chain.vestingVault,
      selector: claimData(0n).slice(0, 10),
      function: 'claim(uint256)',
      args: [String(schedules.get(account.address))],
      value: '0',
      gas: '200000',
      nonce: '0',
      origin: ORIGIN,
    })
    expect(call?.payload.ip).toMatch(/127\.0\.0\.1$/)
    expect(call?.payload.deadline).toMatch(/^[0-9]+$/)
  })

  it('declines on {"sponsor": false}, and nothing is reserved: the same nonce is sponsored once the owner says yes', async () => {
    const account = await claimer()
    webhookMode = 'no'
    const declined = await postRequest(relay, await claimBody(account, 0n), { site: 'pk_sponsor' })
    expect(declined.status).toBe(403)
    expect(declined.json.error.code).toBe('SPONSOR_DECLINED')
    webhookMode = 'yes'
    const accepted = await postRequest(relay, await claimBody(account, 0n), { site: 'pk_sponsor' })
    expect(accepted.status).toBe(202)
    expect(webhookCalls.map((c) => c.signatureOk)).toEqual([true, true])
  })

  it('fails closed with 503 when the endpoint does not answer within timeoutMs', async () => {
    webhookMode = 'slow'
    const answer = await postRequest(relay, await claimBody(await claimer(), 0n), { site: 'pk_sponsor' })
    expect(answer.status).toBe(503)
    expect(answer.json.error.code).toBe('SPONSOR_UNAVAILABLE')
    expect(webhookCalls).toHaveLength(1)
  })

  it('declines an answer that is not JSON, and a non-200 even with a yes in it', async () => {
    webhookMode = 'text'
    const text = await postRequest(relay, await claimBody(await claimer(), 0n), { site: 'pk_sponsor' })
    expect(text.status).toBe(403)
    expect(text.json.error.code).toBe('SPONSOR_DECLINED')
    webhookMode = 'error'
    const error = await postRequest(relay, await claimBody(await claimer(), 0n), { site: 'pk_sponsor' })
    expect(error.status).toBe(403)
    expect(error.json.error.code).toBe('SPONSOR_DECLINED')
    expect(error.json.error.message).toContain('status 500')
  })

  it("a body signed with another key fails the receiver's HMAC check, and its refusal is a decline", async () => {
    const answer = await postRequest(relay, await claimBody(await claimer(), 0n), { site: 'pk_sponsor_wrong_key' })
    expect(webhookCalls).toHaveLength(1)
    expect(webhookCalls[0]?.signatureOk).toBe(false)
    expect(answer.status).toBe(403)
    expect(answer.json.error.code).toBe('SPONSOR_DECLINED')
    expect(answer.json.error.message).toContain('status 401')
  })
})

describe('attestation config', () => {
  it('refuses to start when a named secret variable is unset, naming it', () => {
    expect(() => resolveAttestation('shop', { humanCheck: { secretEnv: 'TT_TEST_UNSET_SECRET' } }, {})).toThrow(
      new ConfigError('sites.shop.attestation.humanCheck.secretEnv names TT_TEST_UNSET_SECRET, which is not set'),
    )
    expect(resolveAttestation('shop', { humanCheck: { secretEnv: 'S' } }, { S: 'x' })).toEqual({
      humanCheck: {
        secret: 'x',
        verifyUrl: 'https://challenges.cloudflare.com/turnstile/v0/siteverify',
        timeoutMs: 5000,
      },
    })
  })

  it('takes attestation from a config file by variable name, and refuses a secret written in the file', () => {
    const file = (attestation: object) => ({ sites: { shop: { origins: [ORIGIN], targets: [], attestation } } })
    const parsed = parseRelayConfigFile(
      file({
        humanCheck: { secretEnv: 'TURNSTILE_SECRET_KEY' },
        sponsorWebhook: { url: 'https://shop.test/s', secretEnv: 'K' },
      }),
    )
    expect(parsed.sites.shop?.attestation).toEqual({
      humanCheck: { secretEnv: 'TURNSTILE_SECRET_KEY' },
      sponsorWebhook: { url: 'https://shop.test/s', secretEnv: 'K' },
    })
    expect(() => parseRelayConfigFile(file({ humanCheck: { secretEnv: 'K', secret: '0x4AAA' } }))).toThrow(
      'invalid relay config at sites.shop.attestation.humanCheck',
    )
    expect(() =>
      parseRelayConfigFile(file({ sponsorWebhook: { url: 'https://shop.test/s', secretEnv: 'not a name' } })),
    ).toThrow('sites.shop.attestation.sponsorWebhook.secretEnv')
  })
})

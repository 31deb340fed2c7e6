import { tagTokenAbi, vestingVaultAbi } from '@tokentags/contracts'
import { freePort } from '@tokentags/testkit'
import { encodeFunctionData } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningRelay } from '../src/index.js'
import {
  CHAIN_ID,
  claimData,
  ORIGIN,
  postRequest,
  relayer,
  SITE_KEY,
  setupChain,
  signedBody,
  startTestRelay,
  type TestChain,
  user,
  waitForFinal,
} from './helpers.js'

let chain: TestChain
let relay: RunningRelay
let scheduleId: bigint

beforeAll(async () => {
  chain = await setupChain()
  relay = await startTestRelay(chain)
  scheduleId = await chain.createVestedSchedule(user(0).address, 10n ** 18n)
})

afterAll(async () => {
  await relay?.close()
  await chain?.anvil.stop()
})

const nowSeconds = () => BigInt(Math.floor(Date.now() / 1000))
const alice = () => user(0)
const claimBody = (overrides: Partial<Parameters<typeof signedBody>[0]> = {}) =>
  signedBody({
    account: alice(),
    forwarder: chain.forwarder,
    to: chain.vestingVault,
    data: claimData(scheduleId),
    nonce: 0n,
    ...overrides,
  })

async function expectError(
  result: Promise<{ status: number; json: { error?: { code: string; message: string } } }>,
  status: number,
  code: string,
) {
  const { status: actual, json } = await result
  expect({ status: actual, code: json.error?.code }).toEqual({ status, code })
  expect(json.error?.message).toEqual(expect.any(String))
  expect(Object.keys(json)).toEqual(['error'])
}

describe('shapes', () => {
  it('GET /v1/health', async () => {
    const response = await fetch(`${relay.url}/v1/health`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      ok: true,
      chains: [{ chainId: CHAIN_ID, ok: true, blockNumber: expect.stringMatching(/^[0-9]+$/) }],
      store: { kind: 'memory', ok: true },
    })
  })

  it('GET /v1/config', async () => {
    const response = await fetch(`${relay.url}/v1/config`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      chains: [
        {
          chainId: CHAIN_ID,
          forwarder: chain.forwarder,
          relayers: [relayer.address],
          domain: { name: 'TokenTags Forwarder', version: '1' },
        },
      ],
    })
  })

  it('answers unknown routes with a JSON 404', async () => {
    const response = await fetch(`${relay.url}/v1/nope`)
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toMatch(/application\/json/)
    expect(await response.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } })
  })

  it('answers an unknown request id with 404 NOT_FOUND (status and events)', async () => {
    for (const path of ['/v1/requests/nope', '/v1/requests/nope/events']) {
      const response = await fetch(`${relay.url}${path}`)
      expect(response.status).toBe(404)
      expect((await response.json()).error.code).toBe('NOT_FOUND')
    }
  })

  it('carries a request id on every answer', async () => {
    const response = await fetch(`${relay.url}/v1/config`)
    expect(response.headers.get('x-request-id')).toMatch(/.+/)
  })

  it('GET /metrics is Prometheus text', async () => {
    const response = await fetch(`${relay.url}/metrics`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
    const text = await response.text()
    expect(text).toContain('# TYPE tokentags_relay_queue_depth gauge')
    expect(text).toMatch(/tokentags_relay_queue_depth\{chain_id="31337"\} \d+/)
    expect(text).toContain('# TYPE tokentags_relay_requests_total counter')
  })
})

describe('CORS', () => {
  it('answers a preflight from an allowed origin', async () => {
    const response = await fetch(`${relay.url}/v1/evm/${CHAIN_ID}/requests`, {
      method: 'OPTIONS',
      headers: {
        origin: ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-tokentags-site',
      },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    expect(response.headers.get('access-control-allow-headers')).toContain('x-tokentags-site')
    expect(response.headers.get('access-control-allow-methods')).toContain('POST')
  })

  it('refuses a preflight from an unknown origin', async () => {
    const response = await fetch(`${relay.url}/v1/evm/${CHAIN_ID}/requests`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.test', 'access-control-request-method': 'POST' },
    })
    expect(response.status).toBe(403)
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
    expect((await response.json()).error.code).toBe('ORIGIN_NOT_ALLOWED')
  })

  it('sets no Access-Control-Allow-Origin for an origin the site does not list', async () => {
    const response = await fetch(`${relay.url}/v1/config`, { headers: { origin: 'http://evil.test' } })
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('POST /v1/evm/:chainId/requests refuses', () => {
  it('a wrong signature (BAD_SIGNATURE)', async () => {
    const body = await claimBody({ account: user(1) })
    body.request.from = alice().address
    await expectError(postRequest(relay, body), 400, 'BAD_SIGNATURE')
  })

  it('a signature for another chain (BAD_SIGNATURE)', async () => {
    await expectError(postRequest(relay, await claimBody({ chainId: 1 })), 400, 'BAD_SIGNATURE')
  })

  it('a chain the relay does not serve (WRONG_CHAIN)', async () => {
    await expectError(postRequest(relay, await claimBody({ chainId: 1 }), { chainId: 1 }), 400, 'WRONG_CHAIN')
    await expectError(postRequest(relay, await claimBody(), { chainId: 'abc' }), 400, 'WRONG_CHAIN')
  })

  it('an expired deadline (EXPIRED)', async () => {
    await expectError(postRequest(relay, await claimBody({ deadline: nowSeconds() - 5n })), 400, 'EXPIRED')
  })

  it('a deadline absurdly far away (DEADLINE_TOO_FAR)', async () => {
    const deadline = nowSeconds() + 365n * 86_400n
    await expectError(postRequest(relay, await claimBody({ deadline })), 400, 'DEADLINE_TOO_FAR')
  })

  it('a nonce that leaves a gap (BAD_NONCE)', async () => {
    await expectError(postRequest(relay, await claimBody({ nonce: 3n })), 409, 'BAD_NONCE')
  })

  it('a target the site does not allow (TARGET_NOT_ALLOWED)', async () => {
    const data = encodeFunctionData({ abi: tagTokenAbi, functionName: 'transfer', args: [relayer.address, 1n] })
    await expectError(postRequest(relay, await claimBody({ to: chain.token, data })), 403, 'TARGET_NOT_ALLOWED')
  })

  it('a selector the site does not allow (SELECTOR_NOT_ALLOWED)', async () => {
    const data = encodeFunctionData({
      abi: vestingVaultAbi,
      functionName: 'createSchedule',
      args: [alice().address, 1n, 0n, 0n, 1n, false],
    })
    await expectError(postRequest(relay, await claimBody({ data })), 403, 'SELECTOR_NOT_ALLOWED')
    await expectError(postRequest(relay, await claimBody({ data: '0x' })), 403, 'SELECTOR_NOT_ALLOWED')
  })

  it('gas above the cap (GAS_TOO_HIGH)', async () => {
    await expectError(postRequest(relay, await claimBody({ gas: 5_000_000n })), 400, 'GAS_TOO_HIGH')
  })

  it('a request that sends value (VALUE_NOT_ALLOWED)', async () => {
    await expectError(postRequest(relay, await claimBody({ value: 1n })), 403, 'VALUE_NOT_ALLOWED')
  })

  it('a call that would revert (SIMULATION_FAILED, with the custom error)', async () => {
    const { status, json } = await postRequest(relay, await claimBody({ data: claimData(999n) }))
    expect(status).toBe(422)
    expect(json.error.code).toBe('SIMULATION_FAILED')
    expect(json.error.reason).toBe('VestingVaultUnknownSchedule')
    expect(json.error.message).toContain('VestingVaultUnknownSchedule(999)')
  })

  it('malformed JSON (INVALID_JSON)', async () => {
    await expectError(postRequest(relay, undefined, { rawBody: '{"request": ' }), 400, 'INVALID_JSON')
  })

  it('an oversized body (PAYLOAD_TOO_LARGE)', async () => {
    const body = await claimBody()
    body.request.data = `0x${'ab'.repeat(40 * 1024)}`
    await expectError(postRequest(relay, body), 413, 'PAYLOAD_TOO_LARGE')
  })

  it('missing or malformed fields (INVALID_BODY)', async () => {
    const body = await claimBody()
    const { nonce: _nonce, ...withoutNonce } = body.request
    await expectError(postRequest(relay, { ...body, request: withoutNonce }), 400, 'INVALID_BODY')
    await expectError(postRequest(relay, { request: body.request }), 400, 'INVALID_BODY')
    await expectError(postRequest(relay, { ...body, signature: body.signature.slice(0, 130) }), 400, 'INVALID_BODY')
    await expectError(postRequest(relay, { ...body, request: { ...body.request, gas: 200000 } }), 400, 'INVALID_BODY')
    await expectError(postRequest(relay, { ...body, request: { ...body.request, to: '0x1234' } }), 400, 'INVALID_BODY')
    await expectError(postRequest(relay, { ...body, request: { ...body.request, data: '0xabc' } }), 400, 'INVALID_BODY')
    const notJson = await fetch(`${relay.url}/v1/evm/${CHAIN_ID}/requests`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-tokentags-site': SITE_KEY, origin: ORIGIN },
      body: JSON.stringify(body),
    })
    expect(notJson.status).toBe(400)
    expect((await notJson.json()).error.code).toBe('INVALID_BODY')
  })

  it('a missing or unknown site key (UNKNOWN_SITE)', async () => {
    const body = await claimBody()
    await expectError(postRequest(relay, body, { site: 'pk_nope' }), 401, 'UNKNOWN_SITE')
    await expectError(postRequest(relay, body, { site: null }), 401, 'UNKNOWN_SITE')
  })

  it('an origin the site does not list (ORIGIN_NOT_ALLOWED)', async () => {
    const body = await claimBody()
    const result = await postRequest(relay, body, { origin: 'http://evil.test' })
    expect(result.headers.get('access-control-allow-origin')).toBeNull()
    await expectError(Promise.resolve(result), 403, 'ORIGIN_NOT_ALLOWED')
    await expectError(postRequest(relay, body, { origin: null }), 403, 'ORIGIN_NOT_ALLOWED')
  })

  it('lets a server-to-server site through without an Origin (then checks the request)', async () => {
    const body = await claimBody({ deadline: nowSeconds() - 5n })
    await expectError(postRequest(relay, body, { site: 'pk_server', origin: null }), 400, 'EXPIRED')
  })

  it('a nonce that is already pending (BAD_NONCE), never queueing it twice', async () => {
    const body = await claimBody()
    const first = await postRequest(relay, body)
    expect(first.status).toBe(202)
    const again = await Promise.all([postRequest(relay, body), postRequest(relay, body)])
    for (const result of again) await expectError(Promise.resolve(result), 409, 'BAD_NONCE')
    expect((await waitForFinal(relay, first.json.id)).status).toBe('confirmed')
    await expectError(postRequest(relay, body), 409, 'BAD_NONCE')
  })
})

describe('after queueing', () => {
  it('rejects a request whose deadline passes before its batch is sent', async () => {
    const dave = user(3)
    const schedule = await chain.createVestedSchedule(dave.address, 10n ** 18n)
    const body = await signedBody({
      account: dave,
      forwarder: chain.forwarder,
      to: chain.vestingVault,
      data: claimData(schedule),
      nonce: 0n,
      deadline: nowSeconds() + 2n,
    })
    const posted = await postRequest(relay, body)
    expect(posted.status).toBe(202)
    expect(await waitForFinal(relay, posted.json.id)).toEqual({
      id: posted.json.id,
      status: 'rejected',
      error: { code: 'EXPIRED', message: expect.any(String) },
    })
  })
})

describe('health when a chain is down', () => {
  it('answers 503 with the chain marked not ok', async () => {
    const deadRpc = `http://127.0.0.1:${await freePort()}`
    const down = await startTestRelay(chain, {
      chains: [{ chainId: CHAIN_ID, rpcUrl: deadRpc, forwarder: chain.forwarder, relayerPrivateKeys: [] }],
    })
    try {
      const response = await fetch(`${down.url}/v1/health`)
      expect(response.status).toBe(503)
      expect(await response.json()).toEqual({
        ok: false,
        chains: [{ chainId: CHAIN_ID, ok: false, error: expect.any(String) }],
        store: { kind: 'memory', ok: true },
      })
      // A submission that needs the chain is an outage (503), not the user's fault.
      const body = await claimBody({ nonce: 1n })
      const { status, json } = await postRequest(down, body)
      expect({ status, code: json.error.code }).toEqual({ status: 503, code: 'UPSTREAM_UNAVAILABLE' })
    } finally {
      await down.close()
    }
  })
})

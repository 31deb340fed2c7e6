// Property-based: thousands of malformed, truncated, oversized and adversarial bodies, headers and
// raw HTTP bytes. Every answer is a 4xx with the JSON error shape, and the relay stays healthy.
import { connect } from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningRelay } from '../src/index.js'
import {
  CHAIN_ID,
  claimData,
  ORIGIN,
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
/** A correctly signed body whose nonce leaves a gap: the best an attacker can replay. */
let valid: Awaited<ReturnType<typeof signedBody>>
const answers = new Map<number, number>()

beforeAll(async () => {
  chain = await setupChain()
  // Hundreds of bad requests to one site: the per-site limit (600 a minute by default) is not what this file tests.
  relay = await startTestRelay(chain, {
    limits: { perIp: false, perSender: false, perSite: false, maxBodyBytes: 8192 },
  })
  valid = await signedBody({
    account: user(0),
    forwarder: chain.forwarder,
    to: chain.vestingVault,
    data: claimData(0n),
    nonce: 5n,
  })
}, 60_000)

afterAll(async () => {
  await relay?.close()
  await chain?.anvil.stop()
})

const printable = fc.string({
  unit: fc.constantFrom(...' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~'.split('')),
  maxLength: 80,
})

interface Attempt {
  path?: string
  method?: string
  headers: Record<string, string>
  body?: string
}

async function send(attempt: Attempt): Promise<number> {
  const response = await fetch(`${relay.url}${attempt.path ?? `/v1/evm/${CHAIN_ID}/requests`}`, {
    method: attempt.method ?? 'POST',
    headers: attempt.headers,
    ...(attempt.body === undefined ? {} : { body: attempt.body }),
  })
  const text = await response.text()
  answers.set(response.status, (answers.get(response.status) ?? 0) + 1)
  if (response.status >= 400 && response.status < 500 && response.status !== 431) {
    const json = JSON.parse(text) as { error: { code: string; message: string } }
    expect(Object.keys(json)).toEqual(['error'])
    expect(json.error.code).toMatch(/^[A-Z_]+$/)
  }
  return response.status
}

const baseHeaders = () => ({ 'content-type': 'application/json', 'x-tokentags-site': SITE_KEY, origin: ORIGIN })
const is4xx = (status: number) => status >= 400 && status < 500

/** Sets `value` at a random path of a deep copy of `body`. */
function mutate(body: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string, unknown>
  let node: Record<string, unknown> = copy
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {}
    node = node[key] as Record<string, unknown>
  }
  node[path.at(-1) as string] = value
  return copy
}

const fieldPaths = [
  ['request'],
  ['signature'],
  ['request', 'from'],
  ['request', 'to'],
  ['request', 'value'],
  ['request', 'gas'],
  ['request', 'nonce'],
  ['request', 'deadline'],
  ['request', 'data'],
  ['__proto__'],
  ['constructor', 'prototype'],
]

const weirdValue = fc.oneof(
  fc.jsonValue(),
  printable,
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }).map(String),
  fc.constantFrom('0x', '0x0', `0x${'f'.repeat(64)}`, '-1', '1e18', '00', ' 1', '١٢٣', 'NaN', 'Infinity', null, [], {}),
  fc.string({ maxLength: 200 }).map((s) => `0x${Buffer.from(s).toString('hex')}`),
)

describe('bad input never costs a 5xx', () => {
  it('arbitrary JSON bodies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (body) => {
        expect(is4xx(await send({ headers: baseHeaders(), body: JSON.stringify(body) }))).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('a signed body with one field made wrong', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fieldPaths), weirdValue, async (path, value) => {
        const body = mutate(valid, path, value)
        expect(is4xx(await send({ headers: baseHeaders(), body: JSON.stringify(body) }))).toBe(true)
      }),
      { numRuns: 600 },
    )
  })

  it('truncated, padded and oversized bodies', async () => {
    const text = JSON.stringify(valid)
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.nat({ max: text.length - 1 }).map((n) => text.slice(0, n)),
          fc.nat({ max: text.length }).map((n) => `${text.slice(0, n)}\u0000${text.slice(n)}`),
          fc.integer({ min: 8200, max: 200_000 }).map((n) => `{"request":"${'a'.repeat(n)}"}`),
          fc.integer({ min: 1, max: 3000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
          fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
        ),
        async (body) => {
          expect(is4xx(await send({ headers: baseHeaders(), body }))).toBe(true)
        },
      ),
      { numRuns: 400 },
    )
  })

  it('hostile headers, methods and paths', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          contentType: fc.constantFrom(
            'application/json',
            'application/json; charset=utf-16',
            'application/json; charset=nope',
            'text/plain',
            'multipart/form-data; boundary=x',
            'application/x-www-form-urlencoded',
            '',
          ),
          encoding: fc.constantFrom(undefined, 'gzip', 'deflate', 'br', 'identity', 'x-nope', 'gzip, gzip'),
          site: fc.oneof(
            fc.constant(SITE_KEY),
            printable,
            fc.string({ minLength: 5000, maxLength: 20_000 }).map(() => 'k'.repeat(9000)),
          ),
          origin: fc.oneof(fc.constant(ORIGIN), printable, fc.constant('null')),
          requestId: fc.oneof(printable, fc.constant('../../etc/passwd'), fc.constant('x'.repeat(500))),
          chainId: fc.oneof(
            fc.constant(String(CHAIN_ID)),
            printable.map(encodeURIComponent),
            fc.constant('%zz'),
            fc.constant('99999999999999999999'),
          ),
          method: fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE', 'POST'),
          body: fc.oneof(
            fc.constant(JSON.stringify(valid)),
            fc.jsonValue().map((v) => JSON.stringify(v)),
          ),
        }),
        async (h) => {
          const headers: Record<string, string> = {
            'x-tokentags-site': h.site,
            origin: h.origin,
            'x-request-id': h.requestId,
          }
          if (h.contentType) headers['content-type'] = h.contentType
          if (h.encoding) headers['content-encoding'] = h.encoding
          const status = await send({ method: h.method, path: `/v1/evm/${h.chainId}/requests`, headers, body: h.body })
          expect(is4xx(status), `status ${status}`).toBe(true)
        },
      ),
      { numRuns: 400 },
    )
  })

  it('raw malformed HTTP', async () => {
    const { port } = new URL(relay.url)
    const raw = (bytes: Buffer) =>
      new Promise<string>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1')
        let out = ''
        socket.on('data', (d) => {
          out += d.toString('latin1')
        })
        socket.on('error', () => resolve(out))
        socket.on('close', () => resolve(out))
        socket.setTimeout(2000, () => socket.destroy())
        socket.end(bytes)
      })
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc
            .uint8Array({ minLength: 1, maxLength: 200 })
            .map((b) =>
              Buffer.concat([
                Buffer.from('POST /v1/evm/31337/requests HTTP/1.1\r\nHost: x\r\n'),
                Buffer.from(b),
                Buffer.from('\r\n\r\n'),
              ]),
            ),
          fc
            .nat({ max: 50 })
            .map((n) =>
              Buffer.from(
                `POST /v1/evm/31337/requests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${'z'.repeat(n)}\r\n{}\r\n0\r\n\r\n`,
              ),
            ),
          fc
            .nat({ max: 100 })
            .map((n) =>
              Buffer.from(
                `POST /v1/evm/31337/requests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${n + 1000}\r\nContent-Length: ${n}\r\n\r\n{}`,
              ),
            ),
        ),
        async (bytes) => {
          const answer = await raw(bytes)
          const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 400)
          answers.set(status, (answers.get(status) ?? 0) + 1)
          expect(is4xx(status), answer.slice(0, 100)).toBe(true)
        },
      ),
      { numRuns: 150 },
    )
  })

  it('is still healthy and accepts a good request afterwards', async () => {
    const health = await fetch(`${relay.url}/v1/health`)
    expect(health.status).toBe(200)
    // A claim of a real, vested schedule: after all that noise it must still be taken and run.
    const schedule = await chain.createVestedSchedule(user(0).address, 10n ** 18n)
    const good = await signedBody({
      account: user(0),
      forwarder: chain.forwarder,
      to: chain.vestingVault,
      data: claimData(schedule),
      nonce: 0n,
    })
    const response = await fetch(`${relay.url}/v1/evm/${CHAIN_ID}/requests`, {
      method: 'POST',
      headers: baseHeaders(),
      body: JSON.stringify(good),
    })
    const accepted = (await response.json()) as { id: string; status: string }
    expect(response.status, JSON.stringify(accepted)).toBe(202)
    expect(accepted).toEqual({ id: expect.any(String), status: 'queued' })
    const final = await waitForFinal(relay, accepted.id)
    expect(final).toMatchObject({ status: 'confirmed', txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) })
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: final.txHash })
    expect(receipt.status).toBe('success')
    const total = [...answers.values()].reduce((a, b) => a + b, 0)
    expect(total).toBeGreaterThan(2000)
    expect([...answers.keys()].every(is4xx)).toBe(true)
    console.info(`bad input: ${total} requests, answers ${JSON.stringify([...answers].sort())}`)
  })
})

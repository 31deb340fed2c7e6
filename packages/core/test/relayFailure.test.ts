// How core classifies what a relay answers (issue 15): real HTTP servers answering as the relay does, and a port
// nobody listens on; `relayFetch` turns each into an error, `relayFailure` says why and whether paying gas helps.
import { createServer, type Server } from 'node:http'
import { freePort } from '@tokentags/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  GaslessUnsupportedError,
  type RelayFailureKind,
  RelayOriginNotAllowedError,
  RelayRejectedError,
  RelayUnreachableError,
  relayFailure,
  UserRejectedError,
} from '../src/index.js'
import { relayFetch } from '../src/internal/relay.js'
import { RELAY_ERROR_CODES, type RelayErrorCode, type RelayErrorGroup } from '../src/protocol.js'

let server: Server
let base: string

/** `/status/<code>/<relay code>` answers that status with the relay's error body. */
beforeAll(async () => {
  server = createServer((req, res) => {
    const [, , status, code] = (req.url ?? '').split('/')
    res.writeHead(Number(status), { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: { code, message: `${code} from the test relay` } }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})

afterAll(() => new Promise((resolve) => server.close(resolve)))

const answer = (relayUrl: string, path: string) =>
  relayFetch({ relayUrl, siteKey: 'pk_test' }, path).then(
    () => undefined,
    (error: unknown) => error,
  )

/** The HTTP status a test relay answers each group's codes with (any 4xx but a 5xx for an outage). */
const STATUS: Record<RelayErrorGroup, number> = {
  unreachable: 503,
  'origin-not-allowed': 403,
  budget: 429,
  'rate-limited': 429,
  site: 403,
  policy: 403,
  request: 400,
  funnel: 400,
  'solana-pay': 400,
  embed: 404,
}

/** What core makes of each group: the first groups are kinds of their own, any other 4xx is about the request. */
const KIND: Record<RelayErrorGroup, RelayFailureKind> = {
  unreachable: 'unreachable',
  'origin-not-allowed': 'origin-not-allowed',
  budget: 'budget',
  'rate-limited': 'rate-limited',
  site: 'site',
  policy: 'policy',
  request: 'request',
  funnel: 'request',
  'solana-pay': 'request',
  embed: 'request',
}

const TYPE = {
  unreachable: RelayUnreachableError,
  'origin-not-allowed': RelayOriginNotAllowedError,
} as Partial<Record<RelayErrorGroup, typeof RelayUnreachableError | typeof RelayOriginNotAllowedError>>

// Every code the relay can answer, from the one list the relay's RelayError takes: a code missing from core's
// classifier table comes out as kind `request` here.
const EVERY_CODE = (Object.entries(RELAY_ERROR_CODES) as [RelayErrorGroup, readonly RelayErrorCode[]][]).flatMap(
  ([group, codes]) => codes.map((code) => [STATUS[group], code, group] as const),
)

describe('relay failures', () => {
  it('the list holds each code once, in one group', () => {
    const codes = EVERY_CODE.map(([, code]) => code)
    expect(codes.length).toBeGreaterThan(60)
    expect(new Set(codes).size).toBe(codes.length)
    for (const code of codes) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/)
    // Solana's names for the budget and quota before issue 12: no relay answers them any more.
    expect(codes).not.toContain('SITE_BUDGET_EXCEEDED')
    expect(codes).not.toContain('WALLET_QUOTA_EXCEEDED')
  })

  it.each(EVERY_CODE)('HTTP %s %s (group %s)', async (status, code, group) => {
    const error = await answer(base, `/status/${status}/${code}`)
    const kind = KIND[group]
    expect(error).toBeInstanceOf(TYPE[group] ?? RelayRejectedError)
    expect(relayFailure(error)).toEqual({
      kind,
      relayCode: kind === 'unreachable' ? undefined : code,
      walletCanDoIt: kind !== 'request',
      walletFallback: undefined,
    })
  })

  // Pinned apart from the list: moving a code to another group changes what widgets offer, and shows here.
  it.each([
    ['429', 'BUDGET_EXCEEDED', 'budget', true],
    ['429', 'QUOTA_EXCEEDED', 'budget', true],
    ['429', 'RATE_LIMITED', 'rate-limited', true],
    ['401', 'UNKNOWN_SITE', 'site', true],
    ['403', 'SITE_PAUSED', 'site', true],
    ['403', 'SELECTOR_NOT_ALLOWED', 'policy', true],
    ['400', 'GAS_TOO_HIGH', 'policy', true],
    ['422', 'SIMULATION_FAILED', 'request', false],
    ['400', 'BAD_SIGNATURE', 'request', false],
    ['403', 'FEE_PAYER_AS_SOURCE', 'request', false],
    // A code no relay of this version answers (the former Solana budget name) is about the request.
    ['429', 'SITE_BUDGET_EXCEEDED', 'request', false],
  ] as const)('HTTP %s %s is kind %s (wallet can do it: %s)', async (status, code, kind, wallet) => {
    const error = await answer(base, `/status/${status}/${code}`)
    expect(error).toBeInstanceOf(RelayRejectedError)
    expect(relayFailure(error)).toEqual({ kind, relayCode: code, walletCanDoIt: wallet, walletFallback: undefined })
  })

  it("core's own refusal of a chain its relay has no config for is kind policy", () => {
    const error = new RelayRejectedError({ relayCode: 'CHAIN_NOT_SUPPORTED' })
    expect(relayFailure(error)).toMatchObject({ kind: 'policy', walletCanDoIt: true })
  })

  it('a refused origin has its own code and tells the site owner what to configure', async () => {
    const error = (await answer(base, '/status/403/ORIGIN_NOT_ALLOWED')) as RelayOriginNotAllowedError
    expect(error.code).toBe('RELAY_ORIGIN_NOT_ALLOWED')
    expect(error.message).toMatch(/origins of this site key in the relay's configuration/)
  })

  it('a relay that is not listening is unreachable (a network error, no status)', async () => {
    const error = await answer(`http://127.0.0.1:${await freePort()}`, '/v1/config')
    expect(error).toBeInstanceOf(RelayUnreachableError)
    expect((error as RelayUnreachableError).status).toBe(undefined)
    expect(relayFailure(error)?.kind).toBe('unreachable')
  })

  it('a token without a gasless path can be paid from the wallet; anything else is not a relay failure', () => {
    expect(relayFailure(new GaslessUnsupportedError())).toMatchObject({ kind: 'unsupported', walletCanDoIt: true })
    expect(relayFailure(new UserRejectedError())).toBe(undefined)
    expect(relayFailure(new Error('boom'))).toBe(undefined)
  })
})

// How core classifies what a relay answers (issue 15): real HTTP servers answering as the relay does, and a port
// nobody listens on; `relayFetch` turns each into an error, `relayFailure` says why and whether paying gas helps.
import { createServer, type Server } from 'node:http'
import { freePort } from '@tokentags/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  GaslessUnsupportedError,
  RelayOriginNotAllowedError,
  RelayRejectedError,
  RelayUnreachableError,
  relayFailure,
  UserRejectedError,
} from '../src/index.js'
import { relayFetch } from '../src/internal/relay.js'

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

describe('relay failures', () => {
  it.each([
    ['503', 'STORE_UNAVAILABLE', RelayUnreachableError, 'unreachable', true],
    ['500', 'INTERNAL', RelayUnreachableError, 'unreachable', true],
    ['403', 'ORIGIN_NOT_ALLOWED', RelayOriginNotAllowedError, 'origin-not-allowed', true],
    ['429', 'BUDGET_EXCEEDED', RelayRejectedError, 'budget', true],
    ['429', 'QUOTA_EXCEEDED', RelayRejectedError, 'budget', true],
    // Solana's names for the same rules on relays before issue 12.
    ['429', 'SITE_BUDGET_EXCEEDED', RelayRejectedError, 'budget', true],
    ['429', 'WALLET_QUOTA_EXCEEDED', RelayRejectedError, 'budget', true],
    ['429', 'RATE_LIMITED', RelayRejectedError, 'rate-limited', true],
    ['403', 'UNKNOWN_SITE', RelayRejectedError, 'site', true],
    ['403', 'SITE_PAUSED', RelayRejectedError, 'site', true],
    ['403', 'SELECTOR_NOT_ALLOWED', RelayRejectedError, 'policy', true],
    ['403', 'CALLDATA_NOT_ALLOWED', RelayRejectedError, 'policy', true],
    ['400', 'GAS_TOO_HIGH', RelayRejectedError, 'policy', true],
    ['422', 'SIMULATION_FAILED', RelayRejectedError, 'request', false],
    ['400', 'BAD_SIGNATURE', RelayRejectedError, 'request', false],
    ['400', 'EXPIRED', RelayRejectedError, 'request', false],
  ] as const)('HTTP %s %s is %o, kind %s (wallet can do it: %s)', async (status, code, type, kind, wallet) => {
    const error = await answer(base, `/status/${status}/${code}`)
    expect(error).toBeInstanceOf(type)
    const failure = relayFailure(error)
    expect(failure).toEqual({
      kind,
      relayCode: kind === 'unreachable' ? undefined : code,
      walletCanDoIt: wallet,
      walletFallback: undefined,
    })
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

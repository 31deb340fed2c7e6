// The widgets' funnel: POST /v1/events counts batches per site, day, widget and kind in the ledger
// (through the outbox), refuses bad input, unknown keys and foreign origins without a row, and is rate
// limited per address and per site. A real anvil chain and a real (embedded) PostgreSQL.
import { PGlite } from '@electric-sql/pglite'
import { createPgliteLedger, type Ledger, type LedgerEntry, LedgerUnavailableError } from '@tokentags/ledger'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseRelayConfigFile } from '../src/config.js'
import { ConfigError } from '../src/configError.js'
import { resolveEvents } from '../src/events/config.js'
import type { RunningRelay } from '../src/relay.js'
import { eventually, ORIGIN, SITE_KEY, setupChain, startTestRelay, type TestChain } from './helpers.js'

const ADMIN = 'funnel-admin-token'
let chain: TestChain
let base: PGlite
const relays: RunningRelay[] = []

beforeAll(async () => {
  ;[chain, base] = await Promise.all([setupChain(), PGlite.create()])
}, 120_000)

afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()))
  await base?.close()
  await chain?.anvil.stop()
})

async function freshLedger(): Promise<Ledger> {
  return createPgliteLedger({ instance: await base.clone() })
}

async function relayWith(overrides: Parameters<typeof startTestRelay>[1] = {}): Promise<RunningRelay> {
  const relay = await startTestRelay(chain, { admin: { token: ADMIN }, ...overrides })
  relays.push(relay)
  return relay
}

interface SendOptions {
  site?: string | null
  /** Key in the query string (as `sendBeacon` sends it) instead of the header. */
  inQuery?: boolean
  origin?: string | null
  contentType?: string
  raw?: string
}

async function send(relay: RunningRelay, body: unknown, options: SendOptions = {}) {
  const site = options.site === undefined ? SITE_KEY : options.site
  const origin = options.origin === undefined ? ORIGIN : options.origin
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'text/plain;charset=UTF-8' }
  if (origin !== null) headers.origin = origin
  if (site !== null && !options.inQuery) headers['x-tokentags-site'] = site
  const query = site !== null && options.inQuery ? `?site=${encodeURIComponent(site)}` : ''
  const response = await fetch(`${relay.url}/v1/events${query}`, {
    method: 'POST',
    headers,
    body: options.raw ?? JSON.stringify(body),
  })
  const json = (await response.json()) as { accepted?: number; error?: { code: string; message: string } }
  return { status: response.status, json, headers: response.headers }
}

const claimFunnel = {
  events: [
    { widget: 'claim', kind: 'view' },
    { widget: 'claim', kind: 'connect' },
    { widget: 'claim', kind: 'submit' },
    { widget: 'claim', kind: 'success' },
    { widget: 'tip', kind: 'view' },
    { widget: 'tip', kind: 'error', code: 'USER_REJECTED' },
  ],
}

async function funnelOf(relay: RunningRelay, query = '') {
  const response = await fetch(`${relay.url}/admin/api/ledger/funnel${query}`, {
    headers: { authorization: `Bearer ${ADMIN}` },
  })
  return { status: response.status, json: (await response.json()) as Record<string, unknown> }
}

const today = () => new Date().toISOString().slice(0, 10)

describe('POST /v1/events', () => {
  it('counts a beacon (text/plain, key in the query) and a fetch (JSON, key in the header) per site, day, widget and kind', async () => {
    const ledger = await freshLedger()
    const relay = await relayWith({ ledger: { ledger, drain: { idleMs: 50 } } })
    const beacon = await send(relay, claimFunnel, { inQuery: true })
    expect(beacon.status).toBe(202)
    expect(beacon.json).toEqual({ accepted: 6 })
    // The page reads nothing back, but CORS lets it (a `fetch` without keepalive would).
    expect(beacon.headers.get('access-control-allow-origin')).toBe(ORIGIN)
    const fetched = await send(
      relay,
      {
        events: [
          { widget: 'claim', kind: 'view' },
          { widget: 'claim', kind: 'error' },
        ],
      },
      { contentType: 'application/json' },
    )
    expect(fetched.status).toBe(202)
    const day = today()
    await eventually(async () => (await ledger.funnel()).length === 2, 10_000, 'the funnel in the ledger')
    expect(await ledger.funnel()).toEqual([
      { day, site: SITE_KEY, widget: 'claim', views: 2, connects: 1, submits: 1, successes: 1, errors: 1 },
      { day, site: SITE_KEY, widget: 'tip', views: 1, connects: 0, submits: 0, successes: 0, errors: 1 },
    ])
    const admin = await funnelOf(relay, `?site=${SITE_KEY}&from=${day}`)
    expect(admin.status).toBe(200)
    expect(admin.json.days).toEqual(await ledger.funnel())
    expect(admin.json.errors).toEqual([
      { widget: 'claim', code: '', count: 1 },
      { widget: 'tip', code: 'USER_REJECTED', count: 1 },
    ])
    expect((await funnelOf(relay, '?site=pk_other')).json.days).toEqual([])
    const anonymous = await fetch(`${relay.url}/admin/api/ledger/funnel`)
    expect(anonymous.status).toBe(401)
    // Funnel beacons are not requests: none in the requests' history.
    expect(await ledger.history()).toEqual([])
  })

  it('refuses bad bodies, unknown keys and foreign origins with their codes, and counts none of them', async () => {
    const ledger = await freshLedger()
    const relay = await relayWith({ ledger: { ledger, drain: { idleMs: 50 } }, events: { maxEvents: 5 } })
    const refusals: [SendOptions & { body?: unknown }, number, string][] = [
      [{ raw: '{"events": [' }, 400, 'INVALID_JSON'],
      [{ body: [] }, 400, 'INVALID_EVENTS'],
      [{ body: { events: [] } }, 400, 'INVALID_EVENTS'],
      [{ body: { events: [{ widget: 'swap', kind: 'view' }] } }, 400, 'INVALID_EVENTS'],
      [{ body: { events: [{ widget: 'claim', kind: 'click' }] } }, 400, 'INVALID_EVENTS'],
      // No room for visitor data: an extra field refuses the batch.
      [{ body: { events: [{ widget: 'claim', kind: 'connect', address: '0xabc' }] } }, 400, 'INVALID_EVENTS'],
      [{ body: { events: [{ widget: 'claim', kind: 'view' }], user: 'u1' } }, 400, 'INVALID_EVENTS'],
      [{ body: { events: [{ widget: 'claim', kind: 'view', code: 'USER_REJECTED' }] } }, 400, 'INVALID_EVENTS'],
      [{ body: { events: [{ widget: 'claim', kind: 'error', code: 'lower case' }] } }, 400, 'INVALID_EVENTS'],
      [{ body: { events: Array(6).fill({ widget: 'claim', kind: 'view' }) } }, 400, 'TOO_MANY_EVENTS'],
      [
        { raw: JSON.stringify({ events: [{ widget: 'claim', kind: 'view' }], pad: 'x'.repeat(5000) }) },
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      [{ body: claimFunnel, site: 'pk_made_up' }, 401, 'UNKNOWN_SITE'],
      [{ body: claimFunnel, site: 'pk_made_up', inQuery: true }, 401, 'UNKNOWN_SITE'],
      [{ body: claimFunnel, site: null }, 401, 'UNKNOWN_SITE'],
      [{ body: claimFunnel, origin: 'https://evil.test' }, 403, 'ORIGIN_NOT_ALLOWED'],
      [{ body: claimFunnel, origin: null }, 403, 'ORIGIN_NOT_ALLOWED'],
    ]
    for (const [options, status, code] of refusals) {
      const answer = await send(relay, options.body, options)
      expect({ options, status: answer.status, code: answer.json.error?.code }).toEqual({ options, status, code })
      expect(typeof answer.json.error?.message).toBe('string')
    }
    // One good batch after them: the drain runs, and only it is counted.
    expect((await send(relay, { events: [{ widget: 'buy', kind: 'view' }] })).status).toBe(202)
    await eventually(async () => (await ledger.funnel()).length > 0, 10_000, 'the good batch')
    expect(await ledger.funnel()).toEqual([
      { day: today(), site: SITE_KEY, widget: 'buy', views: 1, connects: 0, submits: 0, successes: 0, errors: 0 },
    ])
    expect(await ledger.history()).toEqual([])
    expect(await ledger.refusals()).toEqual([])
  })

  it('limits batches per address and per site: 429 RATE_LIMITED past either, other sites unaffected', async () => {
    const perIp = await relayWith({
      ledger: { ledger: await freshLedger() },
      events: { perIp: { points: 3, durationSeconds: 60 }, perSite: false },
    })
    const one = { events: [{ widget: 'claim', kind: 'view' }] }
    for (let i = 0; i < 3; i++) expect((await send(perIp, one)).status).toBe(202)
    const limited = await send(perIp, one)
    expect(limited.status).toBe(429)
    expect(limited.json.error?.code).toBe('RATE_LIMITED')
    expect(limited.headers.get('retry-after')).toMatch(/^[0-9]+$/)

    const perSite = await relayWith({
      ledger: { ledger: await freshLedger() },
      events: { perIp: false, perSite: { points: 2, durationSeconds: 60 } },
      sites: {
        [SITE_KEY]: { origins: [ORIGIN], targets: [] },
        pk_second: { origins: [ORIGIN], targets: [] },
      },
    })
    for (let i = 0; i < 2; i++) expect((await send(perSite, one)).status).toBe(202)
    expect((await send(perSite, one)).json.error?.code).toBe('RATE_LIMITED')
    expect((await send(perSite, one, { site: 'pk_second' })).status).toBe(202)
    // Unknown keys take no site allowance (and make no limiter entries): still 401, never 429.
    for (let i = 0; i < 4; i++) expect((await send(perSite, one, { site: `pk_x${i}` })).status).toBe(401)
  })

  it('takes its limits from a config file, and refuses ones that make no sense', () => {
    const file = parseRelayConfigFile({
      chains: [],
      sites: {},
      events: { perIp: false, perSite: { points: 10, durationSeconds: 1 }, maxEvents: 10, maxBodyBytes: 1024 },
    })
    expect(resolveEvents(file.events)).toEqual({
      perIp: false,
      perSite: { points: 10, durationSeconds: 1 },
      maxEvents: 10,
      maxBodyBytes: 1024,
    })
    expect(() => parseRelayConfigFile({ chains: [], sites: {}, events: { maxEvents: 0 } })).toThrow(/events\.maxEvents/)
    expect(() => resolveEvents({ maxBodyBytes: 10 })).toThrow(ConfigError)
    expect(resolveEvents()).toEqual({
      perIp: { points: 120, durationSeconds: 60 },
      perSite: { points: 6000, durationSeconds: 60 },
      maxEvents: 50,
      maxBodyBytes: 4096,
    })
  })

  it('answers 404 without a ledger: nothing to count in', async () => {
    const relay = await relayWith()
    const answer = await send(relay, claimFunnel)
    expect(answer.status).toBe(404)
    expect(answer.json.error?.code).toBe('NOT_FOUND')
  })

  it('keeps batches in the outbox while the database is down and counts each once when it returns', async () => {
    const real = await freshLedger()
    let down = true
    const unavailable = () => Promise.reject(new LedgerUnavailableError('ledger (test): stopped'))
    // The database "stops" in front of a real PGlite: record and ping fail until it "starts" again.
    const ledger: Ledger = Object.assign(Object.create(real) as Ledger, {
      record: (entries: readonly LedgerEntry[]) => (down ? unavailable() : real.record(entries)),
      ping: () => (down ? unavailable() : real.ping()),
    })
    const relay = await relayWith({ ledger: { ledger, drain: { idleMs: 50, minBackoffMs: 50, maxBackoffMs: 100 } } })
    for (let i = 0; i < 5; i++) expect((await send(relay, claimFunnel)).status).toBe(202)
    expect(await relay.ledger?.outbox.size()).toBe(5)
    expect(await real.funnel()).toEqual([])
    down = false
    await eventually(async () => (await relay.ledger?.outbox.size()) === 0, 10_000, 'an empty outbox')
    expect(await real.funnel()).toEqual([
      { day: today(), site: SITE_KEY, widget: 'claim', views: 5, connects: 5, submits: 5, successes: 5, errors: 0 },
      { day: today(), site: SITE_KEY, widget: 'tip', views: 5, connects: 0, submits: 0, successes: 0, errors: 5 },
    ])
  })
})

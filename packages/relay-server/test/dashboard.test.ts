import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../src/app.js'
import { resolveLimits, resolveSites } from '../src/config.js'
import type { AppDeps } from '../src/deps.js'
import { RelayMetrics } from '../src/metrics.js'
import { createMemoryStore } from '../src/store/memory.js'

const TOKEN = 'operator-secret-token-123'

function appDeps(overrides: Partial<AppDeps> = {}): AppDeps {
  return {
    chains: new Map(),
    sites: resolveSites({
      pk_shop: { origins: ['https://shop.example'], targets: [], dailyBudgetWei: '1000000000000000000' },
      pk_free: { origins: ['*'], targets: [] },
    }),
    store: createMemoryStore(),
    logger: pino({ level: 'silent' }),
    metrics: new RelayMetrics(),
    limits: resolveLimits(),
    errorAbis: [],
    ...overrides,
  }
}

async function listen(deps: AppDeps): Promise<{ server: Server; url: string }> {
  const server = createApp(deps).listen(0, '127.0.0.1')
  await new Promise<void>((resolve) => server.once('listening', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

describe('dashboard', () => {
  let server: Server
  let url: string
  let deps: AppDeps

  beforeAll(async () => {
    deps = appDeps({ adminToken: TOKEN, dashboard: { lowBalanceWei: '1000' } })
    ;({ server, url } = await listen(deps))
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it.each([
    ['no token', undefined],
    ['a wrong token', 'Bearer operator-secret-token-124'],
    ['a token of another length', 'Bearer x'],
    ['another scheme', `Basic ${TOKEN}`],
  ])('refuses %s with 401 on every admin API route', async (_what, authorization) => {
    for (const path of ['/admin/api/overview', '/admin/api/stats', '/admin/api/sites/pk_shop']) {
      const response = await fetch(`${url}${path}`, { headers: authorization ? { authorization } : {} })
      expect(response.status, path).toBe(401)
      expect(response.headers.get('www-authenticate')).toBe('Bearer')
      expect(await response.json()).toEqual({
        error: { code: 'UNAUTHORIZED', message: 'a valid admin bearer token is required' },
      })
    }
  })

  it('serves the page without a token, under a strict CSP, never framed', async () => {
    const redirect = await fetch(`${url}/admin`, { redirect: 'manual' })
    expect(redirect.status).toBe(301)
    expect(redirect.headers.get('location')).toBe('/admin/')
    const page = await fetch(`${url}/admin/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    const csp = page.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("style-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).not.toContain('unsafe-inline')
    const html = await page.text()
    expect(html).toContain('<tokentags-dashboard></tokentags-dashboard>')
    expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/)
    expect(html).not.toMatch(/\sstyle=/)
    const app = await fetch(`${url}/admin/app.js`)
    expect(app.status).toBe(200)
    expect(app.headers.get('content-type')).toMatch(/javascript/)
    expect((await fetch(`${url}/admin/nope.js`)).status).toBe(404)
  })

  it('answers the overview from the metrics, the store and what the API refused', async () => {
    deps.metrics.status(31337, 'queued')
    deps.metrics.status(31337, 'queued')
    deps.metrics.status(31337, 'confirmed')
    deps.metrics.status(31337, 'failed')
    deps.metrics.gasSpent('pk_shop', 31337, 123_456n)
    // A refusal through the public API is remembered with its reason.
    const refused = await fetch(`${url}/v1/evm/31337/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tokentags-site': 'pk_nope' },
      body: '{}',
    })
    expect(refused.status).toBe(401)

    const response = await fetch(`${url}/admin/api/overview`, { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(response.status).toBe(200)
    const body = (await response.json()) as {
      lowBalanceWei: string
      requests: { byStatus: Record<string, number>; history: unknown[] }
      errors: { byCode: Record<string, number> }
      gas: { bySite: { site: string; chainId: number; wei: number }[]; days: string[] }
      sites: {
        key: string
        dailyBudgetWei?: string
        gasByDay: unknown[]
        today: { day: string }
      }[]
      failures: { source: string; status: number; code: string; message: string; site: string }[]
    }
    expect(body.lowBalanceWei).toBe('1000')
    expect(body.requests.byStatus).toEqual({ queued: 2, submitted: 0, confirmed: 1, failed: 1, rejected: 0 })
    expect(body.requests.history.length).toBeGreaterThan(0)
    expect(body.errors.byCode.UNKNOWN_SITE).toBe(1)
    expect(body.gas.bySite).toEqual([{ site: 'pk_shop', chainId: 31337, wei: 123456 }])
    expect(body.gas.days).toHaveLength(7)
    expect(body.gas.days.at(-1)).toBe(new Date().toISOString().slice(0, 10))
    const shop = body.sites.find((s) => s.key === 'pk_shop')
    expect(shop).toMatchObject({ dailyBudgetWei: '1000000000000000000' })
    // A relay that does not sponsor Solana shows no lamports (test/solana.test.ts: one that does).
    expect(shop).not.toHaveProperty('dailyBudgetLamports')
    expect(shop?.today).not.toHaveProperty('usedLamports')
    expect(shop?.gasByDay).toHaveLength(7)
    // A site without a budget has its gas counted all the same.
    expect(body.sites.find((s) => s.key === 'pk_free')?.gasByDay).toHaveLength(7)
    expect(body.failures[0]).toMatchObject({ source: 'api', status: 401, code: 'UNKNOWN_SITE', site: 'pk_nope' })
    expect(body.failures[0]?.message).toMatch(/unknown site key/)
  })
})

describe('dashboard: configuration', () => {
  it('does not exist without an admin token', async () => {
    const { server, url } = await listen(appDeps())
    try {
      for (const path of ['/admin/', '/admin/api/overview']) {
        expect((await fetch(`${url}${path}`, { headers: { authorization: 'Bearer x' } })).status).toBe(404)
      }
    } finally {
      server.close()
    }
  })

  it('can keep the page off while the admin API stays', async () => {
    const { server, url } = await listen(appDeps({ adminToken: TOKEN, dashboard: { enabled: false } }))
    try {
      expect((await fetch(`${url}/admin/`)).status).toBe(404)
      expect((await fetch(`${url}/admin/api/overview`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(
        200,
      )
    } finally {
      server.close()
    }
  })
})

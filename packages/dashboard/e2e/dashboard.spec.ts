import type { Locator } from '@playwright/test'
import { createPublicClient, http } from 'viem'
import { submitClaims } from './claims.js'
import { ADMIN_TOKEN, expect, SITE_KEY, test } from './stack.js'

/** `name{labels} value` lines of the Prometheus text, as a lookup. */
function parsePrometheus(text: string): (name: string, labels: Record<string, string>) => number | undefined {
  const samples: { name: string; labels: Record<string, string>; value: number }[] = []
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line)
    if (!match) continue
    const labels: Record<string, string> = {}
    for (const [, k, v] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k as string] = v as string
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) })
  }
  return (name, labels) =>
    samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value
}

const dataValue = async (locator: Locator) => Number(await locator.getAttribute('data-value'))

test('the admin API refuses a missing or wrong token with 401', async ({ request, stack }) => {
  for (const path of ['/admin/api/overview', '/admin/api/stats', `/admin/api/sites/${SITE_KEY}`]) {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token' },
      { authorization: `Bearer ${ADMIN_TOKEN}x` },
    ]
    for (const headers of attempts) {
      const response = await request.get(`${stack.relayUrl}${path}`, { headers })
      expect(response.status(), `${path} ${JSON.stringify(headers)}`).toBe(401)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED')
    }
    const ok = await request.get(`${stack.relayUrl}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(ok.status()).toBe(200)
  }
})

test('under a small load, the dashboard shows the figures of /metrics', async ({ page, request, stack }) => {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text())
  })

  // Load: claims that go through, claims refused by the simulation (before the cliff), a forged signature.
  const accepted = await submitClaims(request, stack, 'partly-vested')
  const refused = await submitClaims(request, stack, 'before-cliff')
  const forged = await submitClaims(request, stack, 'vested', true)
  expect(accepted.every((a) => a.status === 202)).toBe(true)
  expect(accepted.length).toBeGreaterThan(0)
  expect(refused.every((a) => a.status >= 400 && a.status < 500)).toBe(true)
  expect(forged.every((a) => a.status >= 400 && a.status < 500)).toBe(true)
  for (const { body } of accepted) {
    await expect
      .poll(
        async () =>
          ((await (await request.get(`${stack.relayUrl}/v1/requests/${body.id}`)).json()) as { status: string }).status,
        {
          timeout: 30_000,
        },
      )
      .toMatch(/confirmed|failed/)
  }

  // The page loads without a token and asks for one; a wrong one is refused.
  await page.goto(`${stack.relayUrl}/admin`)
  const token = page.getByLabel(/Operator token/)
  await expect(token).toBeVisible()
  await token.fill('not-the-token')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toHaveText('That token was refused.')
  await token.fill(ADMIN_TOKEN)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Requests by status' })).toBeVisible()
  expect(await page.evaluate(() => sessionStorage.getItem('tokentags.adminToken'))).toBe(ADMIN_TOKEN)
  expect(await page.evaluate(() => localStorage.length)).toBe(0)
  expect(await page.evaluate(() => document.cookie)).toBe('')

  // Nothing moves any more: refresh, then read /metrics and compare.
  await page.getByRole('button', { name: 'Refresh' }).click()
  await expect(page.locator('[data-figure="requests"][data-status="confirmed"]')).toHaveAttribute('data-value', /[1-9]/)
  const metric = parsePrometheus(await (await request.get(`${stack.relayUrl}/metrics`)).text())
  await page.getByRole('button', { name: 'Refresh' }).click()
  await page.waitForResponse((r) => r.url().endsWith('/admin/api/overview'))
  const chainId = String(stack.anvil.chainId)

  for (const status of ['queued', 'submitted', 'confirmed', 'failed', 'rejected']) {
    const cell = page.locator(`[data-figure="requests"][data-status="${status}"]`)
    const expected = metric('tokentags_relay_requests_total', { chain_id: chainId, status }) ?? 0
    await expect(cell, status).toHaveAttribute('data-value', String(expected))
  }
  expect(metric('tokentags_relay_requests_total', { chain_id: chainId, status: 'confirmed' })).toBeGreaterThanOrEqual(
    accepted.length,
  )
  await expect(page.locator(`[data-figure="queue-depth"][data-chain="${chainId}"]`)).toHaveAttribute(
    'data-value',
    String(metric('tokentags_relay_queue_depth', { chain_id: chainId }) ?? 0),
  )
  const gas = metric('tokentags_relay_gas_spent_wei_total', { site: SITE_KEY, chain_id: chainId })
  expect(gas).toBeGreaterThan(0)
  expect(await dataValue(page.locator(`[data-figure="gas"][data-site="${SITE_KEY}"]`))).toBe(gas)
  for (const code of ['SIMULATION_FAILED', 'BAD_SIGNATURE']) {
    const count = metric('tokentags_relay_http_errors_total', { code })
    if (count === undefined) continue
    await expect(page.locator(`[data-figure="errors"][data-code="${code}"]`)).toHaveAttribute(
      'data-value',
      String(count),
    )
  }
  const refusedCodes = [...refused, ...forged].map((a) => a.body.error?.code ?? '')
  for (const code of new Set(refusedCodes)) {
    expect(metric('tokentags_relay_http_errors_total', { code }), code).toBeGreaterThan(0)
    // Recent failures list the refusals with their reasons.
    await expect(page.locator(`[data-figure="failure"][data-code="${code}"]`).first()).toBeVisible()
  }

  // Sponsored gas today equals what the site's budget says it spent; the budget row agrees.
  const today = new Date().toISOString().slice(0, 10)
  const site = (await (
    await request.get(`${stack.relayUrl}/admin/api/sites/${SITE_KEY}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
  ).json()) as { today: { spentWei: string; usedWei: string } }
  await expect(page.locator(`[data-figure="gas-day"][data-site="${SITE_KEY}"][data-day="${today}"]`)).toHaveAttribute(
    'data-value',
    site.today.spentWei,
  )
  await expect(page.locator(`[data-figure="budget"][data-site="${SITE_KEY}"]`)).toHaveAttribute(
    'data-spent',
    site.today.spentWei,
  )
  expect(BigInt(site.today.spentWei)).toBe(BigInt(gas ?? 0))
  // This relay does not sponsor Solana: no lamports, no network column, a pause that speaks of no Solana
  // (solanaBudget.spec.ts: a relay that does).
  const budgets = page.locator('section', { has: page.getByRole('heading', { name: 'Site budgets today' }) })
  await expect(budgets.locator('[data-figure="budget-lamports"]')).toHaveCount(0)
  await expect(budgets.getByRole('columnheader', { name: 'network' })).toHaveCount(0)
  await expect(budgets).not.toContainText(/SOL|Solana|lamport/)
  await expect(budgets.getByRole('button', { name: `Pause ${SITE_KEY}` })).toHaveAccessibleDescription(
    'Pause turns away the site’s new requests on every relay instance. Resume takes them again.',
  )

  // Relayer balance as on chain, with the low-balance warning (threshold set above anvil's 10,000 ETH).
  const chain = createPublicClient({ transport: http(stack.anvil.rpcUrl) })
  const row = page.locator(`[data-figure="relayer"][data-relayer="${stack.relayer.toLowerCase()}"]`)
  await expect(row.locator('[data-figure="balance"]')).toHaveAttribute(
    'data-value',
    String(await chain.getBalance({ address: stack.relayer })),
  )
  await expect(row.getByText('Low balance')).toBeVisible()
  await expect(page.locator('svg.chart').first()).toBeVisible()

  // The operator can pause a site (every instance refuses its requests) and resume it.
  const budgetRow = page.locator(`[data-figure="budget"][data-site="${SITE_KEY}"]`)
  await budgetRow.getByRole('button', { name: `Pause ${SITE_KEY}` }).click()
  await expect(budgetRow.getByText('paused')).toBeVisible()
  const siteState = async () =>
    (
      (await (
        await request.get(`${stack.relayUrl}/admin/api/sites/${SITE_KEY}`, {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        })
      ).json()) as { paused: boolean }
    ).paused
  expect(await siteState()).toBe(true)
  await budgetRow.getByRole('button', { name: `Resume ${SITE_KEY}` }).click()
  await expect(budgetRow.getByText('active')).toBeVisible()
  expect(await siteState()).toBe(false)

  // Signing out forgets the token.
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(token).toBeVisible()
  expect(await page.evaluate(() => sessionStorage.getItem('tokentags.adminToken'))).toBeNull()
  expect(problems).toEqual([])
})

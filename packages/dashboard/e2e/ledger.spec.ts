// The dashboard reading the ledger (issue 16): a stack with a PostgreSQL ledger and LiteSVM behind
// the relay's Solana API; after EVM claims, a Solana tip and refusals, the page shows the history per
// day and site (EVM beside Solana), refusals by code, charts whose axes fit their data, the filters
// and a request's timeline; the admin routes answer only with the token.
import type { Locator } from '@playwright/test'
import { submitClaims } from './claims.js'
import { ledgerStackTest, postSolTip } from './ledgerStack.js'
import { ADMIN_TOKEN, expect, SITE_KEY, SOLANA_CHAIN, SOLANA_SITE_KEY } from './stack.js'

const test = ledgerStackTest()

/** The chart's plot area is 150 of the viewBox's 180 units (charts.ts: H 180, padding 8 + 22). */
const PLOT = 150

async function tallestBar(chart: Locator): Promise<number> {
  const heights = await chart
    .locator('rect.bar')
    .evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('height'))))
  return Math.max(0, ...heights)
}

test('the ledger history, refusals, fitted axes, filters and a timeline', async ({ page, request, stack }) => {
  const ledger = stack.ledger
  const solana = stack.solana
  if (!ledger || !solana) throw new TypeError('the stack has no ledger or no Solana')
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text())
  })

  // EVM: claims that go through, and a forged signature refused with its code.
  const accepted = await submitClaims(request, stack, 'vested')
  const forged = await submitClaims(request, stack, 'partly-vested', true)
  expect(accepted.length).toBeGreaterThan(0)
  expect(accepted.every((a) => a.status === 202)).toBe(true)
  const forgedCode = forged[0]?.body.error?.code
  expect(forgedCode).toBeTruthy()

  // Solana: a sponsored SOL tip, and a malformed transaction refused.
  const tip = await postSolTip(request, stack)
  expect(tip.status()).toBe(202)
  const tipId = ((await tip.json()) as { id: string }).id
  const bad = await request.post(`${stack.relayUrl}/v1/solana/transactions`, {
    headers: { 'x-tokentags-site': SOLANA_SITE_KEY, origin: stack.allowedHost },
    data: { transaction: 'bm90IGEgdHJhbnNhY3Rpb24=' },
  })
  expect(bad.status()).toBe(400)

  const evmId = accepted[0]?.body.id as string
  for (const id of [...accepted.map((a) => a.body.id as string), tipId]) {
    await expect
      .poll(async () => (await ledger.timeline(id))?.stages.some((s) => s.stage === 'settled') ?? false, {
        timeout: 30_000,
      })
      .toBe(true)
  }

  // The admin routes: the token is required, the query is checked, an unknown id is a 404.
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` }
  expect((await request.get(`${stack.relayUrl}/admin/api/ledger/history`)).status()).toBe(401)
  expect((await request.get(`${stack.relayUrl}/admin/api/ledger/requests/${evmId}`)).status()).toBe(401)
  const badFrom = await request.get(`${stack.relayUrl}/admin/api/ledger/history?from=yesterday`, { headers: auth })
  expect(badFrom.status()).toBe(400)
  expect(((await badFrom.json()) as { error: { code: string } }).error.code).toBe('INVALID_BODY')
  const unknown = await request.get(`${stack.relayUrl}/admin/api/ledger/requests/nope`, { headers: auth })
  expect(unknown.status()).toBe(404)
  expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND')

  await page.goto(`${stack.relayUrl}/admin`)
  await page.getByLabel(/Operator token/).fill(ADMIN_TOKEN)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Ledger history' })).toBeVisible()

  // EVM beside Solana, per day and site, with the counts the ledger holds.
  const today = new Date().toISOString().slice(0, 10)
  const evmRow = page.locator(
    `[data-figure="ledger-day"][data-kind="evm"][data-site="${SITE_KEY}"][data-day="${today}"]`,
  )
  const solRow = page.locator(
    `[data-figure="ledger-day"][data-kind="solana"][data-site="${SOLANA_SITE_KEY}"][data-day="${today}"]`,
  )
  await expect(evmRow).toHaveAttribute('data-requests', String(accepted.length + forged.length))
  await expect(solRow).toHaveAttribute('data-requests', '2')
  await expect(solRow).toHaveAttribute('data-chain', SOLANA_CHAIN)
  const evmFee = BigInt((await evmRow.getAttribute('data-fee')) ?? '0')
  expect(evmFee).toBeGreaterThan(0n)
  // The finding: a day's fee well under 1 ETH must still fill its chart, not be a sub-pixel bar.
  expect(evmFee).toBeLessThan(10n ** 16n)
  const evmChart = page.getByRole('img', { name: 'EVM fees per day in ether' })
  const solChart = page.getByRole('img', { name: 'Solana fees per day in SOL' })
  expect(await tallestBar(evmChart)).toBeGreaterThan(PLOT / 2)
  expect(await tallestBar(solChart)).toBeGreaterThan(PLOT / 2)
  // The overview's "Sponsored gas per site and day" chart, the one in the finding, scales the same way.
  expect(
    await tallestBar(page.getByRole('img', { name: 'Sponsored gas per day, all sites, in ether' })),
  ).toBeGreaterThan(PLOT / 2)
  const refusals = page.getByRole('img', { name: 'Refusals by code' })
  await expect(refusals.locator('text.axis', { hasText: forgedCode as string })).toBeVisible()

  // Filters: the Solana chain alone, then confirmed only.
  const ledgerView = page.locator('tokentags-ledger')
  await ledgerView.getByLabel('chain').fill(SOLANA_CHAIN)
  await ledgerView.getByRole('button', { name: 'Apply' }).click()
  await expect(evmRow).toHaveCount(0)
  await expect(solRow).toHaveAttribute('data-requests', '2')
  await ledgerView.getByLabel('status').selectOption('confirmed')
  await ledgerView.getByRole('button', { name: 'Apply' }).click()
  await expect(solRow).toHaveAttribute('data-requests', '1')
  await ledgerView.getByLabel('chain').fill('')
  await ledgerView.getByLabel('status').selectOption('')
  await ledgerView.getByLabel('site').fill(SITE_KEY)
  await ledgerView.getByRole('button', { name: 'Apply' }).click()
  await expect(solRow).toHaveCount(0)
  await expect(evmRow).toHaveAttribute('data-requests', String(accepted.length + forged.length))

  // A request's timeline by id.
  await ledgerView.getByLabel('request id').fill(evmId)
  await ledgerView.getByRole('button', { name: 'Show' }).click()
  await expect(ledgerView.locator('[data-figure="timeline"]')).toHaveAttribute('data-status', 'confirmed')
  const stages = await ledgerView
    .locator('[data-figure="stage"]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-stage')))
  expect(stages).toEqual(['received', 'simulated', 'admitted', 'batched', 'submitted', 'confirmed', 'settled'])
  expect(problems).toEqual([])
})

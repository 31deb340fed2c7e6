// The widgets' funnel in the operator dashboard (issue 16): batches posted to POST /v1/events as a
// page's sendBeacon posts them (text/plain, the site key in the query, the page's Origin) are counted
// in the PostgreSQL ledger and shown per widget kind (views → connects → submits → successes, with
// errors by code), filtered by site and day range.
import { test as base } from '@playwright/test'
import { ADMIN_TOKEN, expect, SITE_KEY, type Stack, startStack } from './stack.js'

const test = base.extend<object, { stack: Stack }>({
  stack: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
    async ({}, use) => {
      const stack = await startStack({ ledger: true })
      await use(stack)
      await stack.stop()
    },
    { scope: 'worker', timeout: 120_000 },
  ],
})

type Event = { widget: 'claim' | 'tip' | 'buy'; kind: string; code?: string }
const times = (n: number, event: Event): Event[] => Array.from({ length: n }, () => event)

test('the funnel per widget kind, with errors by code, filtered by site and days', async ({ page, request, stack }) => {
  const ledger = stack.ledger
  if (!ledger) throw new TypeError('the stack has no ledger')
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text())
  })
  const beacon = (events: Event[], origin = stack.allowedHost) =>
    request.post(`${stack.relayUrl}/v1/events?site=${SITE_KEY}`, {
      headers: { 'content-type': 'text/plain;charset=UTF-8', origin },
      data: JSON.stringify({ events }),
    })
  const batches = [
    [
      ...times(8, { widget: 'claim', kind: 'view' }),
      ...times(5, { widget: 'claim', kind: 'connect' }),
      ...times(3, { widget: 'claim', kind: 'submit' }),
      ...times(2, { widget: 'claim', kind: 'success' }),
      { widget: 'claim', kind: 'error', code: 'USER_REJECTED' },
    ],
    [
      ...times(4, { widget: 'tip', kind: 'view' }),
      { widget: 'tip', kind: 'connect' },
      { widget: 'tip', kind: 'error', code: 'NO_WALLET' },
      { widget: 'tip', kind: 'error', code: 'NO_WALLET' },
    ],
  ] satisfies Event[][]
  for (const events of batches) expect((await beacon(events)).status()).toBe(202)
  // A page the site does not list is refused and counted nowhere.
  expect((await beacon(times(9, { widget: 'buy', kind: 'view' }), stack.foreignHost)).status()).toBe(403)
  await expect.poll(async () => (await ledger.funnel()).length, { timeout: 30_000 }).toBe(2)

  // The admin route wants the token.
  expect((await request.get(`${stack.relayUrl}/admin/api/ledger/funnel`)).status()).toBe(401)

  await page.goto(`${stack.relayUrl}/admin`)
  await page.getByLabel(/Operator token/).fill(ADMIN_TOKEN)
  await page.getByRole('button', { name: 'Sign in' }).click()
  const view = page.locator('tokentags-funnel')
  await expect(view.getByRole('heading', { name: 'Widget funnel' })).toBeVisible()
  const claim = view.locator('[data-figure="funnel"][data-widget="claim"]')
  const tip = view.locator('[data-figure="funnel"][data-widget="tip"]')
  for (const [row, figures] of [
    [claim, { views: 8, connects: 5, submits: 3, successes: 2, errors: 1 }],
    [tip, { views: 4, connects: 1, submits: 0, successes: 0, errors: 2 }],
  ] as const) {
    for (const [name, value] of Object.entries(figures))
      await expect(row).toHaveAttribute(`data-${name}`, String(value))
  }
  // No buy widget reported: no empty funnel for it.
  await expect(view.locator('[data-figure="funnel"][data-widget="buy"]')).toHaveCount(0)
  await expect(claim.locator('td').last()).toHaveText('25 %')
  // One chart per widget kind; the views bar is the tallest and fills most of the plot (150 units).
  const claimChart = view.getByRole('img', { name: 'Funnel of claim widgets' })
  const heights = await claimChart
    .locator('rect.bar')
    .evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('height'))))
  expect(heights).toHaveLength(5)
  expect(Math.max(...heights)).toBe(heights[0])
  expect(heights[0]).toBeGreaterThan(75)
  await expect(view.getByRole('img', { name: 'Funnel of tip widgets' })).toBeVisible()
  await expect(view.locator('[data-figure="funnel-error"][data-code="NO_WALLET"]')).toHaveAttribute('data-count', '2')
  await expect(view.locator('[data-figure="funnel-error"][data-code="USER_REJECTED"]')).toHaveAttribute(
    'data-widget',
    'claim',
  )

  // Filters: another site has nothing; a range that ends before today has nothing; today has it all.
  const today = new Date().toISOString().slice(0, 10)
  await view.getByLabel('site').fill('pk_someone_else')
  await view.getByRole('button', { name: 'Apply' }).click()
  await expect(view.getByText('No widget events under these filters.')).toBeVisible()
  await view.getByLabel('site').fill(SITE_KEY)
  await view.getByLabel('to (exclusive)').fill(today)
  await view.getByRole('button', { name: 'Apply' }).click()
  await expect(view.getByText('No widget events under these filters.')).toBeVisible()
  await view.getByLabel('to (exclusive)').fill('')
  await view.getByLabel('from').fill(today)
  await view.getByRole('button', { name: 'Apply' }).click()
  await expect(claim).toHaveAttribute('data-views', '8')
  expect(problems).toEqual([])
})

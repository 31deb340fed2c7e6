// The site budgets of a relay that sponsors Solana (LiteSVM behind its Solana API, no ledger): after a sponsored SOL
// tip, each site's lamports today (used, left, budget) beneath its wei, as the admin API answers them, in SOL to the
// lamport; the pause control says it covers both networks, and a site paused from the page refuses a SOL tip.
// dashboard.spec.ts checks that a relay without Solana shows none of this.
import { test as base, type Page } from '@playwright/test'
import { postSolTip } from './ledgerStack.js'
import { ADMIN_TOKEN, expect, SITE_KEY, SOLANA_SITE_KEY, type Stack, startStack } from './stack.js'

const test = base.extend<object, { stack: Stack }>({
  stack: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright's fixture signature
    async ({}, use) => {
      const stack = await startStack({ solana: true })
      await use(stack)
      await stack.stop()
    },
    { scope: 'worker', timeout: 120_000 },
  ],
})

interface SiteView {
  paused: boolean
  dailyBudgetLamports?: string
  today: { usedWei: string; usedLamports?: string; remainingLamports?: string }
}

/** Lamports as the page should print them, computed apart from src/format.ts: 10000 → "0.00001 SOL". */
const solText = (lamports: string) => `${(Number(lamports) / 1e9).toFixed(9).replace(/\.?0+$/, '')} SOL`

async function signIn(page: Page, relayUrl: string) {
  await page.goto(`${relayUrl}/admin`)
  await page.getByLabel(/Operator token/).fill(ADMIN_TOKEN)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('heading', { name: 'Site budgets today' })).toBeVisible()
}

test("each site's Solana lamports today beside its wei, and a pause that covers both networks", async ({
  page,
  request,
  stack,
}) => {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text())
  })
  const site = async (key: string) => {
    const response = await request.get(`${stack.relayUrl}/admin/api/sites/${key}`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    expect(response.status()).toBe(200)
    return (await response.json()) as SiteView
  }

  const tip = await postSolTip(request, stack)
  expect(tip.status(), await tip.text()).toBe(202)
  const { id } = (await tip.json()) as { id: string }
  await expect
    .poll(
      async () =>
        ((await (await request.get(`${stack.relayUrl}/v1/requests/${id}`)).json()) as { status: string }).status,
      { timeout: 30_000 },
    )
    .toBe('confirmed')

  const view = await site(SOLANA_SITE_KEY)
  const { usedLamports, remainingLamports } = view.today
  const budget = view.dailyBudgetLamports
  if (usedLamports === undefined || remainingLamports === undefined || budget === undefined)
    throw new TypeError(`the relay sponsors Solana but answered no lamports: ${JSON.stringify(view)}`)
  // The tip's fees: lamports, not wei (the site has no EVM targets, its wei stay at 0).
  expect(BigInt(usedLamports)).toBeGreaterThan(0n)
  expect(view.today.usedWei).toBe('0')

  await signIn(page, stack.relayUrl)
  const budgets = page.locator('section', { has: page.getByRole('heading', { name: 'Site budgets today' }) })
  await expect(budgets.getByRole('columnheader', { name: 'network' })).toBeVisible()
  const row = budgets.locator(`[data-figure="budget-lamports"][data-site="${SOLANA_SITE_KEY}"]`)
  await expect(row).toHaveAttribute('data-used', usedLamports)
  await expect(row).toHaveAttribute('data-remaining', remainingLamports)
  await expect(row).toHaveAttribute('data-budget', budget)
  // used, spent (not reported apart for Solana), left, budget: in SOL, the exact lamports in the tooltip.
  const cells = row.locator('td.num')
  await expect(cells).toHaveText([solText(usedLamports), '—', solText(remainingLamports), solText(budget)])
  await expect(cells.first()).toHaveAttribute('title', `${BigInt(usedLamports).toLocaleString('en-US')} lamports`)
  await expect(row.getByRole('img', { name: `${SOLANA_SITE_KEY}: Solana budget used today` })).toBeVisible()
  await expect(row.getByRole('cell', { name: 'Solana', exact: true })).toBeVisible()
  // The EVM site has its lamports too (every site gets the default budget), none used today.
  const evmSite = await site(SITE_KEY)
  const evmRow = budgets.locator(`[data-figure="budget-lamports"][data-site="${SITE_KEY}"]`)
  await expect(evmRow).toHaveAttribute('data-used', evmSite.today.usedLamports ?? 'absent')
  await expect(evmRow.locator('td.num').first()).toHaveText('0 SOL')

  // One pause for both networks: the control says so, and a SOL tip of the paused site is refused.
  const solRow = budgets.locator(`[data-figure="budget"][data-site="${SOLANA_SITE_KEY}"]`)
  const pause = solRow.getByRole('button', { name: `Pause ${SOLANA_SITE_KEY}` })
  await expect(pause).toHaveAccessibleDescription(/both networks: EVM requests, Solana transactions and Solana Pay/)
  await pause.click()
  await expect(solRow.getByText('paused')).toBeVisible()
  expect((await site(SOLANA_SITE_KEY)).paused).toBe(true)
  const refused = await postSolTip(request, stack)
  expect(refused.status()).toBe(403)
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('SITE_PAUSED')
  await solRow.getByRole('button', { name: `Resume ${SOLANA_SITE_KEY}` }).click()
  await expect(solRow.getByText('active')).toBeVisible()
  expect((await site(SOLANA_SITE_KEY)).paused).toBe(false)
  expect(problems).toEqual([])
})

// The dashboard's ledger history and widget funnel after EVM and Solana activity (issue 16), compared with the
// baselines in e2e/screenshots.spec.ts-snapshots/ (Debian's chromium, the flags of playwright.config.ts). What
// changes from run to run is masked: the day, the fees (gas prices move with the blocks), the times to confirmation
// and the fee charts (their bars and the day under them); counts, codes, statuses, gas and lamports are not.
// After an intended change of the look: npx playwright test e2e/screenshots.spec.ts --update-snapshots
import { submitClaims } from './claims.js'
import { ledgerStackTest, postSolTip } from './ledgerStack.js'
import { ADMIN_TOKEN, expect, SITE_KEY } from './stack.js'

const test = ledgerStackTest()

test.use({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 })

// 0.2 % of the pixels: one chart's bar in another colour (a few thousand) is well above it; rendering on one
// machine and browser is exact, and what moves is masked.
const shot = { animations: 'disabled', caret: 'hide', scale: 'css', maxDiffPixelRatio: 0.002 } as const

test('the ledger history and the widget funnel after EVM and Solana activity match their baselines', async ({
  page,
  request,
  stack,
}) => {
  const { ledger, solana } = stack
  if (!ledger || !solana) throw new TypeError('the stack has no ledger or no Solana')
  // EVM: claims that go through and a forged one refused.
  const accepted = await submitClaims(request, stack, 'vested')
  const forged = await submitClaims(request, stack, 'partly-vested', true)
  expect(accepted.every((a) => a.status === 202)).toBe(true)
  expect(forged.every((a) => a.status >= 400)).toBe(true)
  // Solana: a sponsored SOL tip.
  const tip = await postSolTip(request, stack)
  expect(tip.status()).toBe(202)
  const tipId = ((await tip.json()) as { id: string }).id
  // The widgets' funnel of the same page.
  const events = [
    ...Array(6).fill({ widget: 'claim', kind: 'view' }),
    ...Array(4).fill({ widget: 'claim', kind: 'connect' }),
    ...Array(3).fill({ widget: 'claim', kind: 'submit' }),
    ...Array(3).fill({ widget: 'claim', kind: 'success' }),
    ...Array(5).fill({ widget: 'tip', kind: 'view' }),
    { widget: 'tip', kind: 'connect' },
    { widget: 'tip', kind: 'error', code: 'USER_REJECTED' },
  ]
  const beacon = await request.post(`${stack.relayUrl}/v1/events?site=${SITE_KEY}`, {
    headers: { 'content-type': 'text/plain;charset=UTF-8', origin: stack.allowedHost },
    data: JSON.stringify({ events }),
  })
  expect(beacon.status()).toBe(202)
  for (const id of [...accepted.map((a) => a.body.id as string), tipId]) {
    await expect
      .poll(async () => (await ledger.timeline(id))?.stages.some((s) => s.stage === 'settled') ?? false, {
        timeout: 30_000,
      })
      .toBe(true)
  }
  await expect.poll(async () => (await ledger.funnel()).length, { timeout: 30_000 }).toBe(2)

  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' })
  await page.goto(`${stack.relayUrl}/admin`)
  await page.getByLabel(/Operator token/).fill(ADMIN_TOKEN)
  await page.getByRole('button', { name: 'Sign in' }).click()
  const history = page.locator('tokentags-ledger')
  await expect(history.locator('[data-figure="ledger-day"]')).toHaveCount(2)
  await expect(history.getByRole('img', { name: 'Refusals by code' })).toBeVisible()
  const volatile = [1, 11, 12, 13].map((n) => history.locator(`[data-figure="ledger-day"] td:nth-child(${n})`))
  await expect(history).toHaveScreenshot('ledger-history.png', {
    ...shot,
    mask: [
      ...volatile,
      history.getByRole('img', { name: 'EVM fees per day in ether' }),
      history.getByRole('img', { name: 'Solana fees per day in SOL' }),
    ],
  })
  const funnel = page.locator('tokentags-funnel')
  await expect(funnel.locator('[data-figure="funnel"]')).toHaveCount(2)
  // Counts only, no day, no amount: nothing to mask.
  await expect(funnel).toHaveScreenshot('widget-funnel.png', shot)
})

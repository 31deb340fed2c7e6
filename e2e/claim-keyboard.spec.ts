import { expect, pressTabUntilFocused, test, watchCspViolations, widgetOutcome } from './fixtures.js'

// The whole claim, by keyboard alone, on the demo page served with
// `default-src 'self'; script-src 'self'; style-src 'self'` (no unsafe-inline, no unsafe-eval).
test('claim with the keyboard only, under a strict Content-Security-Policy', async ({ page, stack }) => {
  const { deployment } = stack
  const beneficiary = deployment.accounts.find((a) => a.role === 'partly-vested')
  if (!beneficiary) throw new Error('no partly-vested dev account in the deployment')

  const violations = await watchCspViolations(page)
  const response = await page.goto(`${deployment.pageUrl}?account=${beneficiary.address}`)
  const csp = response?.headers()['content-security-policy'] ?? ''
  expect(csp).toContain("script-src 'self'")
  expect(csp).toContain("style-src 'self'")
  expect(csp).not.toContain('unsafe-inline')
  expect(csp).not.toContain('unsafe-eval')

  const widget = page.locator('token-claim')
  const walletButton = widget.getByRole('button', { name: /TokenTags Dev Wallet/ })
  await expect(walletButton).toBeVisible()
  // Tab from the top of the document until the wallet button has focus: no mouse anywhere.
  await pressTabUntilFocused(page, walletButton)
  await page.keyboard.press('Enter')

  const action = widget.locator('[part~="action"]')
  await expect(action).toHaveText(/claim/i)
  await expect(action)
    .toBeFocused({ timeout: 1_000 })
    .catch(async () => pressTabUntilFocused(page, action))
  const success = widgetOutcome(page, 'token-claim')
  await page.keyboard.press('Space')
  const detail = await success
  expect(detail.via).toBe('relay')
  // The outcome is announced through the widget's live region.
  await expect(widget.locator('[role="status"]')).toContainText(/claimed/i)
  expect(await violations()).toEqual([])
})

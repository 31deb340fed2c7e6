import { expect, test } from './fixtures.js'

test('the built Vue app renders <token-claim>, listens to its events and switches its language', async ({
  page,
  app,
}) => {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(app.url)
  // No wallet in this browser: the widget says so (its shadow DOM, pierced by the locator).
  await expect(page.locator('token-claim [part~="status"]')).toHaveText('No wallet found.')
  await expect(page.getByTestId('status')).toHaveText('Widget status: no-wallet')
  // A bound attribute: Arabic, right to left.
  await page.getByLabel('Language').selectOption('ar')
  await expect(page.locator('token-claim [part~="status"]')).toHaveText('لم يُعثر على محفظة.')
  await expect(page.locator('token-claim')).toHaveAttribute('dir', 'rtl')
  expect(errors).toEqual([])
})

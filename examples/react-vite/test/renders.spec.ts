import { expect, test } from './fixtures.js'

test('the built app renders <token-claim> through the React wrapper, with its events', async ({ page, app }) => {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(app.url)
  // No wallet in this browser: the widget says so (its shadow DOM, pierced by the locator).
  await expect(page.locator('token-claim [part~="status"]')).toHaveText('No wallet found.')
  await expect(page.getByRole('button', { name: 'Check again' })).toBeVisible()
  // onTokenStatus (a typed React prop) reached the app.
  await expect(page.getByTestId('status')).toHaveText('Widget status: no-wallet')
  // Props are forwarded: theme="dark" reaches the element.
  await page.getByLabel('Theme').selectOption('dark')
  await expect(page.locator('token-claim')).toHaveAttribute('theme', 'dark')
  expect(await page.locator('tokentags-config').evaluate((el) => getComputedStyle(el).display)).toBe('none')
  expect(errors).toEqual([])
})

import { devices } from '@playwright/test'
import { expect, test } from './fixtures.js'

// A phone without a wallet browser (Playwright's Pixel 7: mobile user agent, touch, 412×915) on the demo page,
// its dev wallet script left out: the widgets offer links into wallet apps, and a tap navigates at once. On Android a
// Solana tip connects through the Mobile Wallet Adapter (installed wallet apps answer it), so it lists that wallet,
// and beside it the links into the Solana wallet apps; an iPhone, which has no MWA, gets the links alone.
const { defaultBrowserType: _browser, ...pixel } = devices['Pixel 7']
const { defaultBrowserType: _webkit, ...iPhone } = devices['iPhone 14']
test.use(pixel)

test('on a phone without a wallet, a tap on "Open in MetaMask" navigates to the deep link carrying the page', async ({
  page,
  stack,
}) => {
  // No dev wallet: a phone browser with nothing injected.
  await page.route('**/dev-wallet.js', (route) =>
    route.fulfill({ contentType: 'text/javascript', body: '// no wallet on this phone' }),
  )
  const opened: string[] = []
  await page.route('https://metamask.app.link/**', (route) => {
    opened.push(route.request().url())
    return route.fulfill({ contentType: 'text/html', body: '<title>MetaMask</title>' })
  })
  await page.goto(new URL('?from=e2e', stack.deployment.pageUrl).href)
  const claim = page.locator('token-claim')
  await expect(claim.locator('[role="status"]')).toHaveText('No wallet found.')
  const metaMask = claim.getByRole('link', { name: 'Open in MetaMask' })
  await expect(claim.getByRole('link', { name: /^Open in / })).toHaveCount(4)
  const sol = page.locator('#tip-sol')
  await expect(sol.getByRole('button', { name: 'Mobile Wallet Adapter' })).toBeVisible()
  await expect(sol.getByRole('link', { name: /^Open in / })).toHaveCount(3)
  const phantom = new URL((await sol.getByRole('link', { name: 'Open in Phantom' }).getAttribute('href')) ?? '')
  expect(phantom.origin).toBe('https://phantom.app')
  expect(decodeURIComponent(phantom.pathname)).toContain(page.url())

  const url = new URL(page.url())
  const request = page.waitForRequest(/metamask\.app\.link/)
  await metaMask.tap()
  // The navigation request left with the tap itself: no handler in between that could await first.
  expect((await request).url()).toBe(`https://metamask.app.link/dapp/${url.host}${url.pathname}${url.search}`)
  await expect(page).toHaveTitle('MetaMask')
  expect(opened).toHaveLength(1)
})

test.describe('on an iPhone', () => {
  test.use(iPhone)

  test('a Solana tip without a wallet offers the Solana wallet apps, each link carrying the page', async ({
    page,
    stack,
  }) => {
    await page.route('**/dev-wallet.js', (route) =>
      route.fulfill({ contentType: 'text/javascript', body: '// no wallet on this phone' }),
    )
    await page.goto(new URL('?from=e2e', stack.deployment.pageUrl).href)
    const sol = page.locator('#tip-sol')
    const phantom = sol.getByRole('link', { name: 'Open in Phantom' })
    await expect(phantom).toBeVisible()
    await expect(sol.getByRole('link', { name: /^Open in / })).toHaveCount(3)
    await expect(sol.getByRole('button', { name: 'Mobile Wallet Adapter' })).toHaveCount(0)
    const href = new URL((await phantom.getAttribute('href')) ?? '')
    expect(href.origin).toBe('https://phantom.app')
    expect(decodeURIComponent(href.pathname)).toContain(page.url())
  })
})

import { type Address, createPublicClient, erc20Abi, http, parseUnits } from 'viem'
import { expect, pressTabUntilFocused, test, watchCspViolations, widgetOutcome } from './fixtures.js'

// Tip and buy by keyboard alone, on the demo page under its strict Content-Security-Policy.
test.describe('keyboard only, strict CSP', () => {
  test('tip TAG with Tab, Enter and Space', async ({ page, stack }) => {
    const { deployment } = stack
    const visitor = deployment.accounts.find((a) => a.role === 'partly-vested')?.address as Address
    const creator = deployment.accounts.find((a) => a.role === 'deployer')?.address as Address
    const chain = createPublicClient({ transport: http(deployment.rpcUrl) })
    const creatorTag = () =>
      chain.readContract({
        address: deployment.contracts.token,
        abi: erc20Abi,
        functionName: 'balanceOf',
        args: [creator],
      })
    const before = await creatorTag()
    const violations = await watchCspViolations(page)
    await page.goto(`${deployment.pageUrl}?account=${visitor}`)

    const widget = page.locator('#tip-tag')
    await pressTabUntilFocused(page, widget.getByRole('button', { name: /TokenTags Dev Wallet/ }))
    await page.keyboard.press('Enter')
    const preset = widget.locator('[part~="preset"]').nth(1) // "5 TAG"
    await pressTabUntilFocused(page, preset)
    await page.keyboard.press('Enter')
    const action = widget.locator('[part~="action"]')
    await expect(action).toBeEnabled()
    await pressTabUntilFocused(page, action)
    const done = widgetOutcome(page, '#tip-tag')
    await page.keyboard.press('Space')
    expect((await done).via).toBe('relay')
    await expect(widget.locator('[role="status"]')).toContainText(/5/)

    expect((await creatorTag()) - before).toBe(parseUnits('5', 18))
    expect(await violations()).toEqual([])
  })

  test('buy with USDC by typing an amount and pressing Enter', async ({ page, stack }) => {
    const { deployment } = stack
    const buyer = deployment.accounts.find((a) => a.role === 'vested')?.address as Address
    const chain = createPublicClient({ transport: http(deployment.rpcUrl) })
    const tag = () =>
      chain.readContract({
        address: deployment.contracts.token,
        abi: erc20Abi,
        functionName: 'balanceOf',
        args: [buyer],
      })
    const before = await tag()
    const violations = await watchCspViolations(page)
    await page.goto(`${deployment.pageUrl}?account=${buyer}`)

    const widget = page.locator('#buy-usdc')
    await pressTabUntilFocused(page, widget.getByRole('button', { name: /TokenTags Dev Wallet/ }))
    await page.keyboard.press('Enter')
    const input = widget.locator('[part~="input"]')
    await pressTabUntilFocused(page, input)
    await page.keyboard.type('5')
    const action = widget.locator('[part~="action"]')
    // The quote arrives as the visitor types: 5 USDC at 0.5 USDC per TAG is 10 TAG.
    await expect(action).toHaveText(/Buy 10 TAG/)
    await expect(action).toHaveAttribute('aria-disabled', 'false')
    await pressTabUntilFocused(page, action)
    const done = widgetOutcome(page, '#buy-usdc')
    await page.keyboard.press('Enter')
    expect((await done).via).toBe('relay')

    expect((await tag()) - before).toBe(parseUnits('10', 18))
    expect(await violations()).toEqual([])
  })
})

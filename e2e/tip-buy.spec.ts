import type { Page } from '@playwright/test'
import { type Address, createPublicClient, erc20Abi, http, parseEther, parseUnits } from 'viem'
import { expect, test, widgetOutcome } from './fixtures.js'

async function connect(page: Page, selector: string) {
  const widget = page.locator(selector)
  const wallet = widget.getByRole('button', { name: /TokenTags Dev Wallet/ })
  // Another widget on the page may already have connected the shared wallet session.
  if (await wallet.isVisible().catch(() => false)) await wallet.click()
  return widget
}

test.describe('tips and buys on the demo page', () => {
  test('a TAG tip is gasless with one signature and reaches the creator', async ({ page, stack }) => {
    const { deployment } = stack
    const visitor = deployment.accounts.find((a) => a.role === 'vested')?.address as Address
    const creator = deployment.accounts.find((a) => a.role === 'deployer')?.address as Address
    const chain = createPublicClient({ transport: http(deployment.rpcUrl) })
    const balance = (owner: Address) =>
      chain.readContract({
        address: deployment.contracts.token,
        abi: erc20Abi,
        functionName: 'balanceOf',
        args: [owner],
      })
    const [creatorBefore, visitorBefore, nativeBefore] = await Promise.all([
      balance(creator),
      balance(visitor),
      chain.getBalance({ address: visitor }),
    ])

    await page.goto(`${deployment.pageUrl}?account=${visitor}`)
    const widget = await connect(page, '#tip-tag')
    await widget.locator('[part~="preset"]').first().click()
    const action = widget.locator('[part~="action"]')
    await expect(action).toBeEnabled()
    const done = widgetOutcome(page, '#tip-tag')
    await action.click()
    const detail = await done
    expect(detail.via).toBe('relay')

    expect((await balance(creator)) - creatorBefore).toBe(parseUnits('1', 18))
    expect(visitorBefore - (await balance(visitor))).toBe(parseUnits('1', 18))
    expect(await chain.getBalance({ address: visitor })).toBe(nativeBefore)
  })

  test('buying with ETH sends a wallet transaction and delivers the quoted TAG', async ({ page, stack }) => {
    const { deployment } = stack
    const buyer = deployment.accounts.find((a) => a.role === 'partly-vested')?.address as Address
    const chain = createPublicClient({ transport: http(deployment.rpcUrl) })
    const tag = () =>
      chain.readContract({
        address: deployment.contracts.token,
        abi: erc20Abi,
        functionName: 'balanceOf',
        args: [buyer],
      })
    const [tagBefore, ethBefore] = await Promise.all([tag(), chain.getBalance({ address: buyer })])

    await page.goto(`${deployment.pageUrl}?account=${buyer}`)
    const widget = await connect(page, '#buy-native')
    await widget.locator('[part~="input"]').fill('0.01')
    // The quote appears as the visitor types: 0.01 ETH at 0.001 ETH per TAG is 10 TAG.
    await expect(widget.locator('[part~="action"]')).toHaveText(/Buy 10 TAG/)
    await expect(widget.locator('[part~="action"]')).toHaveAttribute('aria-disabled', 'false')
    const done = widgetOutcome(page, '#buy-native')
    await widget.locator('[part~="action"]').click()
    const detail = await done
    expect(detail.via).toBe('wallet')

    expect((await tag()) - tagBefore).toBe(parseUnits('10', 18))
    const spent = ethBefore - (await chain.getBalance({ address: buyer }))
    expect(spent).toBeGreaterThan(parseEther('0.01'))
  })

  test('buying with USDC is gasless: a permit and a forwarded buy', async ({ page, stack }) => {
    const { deployment } = stack
    const buyer = deployment.accounts.find((a) => a.role === 'before-cliff')?.address as Address
    const chain = createPublicClient({ transport: http(deployment.rpcUrl) })
    const balanceOf = (token: Address) =>
      chain.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [buyer] })
    const [tagBefore, usdcBefore, ethBefore] = await Promise.all([
      balanceOf(deployment.contracts.token),
      balanceOf(deployment.contracts.usdc),
      chain.getBalance({ address: buyer }),
    ])

    await page.goto(`${deployment.pageUrl}?account=${buyer}`)
    const widget = await connect(page, '#buy-usdc')
    await widget.locator('[part~="input"]').fill('1')
    await expect(widget.locator('[part~="action"]')).toHaveText(/Buy 2 TAG/)
    await expect(widget.locator('[part~="action"]')).toHaveAttribute('aria-disabled', 'false')
    const done = widgetOutcome(page, '#buy-usdc')
    await widget.locator('[part~="action"]').click()
    const detail = await done
    expect(detail.via).toBe('relay')

    expect((await balanceOf(deployment.contracts.token)) - tagBefore).toBe(parseUnits('2', 18))
    expect(usdcBefore - (await balanceOf(deployment.contracts.usdc))).toBe(parseUnits('1', 6))
    expect(await chain.getBalance({ address: buyer })).toBe(ethBefore)
  })
})

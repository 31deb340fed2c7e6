import { vestingVaultAbi } from '@tokentags/contracts'
import { type Address, createPublicClient, erc20Abi, http } from 'viem'
import { expect, test } from './fixtures.js'

test('a visitor with vested tokens claims them gaslessly through the relay', async ({ page, stack }) => {
  const { deployment } = stack
  const beneficiary = deployment.accounts.find((a) => a.role === 'vested')
  if (!beneficiary) throw new Error('no vested dev account in the deployment')
  const chain = createPublicClient({ transport: http(deployment.rpcUrl) })
  const tokenBefore = await chain.readContract({
    address: deployment.contracts.token,
    abi: erc20Abi,
    functionName: 'balanceOf',
    args: [beneficiary.address],
  })
  const nativeBefore = await chain.getBalance({ address: beneficiary.address })
  const ids = await chain.readContract({
    address: deployment.contracts.vestingVault,
    abi: vestingVaultAbi,
    functionName: 'scheduleIdsOf',
    args: [beneficiary.address],
  })
  expect(ids.length).toBeGreaterThan(0)

  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(`${deployment.pageUrl}?account=${beneficiary.address}`)

  const widget = page.locator('token-claim')
  // The dev wallet is announced over EIP-6963 and listed by the widget.
  await widget.getByRole('button', { name: /TokenTags Dev Wallet/ }).click()

  const action = widget.locator('[part~="action"]')
  await expect(action).toHaveText(/claim/i)
  const success = page.evaluate(
    () =>
      new Promise<{ txHash: string; via: string }>((resolve, reject) => {
        document.addEventListener('token-success', (e) => resolve((e as CustomEvent).detail), { once: true })
        document.addEventListener('token-error', (e) => reject(new Error(JSON.stringify((e as CustomEvent).detail))), {
          once: true,
        })
      }),
  )
  await action.click()
  const detail = await success
  expect(detail.via).toBe('relay')
  expect(detail.txHash).toMatch(/^0x[0-9a-f]{64}$/)
  await expect(widget.getByText(detail.txHash.slice(0, 6), { exact: false })).toBeVisible()

  const receipt = await chain.getTransactionReceipt({ hash: detail.txHash as `0x${string}` })
  expect(receipt.status).toBe('success')
  expect((receipt.from as Address).toLowerCase()).not.toBe(beneficiary.address.toLowerCase())

  const claimed = await Promise.all(
    ids.map((id) =>
      chain.readContract({
        address: deployment.contracts.vestingVault,
        abi: vestingVaultAbi,
        functionName: 'getSchedule',
        args: [id],
      }),
    ),
  )
  const released = claimed.reduce((sum, s) => sum + s.released, 0n)
  const tokenAfter = await chain.readContract({
    address: deployment.contracts.token,
    abi: erc20Abi,
    functionName: 'balanceOf',
    args: [beneficiary.address],
  })
  expect(released).toBeGreaterThan(0n)
  expect(tokenAfter - tokenBefore).toBe(released)
  expect(await chain.getBalance({ address: beneficiary.address })).toBe(nativeBefore)
  expect(errors).toEqual([])
})

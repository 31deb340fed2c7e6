// The gasless claim both framework examples must complete (examples/*/test/claim.spec.ts): the app, built with
// nothing but the dev stack's .tokentags/local.json, claims through the relay with the dev wallet.
import { expect, type Page } from '@playwright/test'
import { vestingVaultAbi } from '@tokentags/contracts'
import { type Address, createPublicClient, erc20Abi, http } from 'viem'
import type { ExampleApp } from './example-app.js'

/** Claims in `app` as the dev stack's vested account: the balance rises by exactly what was released, ETH unchanged. */
export async function expectGaslessClaim(page: Page, app: ExampleApp): Promise<void> {
  const { deployment } = app
  const beneficiary = deployment.accounts.find((a) => a.role === 'vested')
  if (!beneficiary) throw new Error('no vested dev account in the deployment')
  const chain = createPublicClient({ transport: http(deployment.rpcUrl) })
  const vault = { address: deployment.contracts.vestingVault, abi: vestingVaultAbi } as const
  const ids = await chain.readContract({ ...vault, functionName: 'scheduleIdsOf', args: [beneficiary.address] })
  expect(ids.length).toBeGreaterThan(0)
  const released = async () => {
    const schedules = await Promise.all(
      ids.map((id) => chain.readContract({ ...vault, functionName: 'getSchedule', args: [id] })),
    )
    return schedules.reduce((sum, s) => sum + s.released, 0n)
  }
  const tokenBalance = () =>
    chain.readContract({
      address: deployment.contracts.token,
      abi: erc20Abi,
      functionName: 'balanceOf',
      args: [beneficiary.address],
    })
  const [tokenBefore, releasedBefore, ethBefore] = await Promise.all([
    tokenBalance(),
    released(),
    chain.getBalance({ address: beneficiary.address }),
  ])

  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await app.installDevWallet(page, beneficiary.privateKey)
  await page.goto(app.url)
  const widget = page.locator('token-claim')
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
  await expect(page.getByTestId('status')).toHaveText('Widget status: success')

  const receipt = await chain.getTransactionReceipt({ hash: detail.txHash as `0x${string}` })
  expect(receipt.status).toBe('success')
  expect((receipt.from as Address).toLowerCase()).not.toBe(beneficiary.address.toLowerCase())
  const claimed = (await released()) - releasedBefore
  expect(claimed).toBeGreaterThan(0n)
  expect((await tokenBalance()) - tokenBefore).toBe(claimed)
  expect(await chain.getBalance({ address: beneficiary.address })).toBe(ethBefore)
  expect(errors).toEqual([])
}

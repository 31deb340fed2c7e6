import { expect, test, widgetOutcome } from './fixtures.js'

/** Lamports of `address` on the dev stack's Solana ledger, over its JSON-RPC. */
async function lamports(rpcUrl: string, address: string): Promise<bigint> {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getBalance', params: [address] }),
  })
  const body = (await response.json()) as { result: { value: number } }
  return BigInt(body.result.value)
}

test('a SOL tip from the dev Solana wallet: the relay pays the fee, the creator gets the tip', async ({
  page,
  stack,
}) => {
  const { solana, pageUrl } = stack.deployment
  const [visitor] = solana.visitors
  if (!visitor) throw new Error('no Solana dev visitor in the deployment')
  const [creatorBefore, visitorBefore, feePayerBefore] = await Promise.all([
    lamports(solana.rpcUrl, solana.creator),
    lamports(solana.rpcUrl, visitor),
    lamports(solana.rpcUrl, solana.feePayer),
  ])

  await page.goto(pageUrl)
  const widget = page.locator('#tip-sol')
  await widget.getByRole('button', { name: /TokenTags Dev Solana Wallet/ }).click()
  await widget.locator('[part~="preset"]').nth(1).click() // 0.1 SOL
  const action = widget.locator('[part~="action"]')
  await expect(action).toBeEnabled()
  const done = widgetOutcome(page, '#tip-sol')
  await action.click()
  const detail = await done
  expect(detail.via).toBe('relay')
  expect(detail.signature).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/)

  const tip = 100_000_000n // 0.1 SOL
  expect((await lamports(solana.rpcUrl, solana.creator)) - creatorBefore).toBe(tip)
  // The visitor pays the tip and nothing else: the relay's fee payer paid the network fee.
  expect(visitorBefore - (await lamports(solana.rpcUrl, visitor))).toBe(tip)
  expect(feePayerBefore - (await lamports(solana.rpcUrl, solana.feePayer))).toBeGreaterThan(0n)
})

test('the operator dashboard shows the Solana fee payer and its balance as on the ledger', async ({ page, stack }) => {
  const { solana, relayUrl, adminToken } = stack.deployment
  await page.goto(`${relayUrl}/admin/`)
  await page.getByLabel(/Operator token/).fill(adminToken)
  await page.getByRole('button', { name: 'Sign in' }).click()
  const row = page.locator(`tr[data-figure="solana-fee-payer"][data-relayer="${solana.feePayer}"]`)
  await expect(row).toBeVisible()
  await expect(row).toContainText('solana:localnet')
  const shown = await row.locator('[data-figure="balance"]').getAttribute('data-value')
  expect(BigInt(shown ?? '0')).toBe(await lamports(solana.rpcUrl, solana.feePayer))
  await expect(row).toContainText(/\d SOL/)
  await expect(page.getByText(/the Solana fee payer below 0\.1 SOL/)).toBeVisible()
})

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

// Issue 15, item 4: the dev ledger never moved its blockhash, so a second identical tip was the same
// signed transaction and the relay refused it as a duplicate, forever. A validator makes a new
// blockhash every slot; the ledger now does too, and the relay still refuses a true replay.
test('two identical SOL tips in a row both land; the same signed bytes sent again are a duplicate', async ({
  page,
  stack,
}) => {
  const { solana, pageUrl, relayUrl, siteKey } = stack.deployment
  const [visitor] = solana.visitors
  if (!visitor) throw new Error('no Solana dev visitor in the deployment')
  const submitted: string[] = []
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url() === `${relayUrl}/v1/solana/transactions`) {
      submitted.push((request.postDataJSON() as { transaction: string }).transaction)
    }
  })
  const [creatorBefore, visitorBefore] = await Promise.all([
    lamports(solana.rpcUrl, solana.creator),
    lamports(solana.rpcUrl, visitor),
  ])

  await page.goto(pageUrl)
  const widget = page.locator('#tip-sol')
  const action = widget.locator('[part~="action"]')
  await widget.getByRole('button', { name: /TokenTags Dev Solana Wallet/ }).click()
  const signatures: string[] = []
  for (const round of [1, 2]) {
    if (round === 2) await action.click() // "Tip again": back to the amounts
    await widget.locator('[part~="preset"]').nth(1).click() // 0.1 SOL, both times
    await expect(action).toBeEnabled()
    const done = widgetOutcome(page, '#tip-sol')
    await action.click()
    const detail = await done
    expect(detail.via).toBe('relay')
    signatures.push(detail.signature ?? '')
  }
  expect(signatures[0]).not.toBe(signatures[1])
  expect(submitted).toHaveLength(2)

  const tip = 100_000_000n // 0.1 SOL
  expect((await lamports(solana.rpcUrl, solana.creator)) - creatorBefore).toBe(2n * tip)
  expect(visitorBefore - (await lamports(solana.rpcUrl, visitor))).toBe(2n * tip)

  // A replay of the wallet-signed bytes of the first tip: the relay's guard, not the ledger, answers.
  const replay = await fetch(`${relayUrl}/v1/solana/transactions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tokentags-site': siteKey, origin: new URL(pageUrl).origin },
    body: JSON.stringify({ transaction: submitted[0] }),
  })
  expect(replay.status).toBe(409)
  expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('DUPLICATE_TRANSACTION')
  expect((await lamports(solana.rpcUrl, solana.creator)) - creatorBefore).toBe(2n * tip)
})

import type { Frame, Page } from '@playwright/test'
import { vestingVaultAbi } from '@tokentags/contracts'
import { ANVIL_DEV_ACCOUNTS } from '@tokentags/testkit'
import { createPublicClient, createWalletClient, erc20Abi, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { expect, SITE_KEY, type Stack, test } from './stack.js'

const embedUrl = (stack: Stack, kind: string, params: Record<string, string>) =>
  `${stack.relayUrl}/embed/${kind}?${new URLSearchParams({ site: SITE_KEY, chain: String(stack.anvil.chainId), ...params })}`

/** Opens `host` framing `src`; resolves the embed's frame once it navigated. */
async function openFramed(page: Page, host: string, src: string, height = 420): Promise<Frame> {
  await page.goto(`${host}/?${new URLSearchParams({ src, height: String(height) })}`)
  const handle = await page.locator('iframe#embed').elementHandle()
  const frame = await handle?.contentFrame()
  if (!frame) throw new Error('no embed frame')
  return frame
}

function collectProblems(page: Page): string[] {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`)
  })
  return problems
}

test('the claim embed works end to end inside an iframe of another origin, gas paid by the relay', async ({
  page,
  stack,
}) => {
  const problems = collectProblems(page)
  const beneficiary = stack.accounts.find((a) => a.role === 'vested')
  if (!beneficiary) throw new Error('no vested account')
  const chain = createPublicClient({ transport: http(stack.anvil.rpcUrl) })
  const tokenBefore = await chain.readContract({
    address: stack.contracts.token,
    abi: erc20Abi,
    functionName: 'balanceOf',
    args: [beneficiary.address],
  })
  const nativeBefore = await chain.getBalance({ address: beneficiary.address })

  const src = embedUrl(stack, 'claim', { vault: stack.contracts.vestingVault, account: 'vested' })
  const frame = await openFramed(page, stack.allowedHost, src)
  expect(new URL(frame.url()).origin).toBe(stack.relayUrl)
  // The page that frames it is another origin.
  expect(new URL(page.url()).origin).not.toBe(stack.relayUrl)

  // The dev wallet announces itself inside the embed only: labelled as such.
  await expect(frame.getByRole('note')).toContainText('development only')
  const widget = frame.locator('token-claim')
  await widget.getByRole('button', { name: /TokenTags Dev Wallet/ }).click()
  const action = widget.locator('[part~="action"]')
  await expect(action).toHaveText(/claim/i)
  const success = frame.evaluate(
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
  const receipt = await chain.getTransactionReceipt({ hash: detail.txHash as `0x${string}` })
  expect(receipt.status).toBe('success')
  expect(receipt.from.toLowerCase()).toBe(stack.relayer.toLowerCase())

  const tokenAfter = await chain.readContract({
    address: stack.contracts.token,
    abi: erc20Abi,
    functionName: 'balanceOf',
    args: [beneficiary.address],
  })
  expect(tokenAfter).toBeGreaterThan(tokenBefore)
  expect(await chain.getBalance({ address: beneficiary.address })).toBe(nativeBefore)
  const ids = await chain.readContract({
    address: stack.contracts.vestingVault,
    abi: vestingVaultAbi,
    functionName: 'scheduleIdsOf',
    args: [beneficiary.address],
  })
  expect(ids.length).toBeGreaterThan(0)
  expect(problems).toEqual([])
})

test('the tip and buy embeds render inside an iframe of another origin', async ({ page, stack }) => {
  const problems = collectProblems(page)
  const creator = stack.accounts[0]?.address ?? ''
  for (const [kind, tag, params] of [
    ['tip', 'token-tip', { to: creator, token: stack.contracts.token, amounts: '1,5,10' }],
    ['buy', 'token-buy', { sale: stack.contracts.tokenSale }],
  ] as const) {
    const frame = await openFramed(
      page,
      stack.allowedHost,
      embedUrl(stack, kind, { ...params, account: 'partly-vested' }),
      460,
    )
    const widget = frame.locator(tag)
    await expect(widget).toHaveCount(1)
    // Drawn by the widget bundle the relay serves: it lists the dev wallet announced in the frame.
    await expect(widget.getByRole('button', { name: /TokenTags Dev Wallet/ })).toBeVisible()
    await expect(widget.getByRole('status').first()).toBeAttached()
  }
  expect(problems).toEqual([])
})

/** Resolves with the framed widget's `token-success` detail, or rejects on its `token-error`. */
function frameOutcome(frame: Frame) {
  return frame.evaluate(
    () =>
      new Promise<{ txHash: string; via: string }>((resolve, reject) => {
        document.addEventListener('token-success', (e) => resolve((e as CustomEvent).detail), { once: true })
        document.addEventListener('token-error', (e) => reject(new Error(JSON.stringify((e as CustomEvent).detail))), {
          once: true,
        })
      }),
  )
}

test('the tip and buy embeds work end to end inside an iframe of another origin', async ({ page, stack }) => {
  const problems = collectProblems(page)
  const chain = createPublicClient({ transport: http(stack.anvil.rpcUrl) })
  const creator = stack.accounts[0]?.address as `0x${string}`
  const visitor = stack.accounts.find((a) => a.role === 'before-cliff')?.address as `0x${string}`

  // A native tip: a wallet transaction from the visitor straight to the creator.
  const creatorBefore = await chain.getBalance({ address: creator })
  const tipFrame = await openFramed(
    page,
    stack.allowedHost,
    embedUrl(stack, 'tip', { to: creator, amounts: '0.25', account: 'before-cliff' }),
    460,
  )
  const tip = tipFrame.locator('token-tip')
  await tip.getByRole('button', { name: /TokenTags Dev Wallet/ }).click()
  await tip.locator('[part~="preset"]').first().click()
  const tipAction = tip.locator('[part~="action"]')
  await expect(tipAction).toBeEnabled()
  const tipped = frameOutcome(tipFrame)
  await tipAction.click()
  expect((await tipped).via).toBe('wallet')
  expect((await chain.getBalance({ address: creator })) - creatorBefore).toBe(250_000_000_000_000_000n)

  // A native buy: 0.01 ETH at 0.001 ETH per TAG delivers 10 TAG.
  const tagOf = () =>
    chain.readContract({ address: stack.contracts.token, abi: erc20Abi, functionName: 'balanceOf', args: [visitor] })
  const tagBefore = await tagOf()
  const buyFrame = await openFramed(
    page,
    stack.allowedHost,
    embedUrl(stack, 'buy', { sale: stack.contracts.tokenSale, account: 'before-cliff' }),
    520,
  )
  const buy = buyFrame.locator('token-buy')
  await buy.getByRole('button', { name: /TokenTags Dev Wallet/ }).click()
  await buy.locator('[part~="input"]').fill('0.01')
  const buyAction = buy.locator('[part~="action"]')
  await expect(buyAction).toHaveText(/Buy 10 TAG/)
  await expect(buyAction).toHaveAttribute('aria-disabled', 'false')
  const bought = frameOutcome(buyFrame)
  await buyAction.click()
  expect((await bought).via).toBe('wallet')
  expect((await tagOf()) - tagBefore).toBe(10n * 10n ** 18n)
  expect(problems).toEqual([])
})

test('a TAG tip embed is gasless inside an iframe of another origin: the relay pays the gas', async ({
  page,
  stack,
}) => {
  const problems = collectProblems(page)
  const transport = http(stack.anvil.rpcUrl)
  const chain = createPublicClient({ transport })
  const token = stack.contracts.token
  const creator = stack.accounts[0]?.address as `0x${string}`
  const visitor = stack.accounts.find((a) => a.role === 'partly-vested')?.address as `0x${string}`
  // The visitor holds TAG, sent by the deployer; it will not spend any ETH.
  const deployer = createWalletClient({
    account: privateKeyToAccount((ANVIL_DEV_ACCOUNTS[0] as { privateKey: `0x${string}` }).privateKey),
    chain: { ...foundry, id: stack.anvil.chainId },
    transport,
  })
  await chain.waitForTransactionReceipt({
    hash: await deployer.writeContract({
      address: token,
      abi: erc20Abi,
      functionName: 'transfer',
      args: [visitor, 100n * 10n ** 18n],
    }),
  })
  const tagOf = (address: `0x${string}`) =>
    chain.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [address] })
  const [creatorBefore, visitorBefore, ethBefore] = await Promise.all([
    tagOf(creator),
    tagOf(visitor),
    chain.getBalance({ address: visitor }),
  ])

  const frame = await openFramed(
    page,
    stack.allowedHost,
    embedUrl(stack, 'tip', { to: creator, token, amounts: '5', account: 'partly-vested' }),
    460,
  )
  const tip = frame.locator('token-tip')
  await tip.getByRole('button', { name: /TokenTags Dev Wallet/ }).click()
  await tip.locator('[part~="preset"]').first().click()
  const action = tip.locator('[part~="action"]')
  await expect(action).toBeEnabled()
  const tipped = frameOutcome(frame)
  await action.click()
  const detail = await tipped
  expect(detail.via).toBe('relay')
  const receipt = await chain.getTransactionReceipt({ hash: detail.txHash as `0x${string}` })
  expect(receipt.from.toLowerCase()).toBe(stack.relayer.toLowerCase())
  expect((await tagOf(creator)) - creatorBefore).toBe(5n * 10n ** 18n)
  expect(visitorBefore - (await tagOf(visitor))).toBe(5n * 10n ** 18n)
  expect(await chain.getBalance({ address: visitor })).toBe(ethBefore)
  expect(problems).toEqual([])
})

test('an origin the site did not allow cannot frame its embeds', async ({ page, stack, request }) => {
  const src = embedUrl(stack, 'claim', { vault: stack.contracts.vestingVault })
  const response = await request.get(src)
  expect(response.status()).toBe(200)
  const csp = response.headers()['content-security-policy'] ?? ''
  const ancestors = csp
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('frame-ancestors '))
  expect(ancestors).toBe(`frame-ancestors ${stack.allowedHost} ${stack.relayUrl}`)
  expect(ancestors).not.toContain(stack.foreignHost)

  const blocked: string[] = []
  page.on('console', (message) => {
    if (/frame-ancestors/.test(message.text())) blocked.push(message.text())
  })
  await page.goto(`${stack.foreignHost}/?${new URLSearchParams({ src })}`)
  await expect.poll(() => blocked.length).toBeGreaterThan(0)
  expect(blocked.join('\n')).toMatch(/violates the following Content Security Policy directive: "frame-ancestors /)
  expect(blocked.join('\n')).toContain(`Framing '${stack.relayUrl}/'`)
  const frame = await (await page.locator('iframe#embed').elementHandle())?.contentFrame()
  // Chromium swaps the refused document for an error page: no widget ever runs there.
  expect(frame?.url()).not.toBe(src)
  expect(await frame?.locator('token-claim').count()).toBe(0)

  // The same embed framed by an allowed origin loads (the control).
  const allowed = await openFramed(page, stack.allowedHost, src)
  await expect(allowed.locator('token-claim')).toHaveCount(1)
})

test('oEmbed answers a rich iframe for embed URLs and 4xx for bad or foreign ones', async ({
  page,
  request,
  stack,
}) => {
  const src = embedUrl(stack, 'claim', { vault: stack.contracts.vestingVault })
  const good = await request.get(`${stack.relayUrl}/oembed?${new URLSearchParams({ url: src, format: 'json' })}`)
  expect(good.status()).toBe(200)
  const body = (await good.json()) as { type: string; version: string; html: string; width: number; height: number }
  expect(body).toMatchObject({ version: '1.0', type: 'rich', width: 420, height: 320, provider_name: 'TokenTags' })
  const iframeSrc = /src="([^"]+)"/.exec(body.html)?.[1]?.replaceAll('&amp;', '&')
  expect(iframeSrc).toBeDefined()

  // The oEmbed iframe, placed by a consumer on an allowed page, shows the widget.
  const frame = await openFramed(page, stack.allowedHost, iframeSrc ?? '', body.height)
  await expect(frame.locator('token-claim')).toHaveCount(1)

  for (const [query, status] of [
    [{ url: src, format: 'xml' }, 501],
    [{ format: 'json' }, 400],
    [{ url: 'not a url' }, 400],
    [{ url: src.replace(stack.relayUrl, 'https://evil.example') }, 404],
    [{ url: src.replace('vault=', 'vault=0x12') }, 404],
  ] as const) {
    const response = await request.get(`${stack.relayUrl}/oembed?${new URLSearchParams(query)}`)
    expect(response.status()).toBe(status)
    const error = (await response.json()) as { error: { code: string; message: string } }
    expect(error.error.code).toMatch(/^[A-Z_]+$/)
  }

  // A bad embed URL in a frame shows a readable error page, not a blank frame.
  const bad = await openFramed(page, stack.allowedHost, embedUrl(stack, 'claim', { vault: '0x1234' }))
  await expect(bad.getByRole('alert')).toContainText('vault "0x1234" is not an address')
})

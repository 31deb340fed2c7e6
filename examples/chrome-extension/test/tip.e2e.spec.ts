import { tipRouterAbi } from '@tokentags/contracts'
import { ANVIL_DEV_ACCOUNTS, freePort } from '@tokentags/testkit'
import { createPublicClient, createWalletClient, erc20Abi, type Hex, http, parseEther, parseEventLogs } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import { type DevStack, startDevStack } from '../../../scripts/dev-stack.js'
import { expect, test, tipFrames } from './support/fixtures.js'
import { unpackedExtensionId } from './support/paths.js'

const ALICE = '0xa0Ee7A142d267C1f36714E4a8F75612F20a79720' as const
// Anvil's account #5: not used by the dev stack, so its balance moves only with this test's tip.
const TIPPER = ANVIL_DEV_ACCOUNTS[5]

let stack: DevStack | undefined
test.beforeAll(async () => {
  test.setTimeout(120_000)
  stack = await startDevStack({
    chainPort: await freePort(),
    relayPort: await freePort(),
    pagePort: await freePort(),
    outFile: null,
    relayLogLevel: 'warn',
    // The tip frame is an extension page: the dev site lets its origin use the relay.
    extraOrigins: [`chrome-extension://${unpackedExtensionId()}`],
  })
})
test.afterAll(async () => {
  await stack?.stop()
})

test('a visitor tips a post’s author from the X page with the dev wallet; the author’s balance rises', async ({
  page,
  extension,
  fixtures,
}) => {
  if (!stack || !TIPPER) throw new Error('no dev stack')
  const { deployment } = stack
  await extension.setOptions({
    relayUrl: deployment.relayUrl,
    siteKey: deployment.siteKey,
    chainId: deployment.chainId,
    rpcUrl: deployment.rpcUrl,
    token: 'native',
    amounts: '0.25,1',
    router: '',
  })
  fixtures.setWallet({ rpcUrl: deployment.rpcUrl, chainId: deployment.chainId, privateKey: TIPPER.privateKey })
  const chain = createPublicClient({ transport: http(deployment.rpcUrl) })
  const before = await chain.getBalance({ address: ALICE })

  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(`${fixtures.origin}/x/alice?wallet=1`)
  const host = page.locator('#post-alice-1 tokentags-extension-tip')
  await expect(host).toHaveCount(1)
  await expect.poll(() => tipFrames(page).length).toBe(2)
  const frame = tipFrames(page)[0]
  if (!frame) throw new Error('no tip frame')
  const widget = frame.locator('token-tip')
  await expect(widget).toHaveAttribute('to', ALICE)

  // The page's wallet reaches the frame through the bridge, announced over EIP-6963.
  await widget.getByRole('button', { name: /TokenTags Dev Wallet/ }).click()
  await widget.locator('[part~="preset"]', { hasText: '0.25' }).click()
  const action = widget.locator('[part~="action"]')
  await expect(action).toBeEnabled()
  await action.click()

  // The content script mirrors the frame's state on the host.
  await expect(host).toHaveAttribute('data-state', 'success', { timeout: 60_000 })
  const after = await chain.getBalance({ address: ALICE })
  expect(after - before).toBe(parseEther('0.25'))
  expect(errors).toEqual([])
})

test('with a TipRouter configured, the tip carries a memo naming the site', async ({ page, extension, fixtures }) => {
  if (!stack || !TIPPER) throw new Error('no dev stack')
  const { deployment } = stack
  await extension.setOptions({
    relayUrl: deployment.relayUrl,
    siteKey: deployment.siteKey,
    chainId: deployment.chainId,
    rpcUrl: deployment.rpcUrl,
    token: 'native',
    amounts: '0.5',
    router: deployment.contracts.tipRouter,
  })
  fixtures.setWallet({ rpcUrl: deployment.rpcUrl, chainId: deployment.chainId, privateKey: TIPPER.privateKey })
  const chain = createPublicClient({ transport: http(deployment.rpcUrl) })
  const before = await chain.getBalance({ address: ALICE })

  await page.goto(`${fixtures.origin}/x/alice?wallet=1`)
  await expect.poll(() => tipFrames(page).length).toBe(2)
  const frame = tipFrames(page)[0]
  if (!frame) throw new Error('no tip frame')
  const widget = frame.locator('token-tip')
  await expect(widget).toHaveAttribute('memo', 'Tip via TokenTags on 127.0.0.1')
  const success = frame.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        document.addEventListener('token-success', (e) => resolve((e as CustomEvent).detail.txHash), { once: true })
        document.addEventListener('token-error', (e) => reject(new Error(JSON.stringify((e as CustomEvent).detail))), {
          once: true,
        })
      }),
  )
  await widget.getByRole('button', { name: /TokenTags Dev Wallet/ }).click()
  await widget.locator('[part~="preset"]', { hasText: '0.5' }).click()
  await widget.locator('[part~="action"]').click()
  const txHash = (await success) as Hex

  const receipt = await chain.getTransactionReceipt({ hash: txHash })
  expect(receipt.status).toBe('success')
  const [tipped] = parseEventLogs({ abi: tipRouterAbi, logs: receipt.logs, eventName: 'Tipped' })
  expect(tipped?.args.recipient).toBe(ALICE)
  expect(tipped?.args.memo).toBe('Tip via TokenTags on 127.0.0.1')
  const after = await chain.getBalance({ address: ALICE })
  expect(after - before).toBe(parseEther('0.5') - (tipped?.args.fee ?? 0n))
  expect(after).toBeGreaterThan(before)
})

test('a TAG tip from the X page is gasless: the relay pays, the visitor spends no ETH', async ({
  page,
  extension,
  fixtures,
}) => {
  if (!stack || !TIPPER) throw new Error('no dev stack')
  const { deployment } = stack
  const token = deployment.contracts.token
  const transport = http(deployment.rpcUrl)
  const chain = createPublicClient({ transport })
  // The visitor holds TAG (sent by the deployer, anvil's account #0).
  const deployer = createWalletClient({
    account: privateKeyToAccount((ANVIL_DEV_ACCOUNTS[0] as { privateKey: Hex }).privateKey),
    chain: { ...foundry, id: deployment.chainId },
    transport,
  })
  await chain.waitForTransactionReceipt({
    hash: await deployer.writeContract({
      address: token,
      abi: erc20Abi,
      functionName: 'transfer',
      args: [TIPPER.address, parseEther('50')],
    }),
  })
  await extension.setOptions({
    relayUrl: deployment.relayUrl,
    siteKey: deployment.siteKey,
    chainId: deployment.chainId,
    rpcUrl: deployment.rpcUrl,
    token,
    amounts: '2,5',
    router: '',
  })
  fixtures.setWallet({ rpcUrl: deployment.rpcUrl, chainId: deployment.chainId, privateKey: TIPPER.privateKey })
  const tagOf = (address: Hex) =>
    chain.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [address] })
  const [aliceBefore, ethBefore] = await Promise.all([tagOf(ALICE), chain.getBalance({ address: TIPPER.address })])

  await page.goto(`${fixtures.origin}/x/alice?wallet=1`)
  await expect.poll(() => tipFrames(page).length).toBe(2)
  const frame = tipFrames(page)[0]
  if (!frame) throw new Error('no tip frame')
  const widget = frame.locator('token-tip')
  const success = frame.evaluate(
    () =>
      new Promise<{ txHash: string; via: string }>((resolve, reject) => {
        document.addEventListener('token-success', (e) => resolve((e as CustomEvent).detail), { once: true })
        document.addEventListener('token-error', (e) => reject(new Error(JSON.stringify((e as CustomEvent).detail))), {
          once: true,
        })
      }),
  )
  await widget.getByRole('button', { name: /TokenTags Dev Wallet/ }).click()
  await widget.locator('[part~="preset"]', { hasText: '2' }).first().click()
  await widget.locator('[part~="action"]').click()
  const detail = await success
  expect(detail.via).toBe('relay')
  const receipt = await chain.getTransactionReceipt({ hash: detail.txHash as Hex })
  const relayer = deployment.accounts.find((a) => a.role === 'relayer')?.address
  expect(receipt.from.toLowerCase()).toBe(relayer?.toLowerCase())
  expect((await tagOf(ALICE)) - aliceBefore).toBe(parseEther('2'))
  expect(await chain.getBalance({ address: TIPPER.address })).toBe(ethBefore)
})

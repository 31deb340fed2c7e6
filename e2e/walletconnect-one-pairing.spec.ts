// One WalletConnect pairing for the whole demo page (issue 14): the visitor has no browser wallet, pairs a phone once
// from <token-claim>, and both the EVM claim and the Solana tip go through that one session. The WalletConnect relay
// is the loopback one of @tokentags/testkit: it stands in for WalletConnect's service, which cannot run here. The
// "phone" is a wallet sign client in this Node process (public dev keys only).
import decodeQR from '@paulmillr/qr/decode.js'
import type { Locator, Page } from '@playwright/test'
import { vestingVaultAbi } from '@tokentags/contracts'
import { seedDemoSchedules } from '@tokentags/contracts/deploy'
import { ANVIL_DEV_ACCOUNTS } from '@tokentags/testkit'
import { startWalletConnectRelay, type WalletConnectRelay } from '@tokentags/testkit/walletconnect-relay'
import { startTestWallet, type TestWallet } from '@tokentags/testkit/walletconnect-wallet'
import { type Address, createPublicClient, createWalletClient, erc20Abi, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
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

/**
 * Reads the pairing QR code as a phone would: the rendered <svg> drawn on a canvas in the page, its pixels decoded
 * here by an independent decoder. A second, closer try: the decoder misreads some large codes at 4 pixels a module.
 */
async function scanQr(svg: Locator): Promise<string> {
  let lastError: unknown
  for (const scale of [4, 7]) {
    const image = await svg.evaluate(async (el, scale) => {
      const [, , side] = (el.getAttribute('viewBox') ?? '').split(' ').map(Number)
      if (!side) throw new TypeError('the QR <svg> has no viewBox')
      // A data: URL: the page's CSP allows data: images, not blob: ones.
      const source = new XMLSerializer().serializeToString(el)
      const picture = new Image(side * scale, side * scale)
      picture.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(source)}`
      await picture.decode()
      const canvas = document.createElement('canvas')
      canvas.width = canvas.height = side * scale
      const context = canvas.getContext('2d') as CanvasRenderingContext2D
      context.drawImage(picture, 0, 0, side * scale, side * scale)
      const { width, height, data } = context.getImageData(0, 0, side * scale, side * scale)
      return { width, height, data: Array.from(data) }
    }, scale)
    try {
      return decodeQR({ width: image.width, height: image.height, data: Uint8Array.from(image.data) })
    } catch (error) {
      lastError = error
    }
  }
  throw lastError
}

/**
 * Serves the demo page as a site owner would with WalletConnect on: the project id and the loopback relay on
 * <tokentags-config>, the relay's WebSocket in the CSP's connect-src, and no dev wallet (neither its EIP-6963 EVM
 * wallet nor its Wallet Standard Solana one): WalletConnect is the only way in.
 */
async function serveWithWalletConnect(page: Page, pageUrl: string, wcRelayUrl: string) {
  // A document fulfilled by the test has no server address, so Chrome files it under the public address space and
  // asks before it reaches loopback (the relay, the RPCs): grant that, as the real page on 127.0.0.1 needs no grant.
  await page.context().grantPermissions(['local-network-access'], { origin: new URL(pageUrl).origin })
  await page.route(
    (url) => url.href === pageUrl || url.href === `${pageUrl}index.html`,
    async (route) => {
      const response = await route.fetch()
      const original = await response.text()
      const html = original
        .replace(/<script type="application\/json" id="dev-wallet-config">[^<]*<\/script>/, '')
        .replace('<script type="module" src="./dev-wallet.js"></script>', '')
        .replace(
          '<tokentags-config ',
          `<tokentags-config walletconnect-project-id="tokentags-e2e-one-pairing" walletconnect-relay="${wcRelayUrl}" `,
        )
      // Each edit must have applied, or the test would pass on the page it meant to change.
      if (html.includes('dev-wallet') || !html.includes(`walletconnect-relay="${wcRelayUrl}"`))
        throw new TypeError('the demo page changed: its dev wallet or <tokentags-config> was not found')
      const headers = response.headers()
      const csp = headers['content-security-policy'] ?? ''
      if (!csp.includes('connect-src ')) throw new TypeError('the demo page has no connect-src to extend')
      headers['content-security-policy'] = csp.replace('connect-src ', `connect-src ${wcRelayUrl} `)
      await route.fulfill({ response, body: html, headers })
    },
  )
}

let wcRelay: WalletConnectRelay | undefined
let phone: TestWallet | undefined

test.afterEach(async () => {
  await phone?.close()
  await wcRelay?.close()
})

test('one WalletConnect pairing from <token-claim> connects the EVM claim and the Solana tip; both are gasless', async ({
  page,
  stack,
}) => {
  const { deployment } = stack
  const { solana } = deployment
  const deployer = deployment.accounts.find((a) => a.role === 'deployer')
  if (!deployer) throw new Error('no deployer dev account in the deployment')
  // A beneficiary of its own (anvil's public dev account #6, no role on the stack): the other specs sharing this
  // worker's stack claim for the demo beneficiaries.
  const beneficiary = ANVIL_DEV_ACCOUNTS[6]
  if (!beneficiary) throw new Error('anvil dev account #6 is missing')
  const chain = createPublicClient({ transport: http(deployment.rpcUrl) })
  const viemChain = {
    id: deployment.chainId,
    name: 'anvil',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [deployment.rpcUrl] } },
  }
  await seedDemoSchedules({
    walletClient: createWalletClient({
      account: privateKeyToAccount(deployer.privateKey),
      chain: viemChain,
      transport: http(deployment.rpcUrl),
    }),
    publicClient: createPublicClient({ chain: viemChain, transport: http(deployment.rpcUrl) }),
    vestingVault: deployment.contracts.vestingVault,
    token: deployment.contracts.token,
    beneficiaries: [beneficiary.address],
  })
  const ids = await chain.readContract({
    address: deployment.contracts.vestingVault,
    abi: vestingVaultAbi,
    functionName: 'scheduleIdsOf',
    args: [beneficiary.address],
  })
  expect(ids.length).toBeGreaterThan(0)
  const released = async () => {
    const schedules = await Promise.all(
      ids.map((id) =>
        chain.readContract({
          address: deployment.contracts.vestingVault,
          abi: vestingVaultAbi,
          functionName: 'getSchedule',
          args: [id],
        }),
      ),
    )
    return schedules.reduce((sum, s) => sum + s.released, 0n)
  }
  const tagOf = (owner: Address) =>
    chain.readContract({ address: deployment.contracts.token, abi: erc20Abi, functionName: 'balanceOf', args: [owner] })

  wcRelay = await startWalletConnectRelay()
  phone = await startTestWallet({
    relayUrl: wcRelay.url,
    chains: [{ id: deployment.chainId, rpcUrl: deployment.rpcUrl }],
    storagePrefix: 'e2e-one-pairing',
    evmAccount: beneficiary,
  })
  const [visitor] = solana.visitors
  expect(phone.solanaAddress, 'the phone holds the funded Solana dev visitor').toBe(visitor)
  if (!visitor) throw new Error('no Solana dev visitor in the deployment')
  let proposals = 0
  phone.client.on('session_proposal', () => {
    proposals++
  })

  const releasedBefore = await released()
  const tagBefore = await tagOf(beneficiary.address)
  const ethBefore = await chain.getBalance({ address: beneficiary.address })
  const [creatorBefore, visitorBefore, feePayerBefore] = await Promise.all([
    lamports(solana.rpcUrl, solana.creator),
    lamports(solana.rpcUrl, visitor),
    lamports(solana.rpcUrl, solana.feePayer),
  ])

  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await serveWithWalletConnect(page, deployment.pageUrl, wcRelay.url)
  await page.goto(deployment.pageUrl)

  // EVM: the claim widget lists WalletConnect alone (no browser wallet) and draws the pairing QR code on a pick.
  const claim = page.locator('token-claim')
  const claimWallets = claim.locator('[part~="wallet-list"]')
  await expect(claimWallets).toHaveText('WalletConnect')
  await claim.getByRole('button', { name: /^WalletConnect$/ }).click()
  const uri = await scanQr(claim.locator('svg[part~="qr"]'))
  expect(uri).toMatch(/^wc:[0-9a-f]{64}@2\?/)
  const session = phone.nextSession()
  await phone.pair(uri)
  const settled = await session
  // The page asked for both: the relay's Solana cluster rides on the EVM pairing.
  expect(Object.keys(settled.namespaces).sort()).toEqual(['eip155', 'solana'])

  // The pairing view (QR code, wallet-app links, Cancel) gives way to the claim once the session settles.
  await expect(claim.locator('[part~="pairing-qr"]')).toHaveCount(0)
  const claimAction = claim.locator('[part~="action"]')
  await expect(claimAction).toHaveText(/claim/i)
  const claimed = widgetOutcome(page, 'token-claim')
  await claimAction.click()
  const claimDetail = await claimed
  expect(claimDetail.via).toBe('relay')
  expect(claimDetail.txHash).toMatch(/^0x[0-9a-f]{64}$/)
  const receipt = await chain.getTransactionReceipt({ hash: claimDetail.txHash as `0x${string}` })
  expect(receipt.status).toBe('success')
  expect(receipt.from.toLowerCase()).not.toBe(beneficiary.address.toLowerCase())
  const releasedNow = (await released()) - releasedBefore
  expect(releasedNow).toBeGreaterThan(0n)
  expect((await tagOf(beneficiary.address)) - tagBefore).toBe(releasedNow)
  expect(await chain.getBalance({ address: beneficiary.address })).toBe(ethBefore)

  // Solana: the session's Solana wallet is the tip's WalletConnect; picking it connects without a new pairing.
  const tip = page.locator('#tip-sol')
  const tipWallets = tip.locator('[part~="wallet-list"]')
  await expect(tipWallets).toHaveText('WalletConnect')
  await tip.getByRole('button', { name: /^WalletConnect$/ }).click()
  const tipAction = tip.locator('[part~="action"]')
  await expect(tip.locator('[part~="preset"]').nth(1)).toBeVisible()
  await expect(tip.locator('svg[part~="qr"]')).toHaveCount(0)
  await tip.locator('[part~="preset"]').nth(1).click() // 0.1 SOL
  await expect(tipAction).toBeEnabled()
  const tipped = widgetOutcome(page, '#tip-sol')
  await tipAction.click()
  const tipDetail = await tipped
  expect(tipDetail.via).toBe('relay')
  expect(tipDetail.signature).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/)

  const amount = 100_000_000n // 0.1 SOL
  expect((await lamports(solana.rpcUrl, solana.creator)) - creatorBefore).toBe(amount)
  // The visitor pays the tip and nothing else: the relay's fee payer paid the network fee.
  expect(visitorBefore - (await lamports(solana.rpcUrl, visitor))).toBe(amount)
  expect(feePayerBefore - (await lamports(solana.rpcUrl, solana.feePayer))).toBeGreaterThan(0n)

  // One pairing, one session for both chains: the phone saw one proposal and signed on both through it.
  expect(proposals).toBe(1)
  expect(wcRelay.published.filter((m) => m.via === 'wc_proposeSession')).toHaveLength(1)
  expect(phone.requests.map((r) => r.topic)).toEqual(phone.requests.map(() => settled.topic))
  expect(phone.requests.map((r) => r.chainId.split(':')[0])).toEqual(expect.arrayContaining(['eip155', 'solana']))
  expect(phone.requests.filter((r) => r.method === 'solana_signTransaction')).toHaveLength(1)
  expect(errors).toEqual([])
})

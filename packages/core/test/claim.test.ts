import { createServer, request as httpRequest, type Server } from 'node:http'
import { type RunningRelay, startRelay } from '@tokentags/relay-server'
import { ANVIL_DEV_ACCOUNTS, freePort } from '@tokentags/testkit'
import { type Address, type EIP1193Provider, parseEther, toFunctionSelector } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ActionStatusEvent,
  claim,
  connect,
  createTokenTagsClient,
  type EIP1193ProviderDetail,
  getAccount,
  type RelayRejectedError,
  type RelayUnreachableError,
  relayFailure,
  switchChain,
  type TokenTagsClientConfig,
  type WalletFallback,
} from '../src/index.js'
import { type Chain, devWallet, startChain, tokenBalance } from './utils.js'

const SITE_KEY = 'pk_core_test'
const relayer = ANVIL_DEV_ACCOUNTS[9] as (typeof ANVIL_DEV_ACCOUNTS)[number]
let chain: Chain
let otherChain: Chain
let relay: RunningRelay
let closedRelayUrl: string
// The relay's logs would drown the test output.
const silentLogger: object = new Proxy({}, { get: (_, key) => (key === 'child' ? () => silentLogger : () => {}) })

beforeAll(async () => {
  ;[chain, otherChain] = await Promise.all([startChain(), startChain({ chainId: 1338 })])
  relay = await startRelay({
    port: 0,
    chains: [
      {
        chainId: chain.anvil.chainId,
        rpcUrl: chain.anvil.rpcUrl,
        forwarder: chain.contracts.forwarder,
        relayerPrivateKeys: [relayer.privateKey],
      },
    ],
    sites: {
      [SITE_KEY]: {
        origins: [],
        allowNoOrigin: true,
        targets: [
          {
            address: chain.contracts.vestingVault,
            selectors: [toFunctionSelector('claim(uint256)'), toFunctionSelector('claimMany(uint256[])')],
          },
        ],
        dailyBudgetWei: 'unlimited',
      },
    },
    batch: { maxWaitMs: 50, pollIntervalMs: 100 },
    logger: silentLogger as never,
  })
  closedRelayUrl = `http://127.0.0.1:${await freePort()}`
})

afterAll(async () => {
  await relay?.close()
  await Promise.all([chain?.stop(), otherChain?.stop()])
})

/** A fresh beneficiary (its own anvil key) with fully vested schedules, its dev wallet and a connected client. */
async function setup(
  options: {
    schedules?: number
    config?: Partial<TokenTagsClientConfig>
    wrap?: (p: EIP1193Provider) => EIP1193Provider
  } = {},
) {
  const privateKey = generatePrivateKey()
  const account = { address: privateKeyToAccount(privateKey).address, privateKey }
  await chain.testClient.setBalance({ address: account.address, value: parseEther('10') })
  const now = await chain.now()
  const ids: bigint[] = []
  for (let i = 0; i < (options.schedules ?? 1); i++)
    ids.push(
      await chain.createSchedule({
        beneficiary: account.address,
        total: parseEther(String(100 * (i + 1))),
        start: now - 10_000n,
        cliff: 0n,
        duration: 1_000n,
      }),
    )
  const wallet = devWallet(chain.anvil.rpcUrl, chain.anvil.chainId, [account.privateKey])
  const detail: EIP1193ProviderDetail = options.wrap
    ? { info: wallet.detail.info, provider: options.wrap(wallet.provider) }
    : wallet.detail
  const client = createTokenTagsClient({
    chains: [
      { id: chain.anvil.chainId, rpcUrl: chain.anvil.rpcUrl },
      { id: otherChain.anvil.chainId, rpcUrl: otherChain.anvil.rpcUrl },
    ],
    relayUrl: relay.url,
    siteKey: SITE_KEY,
    providers: [detail],
    pollingInterval: 100,
    ...options.config,
  })
  const connected = await connect(client, { walletId: 'dev.tokentags.wallet' })
  expect(connected).toEqual({ address: account.address, chainId: chain.anvil.chainId })
  const statuses: ActionStatusEvent[] = []
  const balances = async () => ({
    token: await tokenBalance(chain, account.address),
    native: await chain.publicClient.getBalance({ address: account.address }),
  })
  return { account, ids, client, statuses, onStatus: (e: ActionStatusEvent) => statuses.push(e), balances }
}

const vault = () => chain.contracts.vestingVault as Address

describe('claim through the wallet (gasless: never)', () => {
  it('sends the transaction from the connected dev wallet: tokens arrive, the user pays gas', async () => {
    const t = await setup()
    const before = await t.balances()
    const result = await claim(t.client, {
      chainId: chain.anvil.chainId,
      vault: vault(),
      scheduleIds: t.ids,
      gasless: 'never',
      onStatus: t.onStatus,
    })
    expect(result.via).toBe('wallet')
    expect(result.requestId).toBeUndefined()
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: result.txHash })
    expect(receipt.from.toLowerCase()).toBe(t.account.address.toLowerCase())
    expect(receipt.blockNumber).toBe(result.blockNumber)
    const after = await t.balances()
    expect(after.token - before.token).toBe(parseEther('100'))
    expect(after.native).toBeLessThan(before.native)
    expect(t.statuses.map((s) => s.status)).toEqual(['signing', 'submitted', 'confirmed'])
    expect(t.statuses.every((s) => s.via === 'wallet')).toBe(true)
  })
})

describe('gasless claim through the relay', () => {
  it('signs a forward request, the relay pays: tokens arrive, the native balance is unchanged', async () => {
    const t = await setup()
    const before = await t.balances()
    const result = await claim(t.client, {
      chainId: chain.anvil.chainId,
      vault: vault(),
      scheduleIds: t.ids,
      gasless: 'always',
      onStatus: t.onStatus,
    })
    expect(result.via).toBe('relay')
    expect(typeof result.requestId).toBe('string')
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: result.txHash })
    expect(receipt.from.toLowerCase()).toBe(relayer.address.toLowerCase())
    const after = await t.balances()
    expect(after.token - before.token).toBe(parseEther('100'))
    expect(after.native).toBe(before.native)
    expect(t.statuses.map((s) => s.status)).toEqual(['signing', 'queued', 'submitted', 'confirmed'])
    expect(t.statuses.slice(1).every((s) => s.requestId === result.requestId)).toBe(true)
    expect(t.statuses.at(-1)?.txHash).toBe(result.txHash)
  })

  it('claims several schedules in one request (claimMany), with the default gasless mode', async () => {
    const t = await setup({ schedules: 2 })
    const before = await t.balances()
    const result = await claim(t.client, { chainId: chain.anvil.chainId, vault: vault(), scheduleIds: t.ids })
    expect(result.via).toBe('relay')
    const after = await t.balances()
    expect(after.token - before.token).toBe(parseEther('300'))
    expect(after.native).toBe(before.native)
  })

  it('follows the status by polling when the event stream is unavailable', async () => {
    // The real relay behind a proxy that refuses its SSE route.
    const proxy: Server = createServer((req, res) => {
      if (req.url?.endsWith('/events')) {
        res.writeHead(404, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'no SSE here' } }))
        return
      }
      const target = new URL(req.url ?? '/', relay.url)
      const upstream = httpRequest(target, { method: req.method, headers: req.headers }, (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers)
        response.pipe(res)
      })
      req.pipe(upstream)
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = proxy.address() as { port: number }
      const t = await setup({ config: { relayUrl: `http://127.0.0.1:${port}` } })
      const before = await t.balances()
      const result = await claim(t.client, {
        chainId: chain.anvil.chainId,
        vault: vault(),
        scheduleIds: t.ids,
        gasless: 'always',
        onStatus: t.onStatus,
      })
      expect(result.via).toBe('relay')
      expect((await t.balances()).token - before.token).toBe(parseEther('100'))
      expect(t.statuses.map((s) => s.status)).toEqual(['signing', 'queued', 'submitted', 'confirmed'])
    } finally {
      proxy.closeAllConnections()
      await new Promise((resolve) => proxy.close(resolve))
    }
  })

  it("'auto' never switches to the wallet: the relay down throws with the wallet's cost, 'never' then pays", async () => {
    const t = await setup({ config: { relayUrl: closedRelayUrl } })
    const before = await t.balances()
    const params = { chainId: chain.anvil.chainId, vault: vault(), scheduleIds: t.ids, onStatus: t.onStatus }
    const error = (await claim(t.client, { ...params, gasless: 'auto' }).catch(
      (e: unknown) => e,
    )) as RelayUnreachableError
    expect(error).toMatchObject({ name: 'RelayUnreachableError', code: 'RELAY_UNREACHABLE' })
    expect(await t.balances()).toEqual(before)
    const fallback = error.walletFallback as WalletFallback
    expect(relayFailure(error)).toMatchObject({ kind: 'unreachable', walletCanDoIt: true, walletFallback: fallback })
    const gasPrice = BigInt(await chain.publicClient.request({ method: 'eth_gasPrice' }))
    expect(fallback.gasPrice).toBe(gasPrice)
    expect(fallback.gas).toBeGreaterThan(21_000n)
    expect(fallback.cost).toBe(fallback.gas * gasPrice)
    expect(fallback.balance).toBe(before.native)
    expect(fallback.affordable).toBe(true)

    // The visitor's explicit choice: the same claim through the wallet.
    const result = await claim(t.client, { ...params, gasless: 'never' })
    expect(result.via).toBe('wallet')
    const after = await t.balances()
    expect(after.token - before.token).toBe(parseEther('100'))
    expect(after.native).toBeLessThan(before.native)
  })

  it("'auto' with no ETH: the relay refusal says the wallet cannot afford the gas", async () => {
    const t = await setup({ config: { siteKey: 'pk_unknown_site' } })
    await chain.testClient.setBalance({ address: t.account.address, value: 0n })
    const error = (await claim(t.client, {
      chainId: chain.anvil.chainId,
      vault: vault(),
      scheduleIds: t.ids,
    }).catch((e: unknown) => e)) as RelayRejectedError
    expect(relayFailure(error)).toMatchObject({ kind: 'site', relayCode: 'UNKNOWN_SITE', walletCanDoIt: true })
    expect(error.walletFallback).toMatchObject({ balance: 0n, affordable: false })
    expect((error.walletFallback as WalletFallback).cost > 0n).toBe(true)
  })

  it("'always' attaches no wallet cost: paying gas is not on offer", async () => {
    const t = await setup({ config: { relayUrl: closedRelayUrl } })
    const error = (await claim(t.client, {
      chainId: chain.anvil.chainId,
      vault: vault(),
      scheduleIds: t.ids,
      gasless: 'always',
    }).catch((e: unknown) => e)) as RelayUnreachableError
    expect(error.code).toBe('RELAY_UNREACHABLE')
    expect(error.walletFallback).toBe(undefined)
  })

  it("'auto' without any relay configured uses the wallet", async () => {
    const t = await setup({ config: { relayUrl: undefined } })
    const result = await claim(t.client, { chainId: chain.anvil.chainId, vault: vault(), scheduleIds: t.ids })
    expect(result.via).toBe('wallet')
  })

  it("'always' with the relay down fails with RELAY_UNREACHABLE and sends nothing", async () => {
    const t = await setup({ config: { relayUrl: closedRelayUrl } })
    const before = await t.balances()
    await expect(
      claim(t.client, { chainId: chain.anvil.chainId, vault: vault(), scheduleIds: t.ids, gasless: 'always' }),
    ).rejects.toMatchObject({ name: 'RelayUnreachableError', code: 'RELAY_UNREACHABLE' })
    expect(await t.balances()).toEqual(before)
  })

  it('a relay 4xx is RELAY_REJECTED with the relay code, and does not fall back to the wallet', async () => {
    const t = await setup({ config: { siteKey: 'pk_unknown_site' } })
    const before = await t.balances()
    const error = await claim(t.client, {
      chainId: chain.anvil.chainId,
      vault: vault(),
      scheduleIds: t.ids,
      gasless: 'auto',
      onStatus: t.onStatus,
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'RelayRejectedError', code: 'RELAY_REJECTED', relayCode: 'UNKNOWN_SITE' })
    expect((error as { status?: number }).status).toBeGreaterThanOrEqual(400)
    expect(await t.balances()).toEqual(before)
    expect(t.statuses.map((s) => `${s.status}/${s.via}`)).toEqual(['signing/relay', 'failed/relay'])
  })
})

describe('claim errors', () => {
  it('WRONG_CHAIN when the wallet is on another chain; switchChain reports a wallet that cannot switch', async () => {
    const t = await setup()
    const error = await claim(t.client, {
      chainId: otherChain.anvil.chainId,
      vault: vault(),
      scheduleIds: t.ids,
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'WRONG_CHAIN',
      expectedChainId: otherChain.anvil.chainId,
      actualChainId: chain.anvil.chainId,
    })
    await expect(switchChain(t.client, { chainId: otherChain.anvil.chainId })).rejects.toMatchObject({
      code: 'CHAIN_SWITCH_FAILED',
    })
    await expect(switchChain(t.client, { chainId: chain.anvil.chainId })).resolves.toBeUndefined()
    expect(getAccount(t.client).chainId).toBe(chain.anvil.chainId)
  })

  it('USER_REJECTED when the wallet refuses to sign, in both modes', async () => {
    const t = await setup({
      wrap: (provider) => ({
        ...provider,
        on: provider.on.bind(provider),
        removeListener: provider.removeListener.bind(provider),
        request: (async (args: { method: string }) => {
          if (args.method === 'eth_signTypedData_v4' || args.method === 'eth_sendTransaction')
            throw Object.assign(new Error('User rejected the request.'), { code: 4001 })
          return provider.request(args as never)
        }) as EIP1193Provider['request'],
      }),
    })
    for (const gasless of ['always', 'never'] as const)
      await expect(
        claim(t.client, { chainId: chain.anvil.chainId, vault: vault(), scheduleIds: t.ids, gasless }),
      ).rejects.toMatchObject({ name: 'UserRejectedError', code: 'USER_REJECTED' })
  })

  it('NOTHING_TO_CLAIM before anything vested; WALLET_NOT_CONNECTED; INVALID_PARAMETER; ABORTED', async () => {
    const t = await setup()
    const now = await chain.now()
    const later = await chain.createSchedule({
      beneficiary: t.account.address,
      total: parseEther('5'),
      start: now + 10_000n,
      cliff: 0n,
      duration: 100n,
    })
    for (const gasless of ['always', 'never'] as const)
      await expect(
        claim(t.client, { chainId: chain.anvil.chainId, vault: vault(), scheduleIds: [later], gasless }),
      ).rejects.toMatchObject({ code: 'NOTHING_TO_CLAIM' })
    await expect(
      claim(t.client, { chainId: chain.anvil.chainId, vault: vault(), scheduleIds: [] }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMETER' })
    const aborted = AbortSignal.abort()
    await expect(
      claim(t.client, { chainId: chain.anvil.chainId, vault: vault(), scheduleIds: t.ids, signal: aborted }),
    ).rejects.toMatchObject({ code: 'ABORTED' })

    const disconnected = createTokenTagsClient({ chains: [{ id: chain.anvil.chainId, rpcUrl: chain.anvil.rpcUrl }] })
    await expect(
      claim(disconnected, { chainId: chain.anvil.chainId, vault: vault(), scheduleIds: t.ids }),
    ).rejects.toMatchObject({ code: 'WALLET_NOT_CONNECTED' })
  })
})

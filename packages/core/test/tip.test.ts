import { tagTokenAbi, tipRouterAbi } from '@tokentags/contracts'
import {
  type Address,
  type EIP1193Provider,
  getAddress,
  type Hex,
  parseEther,
  parseEventLogs,
  parseSignature,
  parseUnits,
} from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ActionStatusEvent, connect, createTokenTagsClient, getToken, tip } from '../src/index.js'
import { authorizationTokenAbi, type Platform, SITE_KEY, startPlatform } from './platform.js'
import { devWallet } from './utils.js'

let p: Platform

beforeAll(async () => {
  p = await startPlatform()
})

afterAll(async () => {
  await p?.stop()
})

/** A fresh tipper holding ETH, TAG, PRM and USDC, its connected client, and the typed data its wallet signed. */
async function setup() {
  const privateKey = generatePrivateKey()
  const address = privateKeyToAccount(privateKey).address
  const { chain } = p
  await chain.testClient.setBalance({ address, value: parseEther('10') })
  await p.send({
    address: chain.contracts.token,
    abi: tagTokenAbi,
    functionName: 'transfer',
    args: [address, parseEther('100')],
  })
  await p.send({
    address: p.permitToken,
    abi: tagTokenAbi,
    functionName: 'transfer',
    args: [address, parseEther('100')],
  })
  await p.send({
    address: p.usdc,
    abi: authorizationTokenAbi,
    functionName: 'mint',
    args: [address, parseUnits('100', 6)],
  })
  const signed: { primaryType: string; message: Record<string, unknown>; signature: Hex }[] = []
  const transactions: unknown[] = []
  const wallet = devWallet(chain.anvil.rpcUrl, chain.anvil.chainId, [privateKey])
  const provider = {
    ...wallet.provider,
    request: async (args: { method: string; params?: unknown }) => {
      const result = await wallet.provider.request(args as never)
      if (args.method === 'eth_signTypedData_v4') {
        const typed = JSON.parse((args.params as [string, string])[1])
        signed.push({ primaryType: typed.primaryType, message: typed.message, signature: result as Hex })
      }
      if (args.method === 'eth_sendTransaction') transactions.push(args.params)
      return result
    },
  } as unknown as EIP1193Provider
  const client = createTokenTagsClient({
    chains: [{ id: chain.anvil.chainId, rpcUrl: chain.anvil.rpcUrl }],
    relayUrl: p.relay.url,
    siteKey: SITE_KEY,
    providers: [{ info: wallet.detail.info, provider }],
    pollingInterval: 100,
  })
  await connect(client, { walletId: 'dev.tokentags.wallet' })
  const statuses: ActionStatusEvent[] = []
  return { address, client, signed, transactions, statuses, onStatus: (e: ActionStatusEvent) => statuses.push(e) }
}

const balanceOf = (token: Address, owner: Address) =>
  p.chain.publicClient.readContract({ address: token, abi: tagTokenAbi, functionName: 'balanceOf', args: [owner] })
const newCreator = () => privateKeyToAccount(generatePrivateKey()).address
const chainId = () => p.chain.anvil.chainId

describe('tip', () => {
  it('tips TagToken gaslessly with one signature: a forwarded transfer', async () => {
    const t = await setup()
    const creator = newCreator()
    const ethBefore = await p.chain.publicClient.getBalance({ address: t.address })
    const result = await tip(t.client, {
      chainId: chainId(),
      to: creator,
      token: p.chain.contracts.token,
      amount: parseEther('5'),
      onStatus: t.onStatus,
    })
    expect(result).toMatchObject({ via: 'relay', method: 'transfer' })
    expect(t.signed.map((s) => s.primaryType)).toEqual(['ForwardRequest'])
    expect(t.transactions).toHaveLength(0)
    expect(await balanceOf(p.chain.contracts.token, creator)).toBe(parseEther('5'))
    expect(await p.chain.publicClient.getBalance({ address: t.address })).toBe(ethBefore)
    expect(t.statuses.map((s) => s.status)).toEqual(['signing', 'queued', 'submitted', 'confirmed'])
  })

  it('tips a permit token through the TipRouter: permit + forwarded tipWithPermit, Tipped event with the memo', async () => {
    const t = await setup()
    const creator = newCreator()
    const result = await tip(t.client, {
      chainId: chainId(),
      to: creator,
      token: p.permitToken,
      amount: parseEther('2'),
      router: p.tipRouter,
      memo: 'great stream',
    })
    expect(result).toMatchObject({ via: 'relay', method: 'permit' })
    expect(t.signed.map((s) => s.primaryType)).toEqual(['Permit', 'ForwardRequest'])
    expect(await balanceOf(p.permitToken, creator)).toBe(parseEther('2'))
    const receipt = await p.chain.publicClient.getTransactionReceipt({ hash: result.txHash })
    const [tipped] = parseEventLogs({ abi: tipRouterAbi, eventName: 'Tipped', logs: receipt.logs })
    expect(tipped?.args).toMatchObject({
      recipient: creator,
      sender: t.address,
      token: getAddress(p.permitToken),
      memo: 'great stream',
    })
  })

  it('signs one EIP-3009 authorization for a USDC-style token; the token accepts it from the router', async () => {
    const t = await setup()
    const creator = newCreator()
    const amount = parseUnits('3', 6)
    const attempt = tip(t.client, {
      chainId: chainId(),
      to: creator,
      token: p.usdc,
      amount,
      router: p.tipRouter,
      memo: 'gm',
      method: 'authorization',
      // A one-time key signs the forward request: the wallet is asked once.
      forwardSigner: privateKeyToAccount(generatePrivateKey()),
    })
    if (p.routerTakesAuthorizations) {
      await expect(attempt).resolves.toMatchObject({ via: 'relay', method: 'authorization' })
      expect(t.signed.map((s) => s.primaryType)).toEqual(['ReceiveWithAuthorization'])
      expect(await balanceOf(p.usdc, creator)).toBe(amount)
      return
    }
    // TipRouter has no tipWithAuthorization yet: the call cannot be simulated, but the one signature is checked.
    await expect(attempt).rejects.toMatchObject({ code: 'TRANSACTION_FAILED' })
    expect(t.signed.map((s) => s.primaryType)).toEqual(['ReceiveWithAuthorization'])
    const [auth] = t.signed as [(typeof t.signed)[number]]
    const message = auth.message as {
      from: Address
      to: Address
      value: string
      validAfter: string
      validBefore: string
      nonce: Hex
    }
    expect(message).toMatchObject({ from: t.address, to: p.tipRouter, value: amount.toString() })
    // The payee is the router; submitting as the router moves the funds, so the signature is the token's own.
    const { v, r, s } = parseSignature(auth.signature)
    await p.chain.testClient.impersonateAccount({ address: p.tipRouter })
    await p.chain.testClient.setBalance({ address: p.tipRouter, value: parseEther('1') })
    const hash = await p.chain.testClient.request({
      method: 'eth_sendTransaction',
      params: [
        {
          from: p.tipRouter,
          to: p.usdc,
          data: (await import('viem')).encodeFunctionData({
            abi: authorizationTokenAbi,
            functionName: 'receiveWithAuthorization',
            args: [t.address, p.tipRouter, amount, 0n, BigInt(message.validBefore), message.nonce, Number(v), r, s],
          }),
        },
      ],
    } as never)
    const receipt = await p.chain.publicClient.waitForTransactionReceipt({ hash: hash as Hex })
    expect(receipt.status).toBe('success')
    await p.chain.testClient.stopImpersonatingAccount({ address: p.tipRouter })
    expect(await balanceOf(p.usdc, p.tipRouter)).toBe(amount)
  })

  it('tips the USDC-style token gaslessly in auto mode (EIP-3009 when the router takes it, else permit)', async () => {
    const t = await setup()
    const creator = newCreator()
    const result = await tip(t.client, {
      chainId: chainId(),
      to: creator,
      token: p.usdc,
      amount: parseUnits('1.5', 6),
      router: p.tipRouter,
    })
    expect(result.via).toBe('relay')
    expect(result.method).toBe(p.routerTakesAuthorizations ? 'authorization' : 'permit')
    expect(await balanceOf(p.usdc, creator)).toBe(parseUnits('1.5', 6))
  })

  it('tips native coin with a wallet transaction (the visitor pays gas), through the router with a memo', async () => {
    const t = await setup()
    const creator = newCreator()
    const result = await tip(t.client, {
      chainId: chainId(),
      to: creator,
      amount: parseEther('0.25'),
      router: p.tipRouter,
      memo: 'coffee',
      onStatus: t.onStatus,
    })
    expect(result).toMatchObject({ via: 'wallet', method: 'native' })
    expect(t.signed).toHaveLength(0)
    expect(await p.chain.publicClient.getBalance({ address: creator })).toBe(parseEther('0.25'))
    expect(t.statuses.map((s) => s.status)).toEqual(['signing', 'submitted', 'confirmed'])
  })

  it('tips native coin straight to the creator without a router', async () => {
    const t = await setup()
    const creator = newCreator()
    const result = await tip(t.client, { chainId: chainId(), to: creator, token: 'native', amount: parseEther('0.1') })
    expect(result.method).toBe('native')
    expect(await p.chain.publicClient.getBalance({ address: creator })).toBe(parseEther('0.1'))
  })

  it('tips an ERC-20 through the wallet when gasless is never: approve, then the router’s tip', async () => {
    const t = await setup()
    const creator = newCreator()
    const result = await tip(t.client, {
      chainId: chainId(),
      to: creator,
      token: p.permitToken,
      amount: parseEther('1'),
      router: p.tipRouter,
      gasless: 'never',
    })
    expect(result).toMatchObject({ via: 'wallet', method: 'wallet' })
    expect(t.signed).toHaveLength(0)
    expect(t.transactions).toHaveLength(2)
    expect(await balanceOf(p.permitToken, creator)).toBe(parseEther('1'))
  })

  it('rejects bad parameters with INVALID_PARAMETER before any prompt', async () => {
    const t = await setup()
    const base = { chainId: chainId(), to: newCreator(), amount: 1n }
    await expect(tip(t.client, { ...base, to: '0x1234' as Address })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
    })
    await expect(tip(t.client, { ...base, amount: 0n })).rejects.toMatchObject({ code: 'INVALID_PARAMETER' })
    await expect(tip(t.client, { ...base, memo: 'needs a router' })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER',
    })
    expect(t.signed).toHaveLength(0)
  })

  it('reads token metadata for the widgets', async () => {
    const t = await setup()
    expect(await getToken(t.client, { chainId: chainId(), token: p.usdc })).toEqual({
      address: p.usdc,
      symbol: 'USDC',
      decimals: 6,
    })
    expect(await getToken(t.client, { chainId: chainId(), token: 'native' })).toEqual({
      address: 'native',
      symbol: 'ETH',
      decimals: 18,
    })
  })
})

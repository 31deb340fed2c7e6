import { tagTokenAbi, tokenSaleAbi } from '@tokentags/contracts'
import { type Address, parseEther, parseUnits } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ActionStatusEvent, buy, connect, createTokenTagsClient, getBuyQuote, getSale } from '../src/index.js'
import { authorizationTokenAbi, type Platform, SITE_KEY, startPlatform } from './platform.js'
import { devWallet } from './utils.js'

let p: Platform

beforeAll(async () => {
  p = await startPlatform()
})

afterAll(async () => {
  await p?.stop()
})

async function setup() {
  const privateKey = generatePrivateKey()
  const address = privateKeyToAccount(privateKey).address
  await p.chain.testClient.setBalance({ address, value: parseEther('10') })
  await p.send({
    address: p.usdc,
    abi: authorizationTokenAbi,
    functionName: 'mint',
    args: [address, parseUnits('1000', 6)],
  })
  const wallet = devWallet(p.chain.anvil.rpcUrl, p.chain.anvil.chainId, [privateKey])
  const signed: string[] = []
  const provider = {
    ...wallet.provider,
    request: async (args: { method: string; params?: unknown }) => {
      if (args.method === 'eth_signTypedData_v4')
        signed.push(JSON.parse((args.params as [string, string])[1]).primaryType)
      return wallet.provider.request(args as never)
    },
  }
  const client = createTokenTagsClient({
    chains: [{ id: p.chain.anvil.chainId, rpcUrl: p.chain.anvil.rpcUrl }],
    relayUrl: p.relay.url,
    siteKey: SITE_KEY,
    providers: [{ info: wallet.detail.info, provider: provider as never }],
    pollingInterval: 100,
  })
  await connect(client, { walletId: 'dev.tokentags.wallet' })
  const statuses: ActionStatusEvent[] = []
  return { address, client, signed, statuses, onStatus: (e: ActionStatusEvent) => statuses.push(e) }
}

const tagBalance = (owner: Address) =>
  p.chain.publicClient.readContract({
    address: p.chain.contracts.token,
    abi: tagTokenAbi,
    functionName: 'balanceOf',
    args: [owner],
  })
const chainId = () => p.chain.anvil.chainId

describe('getSale and getBuyQuote', () => {
  it('reads price, window, caps, remaining and the buyer’s own cap', async () => {
    const t = await setup()
    const sale = await getSale(t.client, { chainId: chainId(), sale: p.usdcSale, buyer: t.address })
    expect(sale).toMatchObject({
      status: 'open',
      price: parseUnits('0.5', 6),
      priceUnit: 10n ** 18n,
      totalCap: parseEther('100000'),
      perBuyerCap: parseEther('1000'),
      paused: false,
      saleToken: { symbol: 'TAG', decimals: 18 },
      paymentToken: { address: p.usdc, symbol: 'USDC', decimals: 6 },
      buyer: { address: t.address, purchased: 0n, available: parseEther('1000') },
    })
    expect(sale.end).toBeGreaterThan(sale.start)
    const native = await getSale(t.client, { chainId: chainId(), sale: p.nativeSale })
    expect(native.paymentToken).toEqual({ address: 'native', symbol: 'ETH', decimals: 18 })
    expect(native.buyer).toBeUndefined()
  })

  it('quotes through the sale’s quote view with a minOut 0.5% under it by default', async () => {
    const t = await setup()
    const quote = await getBuyQuote(t.client, { chainId: chainId(), sale: p.usdcSale, amountIn: parseUnits('10', 6) })
    expect(quote).toEqual({
      amountIn: parseUnits('10', 6),
      amountOut: parseEther('20'),
      minOut: parseEther('19.9'),
      slippageBps: 50,
    })
  })
})

describe('buy', () => {
  it('buys with the ERC-20 gaslessly: permit + forwarded buyWithPermit', async () => {
    const t = await setup()
    const ethBefore = await p.chain.publicClient.getBalance({ address: t.address })
    const quote = await getBuyQuote(t.client, { chainId: chainId(), sale: p.usdcSale, amountIn: parseUnits('10', 6) })
    const result = await buy(t.client, {
      chainId: chainId(),
      sale: p.usdcSale,
      amountIn: quote.amountIn,
      minOut: quote.minOut,
      onStatus: t.onStatus,
    })
    expect(result).toMatchObject({ via: 'relay', method: 'permit', minOut: quote.minOut })
    expect(t.signed).toEqual(['Permit', 'ForwardRequest'])
    expect(await tagBalance(t.address)).toBe(parseEther('20'))
    expect(await p.chain.publicClient.getBalance({ address: t.address })).toBe(ethBefore)
    expect(t.statuses.at(-1)?.status).toBe('confirmed')
    const sale = await getSale(t.client, { chainId: chainId(), sale: p.usdcSale, buyer: t.address })
    expect(sale.buyer?.purchased).toBe(parseEther('20'))
  })

  it('buys with native coin through the wallet', async () => {
    const t = await setup()
    const result = await buy(t.client, { chainId: chainId(), sale: p.nativeSale, amountIn: parseEther('0.01') })
    expect(result).toMatchObject({ via: 'wallet', method: 'native' })
    expect(t.signed).toHaveLength(0)
    expect(await tagBalance(t.address)).toBe(parseEther('10'))
  })

  it('buys with the ERC-20 through the wallet when gasless is never: approve, then buy', async () => {
    const t = await setup()
    const result = await buy(t.client, {
      chainId: chainId(),
      sale: p.usdcSale,
      amountIn: parseUnits('1', 6),
      gasless: 'never',
    })
    expect(result).toMatchObject({ via: 'wallet', method: 'wallet', minOut: parseEther('1.99') })
    expect(t.signed).toHaveLength(0)
    expect(await tagBalance(t.address)).toBe(parseEther('2'))
  })

  it('fails with SLIPPAGE when the price rose after the quote, before any prompt', async () => {
    const t = await setup()
    const quote = await getBuyQuote(t.client, { chainId: chainId(), sale: p.usdcSale, amountIn: parseUnits('10', 6) })
    await p.send({ address: p.usdcSale, abi: tokenSaleAbi, functionName: 'setPrice', args: [parseUnits('0.6', 6)] })
    try {
      await expect(
        buy(t.client, { chainId: chainId(), sale: p.usdcSale, amountIn: quote.amountIn, minOut: quote.minOut }),
      ).rejects.toMatchObject({ code: 'SLIPPAGE', name: 'SlippageError', minOut: quote.minOut })
      // Native sale, simulated on chain: the same code.
      const native = await getBuyQuote(t.client, {
        chainId: chainId(),
        sale: p.nativeSale,
        amountIn: parseEther('0.01'),
      })
      await p.send({ address: p.nativeSale, abi: tokenSaleAbi, functionName: 'setPrice', args: [parseEther('0.002')] })
      await expect(
        buy(t.client, { chainId: chainId(), sale: p.nativeSale, amountIn: native.amountIn, minOut: native.minOut }),
      ).rejects.toMatchObject({ code: 'SLIPPAGE' })
      expect(t.signed).toHaveLength(0)
    } finally {
      await p.send({ address: p.usdcSale, abi: tokenSaleAbi, functionName: 'setPrice', args: [parseUnits('0.5', 6)] })
      await p.send({ address: p.nativeSale, abi: tokenSaleAbi, functionName: 'setPrice', args: [parseEther('0.001')] })
    }
  })

  it('fails with SALE_CAP_EXCEEDED over the buyer’s cap', async () => {
    const t = await setup()
    // 1,000 TAG cap at 0.5 USDC: 600 USDC buys 1,200 TAG.
    await expect(
      buy(t.client, { chainId: chainId(), sale: p.usdcSale, amountIn: parseUnits('600', 6) }),
    ).rejects.toMatchObject({ code: 'SALE_CAP_EXCEEDED', available: parseEther('1000') })
  })
})

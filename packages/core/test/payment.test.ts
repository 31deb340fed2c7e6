// EIP-681 payment requests (golden URIs) and `waitForPayment` against anvil: payments sent from dev keys, as a
// phone wallet would after scanning the code.
import { tagTokenAbi } from '@tokentags/contracts'
import { ANVIL_DEV_ACCOUNTS } from '@tokentags/testkit'
import { type Address, createWalletClient, http, parseEther, type Chain as ViemChain } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AbortedError,
  createTokenTagsClient,
  InvalidParameterError,
  paymentRequestUri,
  type TokenTagsClient,
  waitForPayment,
} from '../src/index.js'
import { type Chain, deployer, startChain } from './utils.js'

const CREATOR = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const USDC = '0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913'

describe('paymentRequestUri (EIP-681)', () => {
  it('native coin: ethereum:<to>@<chainId>?value=<wei>', () => {
    expect(paymentRequestUri({ chainId: 8453, to: CREATOR, token: 'native', amount: 10n ** 16n })).toBe(
      'ethereum:0x70997970C51812dc3A010C7d01b50e0d17dc79C8@8453?value=10000000000000000',
    )
  })

  it('ERC-20: ethereum:<token>@<chainId>/transfer?address=<to>&uint256=<amount>, checksummed', () => {
    expect(
      paymentRequestUri({
        chainId: 8453,
        to: CREATOR.toLowerCase() as Address,
        token: USDC.toLowerCase() as Address,
        amount: 5_000_000n,
      }),
    ).toBe(
      'ethereum:0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913@8453/transfer?address=0x70997970C51812dc3A010C7d01b50e0d17dc79C8&uint256=5000000',
    )
  })

  it('writes large amounts as plain integers', () => {
    expect(paymentRequestUri({ chainId: 1, to: CREATOR, token: 'native', amount: 123n * 10n ** 30n })).toBe(
      `ethereum:${CREATOR}@1?value=123000000000000000000000000000000`,
    )
  })

  it('refuses what no wallet could pay', () => {
    expect(() => paymentRequestUri({ chainId: 0, to: CREATOR, token: 'native', amount: 1n })).toThrow(
      InvalidParameterError,
    )
    expect(() => paymentRequestUri({ chainId: 1, to: CREATOR, token: 'native', amount: 0n })).toThrow(
      InvalidParameterError,
    )
    expect(() => paymentRequestUri({ chainId: 1, to: '0x1234' as Address, token: 'native', amount: 1n })).toThrow(
      InvalidParameterError,
    )
  })
})

describe('waitForPayment', () => {
  let chain: Chain
  let client: TokenTagsClient
  // anvil's public dev account #6 plays the phone wallet.
  const payer = privateKeyToAccount((ANVIL_DEV_ACCOUNTS[6] as { privateKey: `0x${string}` }).privateKey)
  const recipient = (ANVIL_DEV_ACCOUNTS[8] as { address: Address }).address

  beforeAll(async () => {
    chain = await startChain()
    client = createTokenTagsClient({
      chains: [{ id: chain.anvil.chainId, rpcUrl: chain.anvil.rpcUrl }],
      pollingInterval: 50,
    })
    // The payer holds TAG to pay in.
    const admin = createWalletClient({
      account: privateKeyToAccount(deployer.privateKey),
      chain: chain.chain as ViemChain,
      transport: http(chain.anvil.rpcUrl),
    })
    const hash = await admin.writeContract({
      address: chain.contracts.token,
      abi: tagTokenAbi,
      functionName: 'transfer',
      args: [payer.address, parseEther('100')],
    })
    await chain.publicClient.waitForTransactionReceipt({ hash })
  })
  afterAll(async () => {
    await chain?.stop()
  })

  const wallet = () =>
    createWalletClient({ account: payer, chain: chain.chain as ViemChain, transport: http(chain.anvil.rpcUrl) })
  const block = async () => chain.publicClient.getBlockNumber({ cacheTime: 0 })

  it('finds a native payment of exactly the amount, not one of another amount or to someone else', async () => {
    const fromBlock = await block()
    const waiting = waitForPayment(client, {
      chainId: chain.anvil.chainId,
      to: recipient,
      token: 'native',
      amount: parseEther('0.02'),
      fromBlock,
    })
    await wallet().sendTransaction({ to: recipient, value: parseEther('0.01') })
    await wallet().sendTransaction({ to: CREATOR, value: parseEther('0.02') })
    const hash = await wallet().sendTransaction({ to: recipient, value: parseEther('0.02') })
    const found = await waiting
    expect(found).toEqual({ txHash: hash, from: payer.address, blockNumber: expect.any(BigInt) })
    expect(found.blockNumber).toBeGreaterThan(fromBlock)
  })

  it('finds an ERC-20 Transfer to the recipient with the amount', async () => {
    const waiting = waitForPayment(client, {
      chainId: chain.anvil.chainId,
      to: recipient,
      token: chain.contracts.token,
      amount: parseEther('5'),
    })
    // Let it read its first block before paying: a payment before `fromBlock` is not this request's.
    await new Promise((r) => setTimeout(r, 200))
    const transfer = (amount: bigint) =>
      wallet().writeContract({
        address: chain.contracts.token,
        abi: tagTokenAbi,
        functionName: 'transfer',
        args: [recipient, amount],
      })
    await transfer(parseEther('4'))
    const hash = await transfer(parseEther('5'))
    const found = await waiting
    expect(found.txHash).toBe(hash)
    expect(found.from).toBe(payer.address)
  })

  it('by default does not count a payment already on the chain (a previous tip of the same amount)', async () => {
    const early = await wallet().sendTransaction({ to: recipient, value: 888n })
    await chain.publicClient.waitForTransactionReceipt({ hash: early })
    const abort = new AbortController()
    const waiting = waitForPayment(client, {
      chainId: chain.anvil.chainId,
      to: recipient,
      token: 'native',
      amount: 888n,
      signal: abort.signal,
    })
    setTimeout(() => abort.abort(), 300)
    await expect(waiting).rejects.toBeInstanceOf(AbortedError)
  })

  it('does not count a payment made before fromBlock', async () => {
    const early = await wallet().sendTransaction({ to: recipient, value: 777n })
    const { blockNumber } = await chain.publicClient.waitForTransactionReceipt({ hash: early })
    const abort = new AbortController()
    const waiting = waitForPayment(client, {
      chainId: chain.anvil.chainId,
      to: recipient,
      token: 'native',
      amount: 777n,
      fromBlock: blockNumber + 1n,
      signal: abort.signal,
    })
    setTimeout(() => abort.abort(), 300)
    await expect(waiting).rejects.toBeInstanceOf(AbortedError)
  })
})

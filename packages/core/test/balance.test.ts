// getBalance against anvil: native coin (with the gas reserve a wallet-paid transaction needs) and an ERC-20.
import { tagTokenAbi } from '@tokentags/contracts'
import { type Address, createWalletClient, http, parseEther, type Chain as ViemChain } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTokenTagsClient, getBalance, InvalidParameterError, type TokenTagsClient } from '../src/index.js'
import { type Chain, deployer, startChain } from './utils.js'

describe('getBalance', () => {
  let chain: Chain
  let client: TokenTagsClient
  // A fresh account: its balances are exactly what the test gives it.
  const holder = privateKeyToAccount(generatePrivateKey()).address

  beforeAll(async () => {
    chain = await startChain()
    client = createTokenTagsClient({ chains: [{ id: chain.anvil.chainId, rpcUrl: chain.anvil.rpcUrl }] })
    await chain.testClient.setBalance({ address: holder, value: parseEther('1.5') })
    const admin = createWalletClient({
      account: privateKeyToAccount(deployer.privateKey),
      chain: chain.chain as ViemChain,
      transport: http(chain.anvil.rpcUrl),
    })
    const hash = await admin.writeContract({
      address: chain.contracts.token,
      abi: tagTokenAbi,
      functionName: 'transfer',
      args: [holder, parseEther('42.25')],
    })
    await chain.publicClient.waitForTransactionReceipt({ hash })
  })
  afterAll(async () => {
    await chain?.stop()
  })

  it('reads the native balance; without reserveGas all of it is spendable', async () => {
    const balance = await getBalance(client, { chainId: chain.anvil.chainId, token: 'native', account: holder })
    expect(balance).toEqual({ value: parseEther('1.5'), reserve: 0n, spendable: parseEther('1.5') })
  })

  it('keeps reserveGas at twice the gas price back from the native balance', async () => {
    const gasPrice = await chain.publicClient.getGasPrice()
    expect(gasPrice).toBeGreaterThan(0n)
    const balance = await getBalance(client, {
      chainId: chain.anvil.chainId,
      token: 'native',
      account: holder,
      reserveGas: 100_000n,
    })
    expect(balance.reserve).toBe(100_000n * gasPrice * 2n)
    expect(balance.spendable).toBe(parseEther('1.5') - balance.reserve)
  })

  it('never offers less than nothing when the fee is more than the balance', async () => {
    const poor = privateKeyToAccount(generatePrivateKey()).address
    await chain.testClient.setBalance({ address: poor, value: 1000n })
    const balance = await getBalance(client, {
      chainId: chain.anvil.chainId,
      token: 'native',
      account: poor,
      reserveGas: 21_000n,
    })
    expect(balance.value).toBe(1000n)
    expect(balance.spendable).toBe(0n)
  })

  it('reads an ERC-20 balance with no reserve, whatever reserveGas says', async () => {
    const balance = await getBalance(client, {
      chainId: chain.anvil.chainId,
      token: chain.contracts.token,
      account: holder,
      reserveGas: 100_000n,
    })
    expect(balance).toEqual({ value: parseEther('42.25'), reserve: 0n, spendable: parseEther('42.25') })
  })

  it('refuses an account or token that is not an address', async () => {
    await expect(
      getBalance(client, { chainId: chain.anvil.chainId, token: 'native', account: '0x1234' as Address }),
    ).rejects.toBeInstanceOf(InvalidParameterError)
    await expect(
      getBalance(client, { chainId: chain.anvil.chainId, token: 'nope' as Address, account: holder }),
    ).rejects.toBeInstanceOf(InvalidParameterError)
  })
})

import { ANVIL_DEV_ACCOUNTS, type AnvilInstance, startAnvil } from '@tokentags/testkit'
import {
  announceDevWallet,
  createDevWalletProvider,
  DEV_WALLET_INFO,
  type DevWalletProvider,
} from '@tokentags/testkit/dev-wallet'
import { createPublicClient, type Hex, http, parseEther, verifyMessage, verifyTypedData } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const [a, b] = ANVIL_DEV_ACCOUNTS as unknown as [{ address: Hex; privateKey: Hex }, { address: Hex; privateKey: Hex }]
let anvil: AnvilInstance
let wallet: DevWalletProvider

beforeAll(async () => {
  anvil = await startAnvil()
  wallet = createDevWalletProvider({
    rpcUrl: anvil.rpcUrl,
    chainId: anvil.chainId,
    privateKeys: [a.privateKey, b.privateKey],
  })
})

afterAll(async () => {
  await anvil?.stop()
})

const typedData = {
  domain: { name: 'TokenTags Forwarder', version: '1', chainId: 31337, verifyingContract: a.address },
  types: {
    EIP712Domain: [
      { name: 'name', type: 'string' },
      { name: 'version', type: 'string' },
      { name: 'chainId', type: 'uint256' },
      { name: 'verifyingContract', type: 'address' },
    ],
    ForwardRequest: [
      { name: 'from', type: 'address' },
      { name: 'to', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'gas', type: 'uint256' },
      { name: 'nonce', type: 'uint256' },
      { name: 'deadline', type: 'uint48' },
      { name: 'data', type: 'bytes' },
    ],
  },
  primaryType: 'ForwardRequest',
  message: {
    from: a.address,
    to: b.address,
    value: '0',
    gas: '100000',
    nonce: '7',
    deadline: 1_900_000_000,
    data: '0x1234',
  },
} as const

describe('dev wallet', () => {
  it('has clearly labelled EIP-6963 info', () => {
    expect(DEV_WALLET_INFO).toMatchObject({ name: 'TokenTags Dev Wallet (dev only)', rdns: 'dev.tokentags.wallet' })
    expect(DEV_WALLET_INFO.icon.startsWith('data:image/svg+xml,')).toBe(true)
    expect(DEV_WALLET_INFO.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  it('lists no accounts until eth_requestAccounts, then the selected one first', async () => {
    const fresh = createDevWalletProvider({ rpcUrl: anvil.rpcUrl, chainId: anvil.chainId, privateKeys: [a.privateKey] })
    expect(await fresh.request({ method: 'eth_accounts' })).toEqual([])
    expect(await fresh.request({ method: 'eth_requestAccounts' })).toEqual([a.address])
    expect(await fresh.request({ method: 'eth_chainId' })).toBe('0x7a69')
  })

  it('signs EIP-712 typed data (JSON string params, as viem and dapps send them) verifiable by viem', async () => {
    await wallet.request({ method: 'eth_requestAccounts' })
    const signature = (await wallet.request({
      method: 'eth_signTypedData_v4',
      params: [a.address, JSON.stringify(typedData)],
    })) as Hex
    const { EIP712Domain: _, ...types } = typedData.types
    const message = { ...typedData.message, value: 0n, gas: 100_000n, nonce: 7n }
    expect(
      await verifyTypedData({
        address: a.address,
        domain: typedData.domain,
        types,
        primaryType: 'ForwardRequest',
        message,
        signature,
      }),
    ).toBe(true)
  })

  it('personal_sign verifies', async () => {
    const signature = (await wallet.request({ method: 'personal_sign', params: ['0x68656c6c6f', a.address] })) as Hex
    expect(await verifyMessage({ address: a.address, message: 'hello', signature })).toBe(true)
  })

  it('eth_sendTransaction signs locally and sends to anvil', async () => {
    const publicClient = createPublicClient({ transport: http(anvil.rpcUrl) })
    const before = await publicClient.getBalance({ address: b.address })
    const hash = (await wallet.request({
      method: 'eth_sendTransaction',
      params: [{ from: a.address, to: b.address, value: `0x${parseEther('1.5').toString(16)}` }],
    })) as Hex
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 })
    expect(receipt.status).toBe('success')
    expect(receipt.from.toLowerCase()).toBe(a.address.toLowerCase())
    expect((await publicClient.getBalance({ address: b.address })) - before).toBe(parseEther('1.5'))
  })

  it('forwards reads to the RPC', async () => {
    expect(await wallet.request({ method: 'eth_blockNumber' })).toMatch(/^0x[0-9a-f]+$/)
  })

  it('switches only to its own chain (4902 otherwise)', async () => {
    expect(await wallet.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: '0x7a69' }] })).toBeNull()
    await expect(
      wallet.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: '0x1' }] }),
    ).rejects.toMatchObject({ code: 4902 })
  })

  it('selectAccount changes the active account and emits accountsChanged', async () => {
    const seen: unknown[] = []
    const listener = (accounts: unknown) => seen.push(accounts)
    wallet.on('accountsChanged', listener)
    wallet.selectAccount(b.address)
    expect(wallet.selectedAccount).toBe(b.address)
    expect(await wallet.request({ method: 'eth_accounts' })).toEqual([b.address, a.address])
    expect(seen).toEqual([[b.address, a.address]])
    expect(() => wallet.selectAccount('0x0000000000000000000000000000000000000001')).toThrow()
    wallet.selectAccount(a.address)
    wallet.removeListener('accountsChanged', listener)
  })

  it('refuses to sign for an address it does not hold', async () => {
    await expect(
      wallet.request({ method: 'personal_sign', params: ['0x00', '0x0000000000000000000000000000000000000001'] }),
    ).rejects.toMatchObject({ code: 4100 })
  })

  it('announceDevWallet is a no-op outside a browser', () => {
    expect(typeof window).toBe('undefined')
    const stop = announceDevWallet(wallet)
    expect(typeof stop).toBe('function')
    stop()
  })
})

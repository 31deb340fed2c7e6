import { ANVIL_DEV_ACCOUNTS, type AnvilInstance, startAnvil } from '@tokentags/testkit'
import { createDevWalletProvider, DEV_WALLET_INFO } from '@tokentags/testkit/dev-wallet'
import type { Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Account,
  connect,
  createTokenTagsClient,
  disconnect,
  getAccount,
  getWallets,
  type TokenTagsClient,
  watchAccount,
  watchWallets,
} from '../src/index.js'

const [a, b] = ANVIL_DEV_ACCOUNTS as unknown as [{ address: Hex; privateKey: Hex }, { address: Hex; privateKey: Hex }]
let anvil: AnvilInstance

beforeAll(async () => {
  anvil = await startAnvil()
})
afterAll(async () => {
  await anvil?.stop()
})

function makeClient(): { client: TokenTagsClient; provider: ReturnType<typeof createDevWalletProvider> } {
  const provider = createDevWalletProvider({
    rpcUrl: anvil.rpcUrl,
    chainId: anvil.chainId,
    privateKeys: [a.privateKey, b.privateKey],
  })
  const client = createTokenTagsClient({
    chains: [{ id: anvil.chainId, rpcUrl: anvil.rpcUrl }],
    providers: [{ info: DEV_WALLET_INFO, provider }],
  })
  return { client, provider }
}

describe('wallets', () => {
  it('lists given providers as wallets; getAccount starts disconnected', () => {
    const { client } = makeClient()
    expect(getAccount(client)).toEqual({ status: 'disconnected', address: undefined, chainId: undefined })
    expect(getWallets(client)).toEqual([
      { id: DEV_WALLET_INFO.rdns, name: DEV_WALLET_INFO.name, icon: DEV_WALLET_INFO.icon, rdns: DEV_WALLET_INFO.rdns },
    ])
  })

  it('connect, watchAccount, account switch in the wallet, disconnect', async () => {
    const { client, provider } = makeClient()
    const seen: Account[] = []
    const stop = watchAccount(client, (account) => seen.push(account))
    const walletEvents: unknown[] = []
    const stopWallets = watchWallets(client, (wallets) => walletEvents.push(wallets))

    expect(await connect(client, { walletId: DEV_WALLET_INFO.rdns })).toEqual({
      address: a.address,
      chainId: anvil.chainId,
    })
    expect(getAccount(client)).toEqual({ status: 'connected', address: a.address, chainId: anvil.chainId })
    // Connecting the connected wallet again answers its account.
    expect(await connect(client)).toEqual({ address: a.address, chainId: anvil.chainId })

    provider.selectAccount(b.address)
    await new Promise((r) => setTimeout(r, 20))
    expect(getAccount(client).address).toBe(b.address)

    await disconnect(client)
    expect(getAccount(client).status).toBe('disconnected')
    expect(seen.map((x) => `${x.status}:${x.address ?? ''}`)).toEqual([
      'connecting:',
      `connected:${a.address}`,
      `connected:${b.address}`,
      'disconnected:',
    ])
    expect(walletEvents).toEqual([])
    stop()
    stopWallets()
  })

  it('NO_WALLET for an unknown id; the state is observable with subscribe', async () => {
    const { client } = makeClient()
    await expect(connect(client, { walletId: 'io.metamask' })).rejects.toMatchObject({ code: 'NO_WALLET' })
    let calls = 0
    const unsubscribe = client.subscribe(() => calls++)
    await connect(client, { walletId: DEV_WALLET_INFO.rdns })
    expect(calls).toBeGreaterThan(0)
    unsubscribe()
  })

  it('persists nothing by default; an injected storage receives the connection', async () => {
    const writes: string[] = []
    const storage = {
      map: new Map<string, string>(),
      getItem(key: string) {
        return this.map.get(key) ?? null
      },
      setItem(key: string, value: string) {
        writes.push(key)
        this.map.set(key, value)
      },
      removeItem(key: string) {
        this.map.delete(key)
      },
    }
    const provider = createDevWalletProvider({
      rpcUrl: anvil.rpcUrl,
      chainId: anvil.chainId,
      privateKeys: [a.privateKey],
    })
    const client = createTokenTagsClient({
      chains: [{ id: anvil.chainId, rpcUrl: anvil.rpcUrl }],
      providers: [{ info: DEV_WALLET_INFO, provider }],
      storage,
    })
    await connect(client)
    expect(writes.some((key) => key.startsWith('tokentags.'))).toBe(true)
  })
})

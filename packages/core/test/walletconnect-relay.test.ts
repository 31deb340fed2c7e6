// Two real @walletconnect/sign-client 2.25 clients (a dapp and a wallet) through the loopback relay of
// @tokentags/testkit: pairing, a session with the eip155 and solana namespaces, and two signing requests.
import { startWalletConnectRelay, type WalletConnectRelay } from '@tokentags/testkit/walletconnect-relay'
import {
  SOLANA_DEVNET,
  startTestWallet,
  type TestWallet,
  WALLET_EVM_ACCOUNT,
} from '@tokentags/testkit/walletconnect-wallet'
import { SignClient } from '@walletconnect/sign-client'
import { type Hex, toHex, verifyMessage, verifyTypedData } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const TYPED_DATA = {
  domain: {
    name: 'TokenTags Forwarder',
    version: '1',
    chainId: 31337,
    verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  },
  types: {
    Greeting: [
      { name: 'text', type: 'string' },
      { name: 'from', type: 'address' },
    ],
  },
  primaryType: 'Greeting',
  message: { text: 'hello over WalletConnect', from: WALLET_EVM_ACCOUNT.address },
} as const

let relay: WalletConnectRelay
let wallet: TestWallet
let dapp: InstanceType<typeof SignClient>

beforeAll(async () => {
  relay = await startWalletConnectRelay()
  wallet = await startTestWallet({ relayUrl: relay.url, chains: [{ id: 31337 }], storagePrefix: 'relay-test-wallet' })
  dapp = await SignClient.init({
    projectId: 'tokentags-test-dapp',
    relayUrl: relay.url,
    customStoragePrefix: 'relay-test-dapp',
    telemetryEnabled: false,
    logger: 'silent',
    metadata: { name: 'Test dapp', description: 'WalletConnect relay test', url: 'https://dapp.test', icons: [] },
  })
})

afterAll(async () => {
  await dapp?.core.relayer.transportClose().catch(() => {})
  await wallet?.close()
  await relay?.close()
})

describe('loopback WalletConnect relay (testkit)', () => {
  let topic: string

  it('pairs a dapp and a wallet and settles a session with eip155 and solana accounts', async () => {
    const { uri, approval } = await dapp.connect({
      optionalNamespaces: {
        eip155: {
          chains: ['eip155:31337'],
          methods: ['personal_sign', 'eth_signTypedData_v4'],
          events: ['accountsChanged', 'chainChanged'],
        },
        solana: { chains: [SOLANA_DEVNET], methods: ['solana_signTransaction'], events: [] },
      },
    })
    expect(uri).toMatch(/^wc:[0-9a-f]{64}@2\?/)
    // The proposal reaches the relay before the wallet even sees the URI: the relay must keep it.
    await wallet.pair(uri as string)
    const session = await approval()
    topic = session.topic
    expect(session.namespaces.eip155?.accounts).toEqual([`eip155:31337:${WALLET_EVM_ACCOUNT.address}`])
    expect(session.namespaces.solana?.accounts).toEqual([`${SOLANA_DEVNET}:${wallet.solanaAddress}`])
    const via = relay.published.map((m) => m.via)
    expect(via).toContain('wc_proposeSession')
    expect(via).toContain('wc_approveSession')
    expect(relay.clients()).toHaveLength(2)
    expect(relay.clients().every((id) => id.startsWith('did:key:'))).toBe(true)
  })

  it('carries a personal_sign request and its answer', async () => {
    const message = 'Sign in to TokenTags'
    const signature = (await dapp.request({
      topic,
      chainId: 'eip155:31337',
      request: { method: 'personal_sign', params: [toHex(message), WALLET_EVM_ACCOUNT.address] },
    })) as Hex
    expect(await verifyMessage({ address: WALLET_EVM_ACCOUNT.address, message, signature })).toBe(true)
  })

  it('carries an eth_signTypedData_v4 request and its answer', async () => {
    const signature = (await dapp.request({
      topic,
      chainId: 'eip155:31337',
      request: { method: 'eth_signTypedData_v4', params: [WALLET_EVM_ACCOUNT.address, JSON.stringify(TYPED_DATA)] },
    })) as Hex
    expect(await verifyTypedData({ ...TYPED_DATA, address: WALLET_EVM_ACCOUNT.address, signature })).toBe(true)
    expect(wallet.requests.map((r) => r.method)).toEqual(['personal_sign', 'eth_signTypedData_v4'])
  })
})

describe('loopback relay protocol details', () => {
  /** A bare WebSocket client speaking the relay's JSON-RPC. */
  async function rawClient() {
    const { default: WebSocket } = await import('ws')
    const socket = new WebSocket(relay.url)
    await new Promise((resolve, reject) => {
      socket.once('open', resolve)
      socket.once('error', reject)
    })
    const inbox: {
      id?: unknown
      method?: string
      params?: { data?: { message?: string } }
      result?: unknown
      error?: { code: number }
    }[] = []
    socket.on('message', (data: unknown) => inbox.push(JSON.parse(String(data))))
    let id = 1
    const call = async (method: string, params: unknown) => {
      const mine = id++
      socket.send(JSON.stringify({ id: mine, jsonrpc: '2.0', method, params }))
      await expect.poll(() => inbox.some((m) => m.id === mine)).toBe(true)
      return inbox.find((m) => m.id === mine)
    }
    return { socket, inbox, call }
  }
  const topic = (n: number) => n.toString(16).padStart(64, '0')

  it('delivers a kept message to a later subscriber, never back to its sender, and forgets it after its TTL', async () => {
    const a = await rawClient()
    const b = await rawClient()
    try {
      expect((await a.call('irn_subscribe', { topic: topic(1) }))?.result).toMatch(/^[0-9a-f]{64}$/)
      expect((await a.call('irn_publish', { topic: topic(1), message: 'kept', ttl: 300, tag: 1 }))?.result).toBe(true)
      expect((await a.call('irn_publish', { topic: topic(1), message: 'brief', ttl: 0.05, tag: 1 }))?.result).toBe(true)
      await new Promise((resolve) => setTimeout(resolve, 120))
      await b.call('irn_subscribe', { topic: topic(1) })
      const delivered = (c: typeof a) =>
        c.inbox.filter((m) => m.method === 'irn_subscription').map((m) => m.params?.data?.message)
      await expect.poll(() => delivered(b)).toEqual(['kept'])
      expect(delivered(a)).toEqual([])
    } finally {
      a.socket.close()
      b.socket.close()
    }
  })

  it('answers unknown methods and bad parameters with JSON-RPC errors', async () => {
    const a = await rawClient()
    try {
      expect((await a.call('irn_nope', {}))?.error?.code).toBe(-32601)
      expect((await a.call('irn_publish', { topic: topic(2) }))?.error?.code).toBe(-32602)
      expect((await a.call('irn_batchFetchMessages', { topics: [topic(2)] }))?.result).toEqual({
        messages: [],
        hasMore: false,
      })
    } finally {
      a.socket.close()
    }
  })
})

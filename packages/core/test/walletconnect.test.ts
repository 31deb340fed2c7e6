// @tokentags/core/walletconnect end to end in Node: the page side through core's own actions (connect, claim,
// connectSolana), the phone side a real sign client (@tokentags/testkit/walletconnect-wallet) signing with public dev keys,
// both through the loopback WalletConnect relay of @tokentags/testkit, and a gasless claim through the TokenTags
// relay on anvil.
import { type RunningRelay, startRelay } from '@tokentags/relay-server'
import { ANVIL_DEV_ACCOUNTS } from '@tokentags/testkit'
import { startWalletConnectRelay, type WalletConnectRelay } from '@tokentags/testkit/walletconnect-relay'
import { startTestWallet, type TestWallet } from '@tokentags/testkit/walletconnect-wallet'
import { type Address, type Hex, parseEther, toFunctionSelector, toHex, verifyMessage } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  claim,
  connect,
  createTokenTagsClient,
  disconnect,
  getAccount,
  getWallets,
  type TokenTagsClient,
  UserRejectedError,
} from '../src/index.js'
import { connectSolana, createSolanaClient, getSolanaAccount } from '../src/solana/index.js'
import { addressBytes, base58Encode, compileTransaction, transferSol } from '../src/solana/wire.js'
import {
  addWalletConnect,
  createWalletConnect,
  getSignClient,
  resetSignClient,
  type WalletConnect,
  walletConnectLinks,
} from '../src/walletconnect/index.js'
import { type Chain, startChain, tokenBalance } from './utils.js'

const SITE_KEY = 'pk_core_walletconnect_test'
/** anvil's second dev account (a public key pair): the visitor whose phone wallet signs. */
const visitor = ANVIL_DEV_ACCOUNTS[1] as (typeof ANVIL_DEV_ACCOUNTS)[number]
/** anvil's tenth dev account: the TokenTags relay's relayer key. */
const relayer = ANVIL_DEV_ACCOUNTS[9] as (typeof ANVIL_DEV_ACCOUNTS)[number]
const silentLogger: object = new Proxy({}, { get: (_, key) => (key === 'child' ? () => silentLogger : () => {}) })

let chain: Chain
let tokentagsRelay: RunningRelay
let wcRelay: WalletConnectRelay
let wallet: TestWallet
let client: TokenTagsClient
let wc: WalletConnect
const uris: string[] = []

beforeAll(async () => {
  chain = await startChain()
  tokentagsRelay = await startRelay({
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
  wcRelay = await startWalletConnectRelay()
  wallet = await startTestWallet({
    relayUrl: wcRelay.url,
    chains: [{ id: chain.anvil.chainId, rpcUrl: chain.anvil.rpcUrl }],
    storagePrefix: 'core-wc-wallet',
    evmAccount: visitor,
  })
  client = createTokenTagsClient({
    chains: [{ id: chain.anvil.chainId, rpcUrl: chain.anvil.rpcUrl }],
    relayUrl: tokentagsRelay.url,
    siteKey: SITE_KEY,
    multiInjectedProviderDiscovery: false,
    pollingInterval: 100,
  })
  wc = createWalletConnect(client, {
    projectId: 'tokentags-test-page',
    relayUrl: wcRelay.url,
    solanaChains: ['solana:devnet'],
    storagePrefix: 'core-wc-page',
    metadata: { name: 'TokenTags test page', description: 'core test', url: 'https://page.test', icons: [] },
  })
  // The visitor scans the QR code: the phone wallet pairs with the URI the page shows.
  wc.onDisplayUri((uri) => {
    uris.push(uri)
    void wallet.pair(uri)
  })
})

afterAll(async () => {
  await resetSignClient()
  await wallet?.close()
  await wcRelay?.close()
  await tokentagsRelay?.close()
  await chain?.stop()
})

const vault = () => chain.contracts.vestingVault as Address

async function vestedSchedule(): Promise<bigint> {
  const now = await chain.now()
  return chain.createSchedule({
    beneficiary: visitor.address,
    total: parseEther('100'),
    start: now - 10_000n,
    cliff: 0n,
    duration: 1_000n,
  })
}

describe('WalletConnect as a core wallet', () => {
  it('is listed once added, and connect pairs through the URI: the wallet approves, core has its account', async () => {
    expect(getWallets(client).some((w) => w.id === 'walletConnect')).toBe(false)
    addWalletConnect(client, wc)
    addWalletConnect(client, wc)
    expect(getWallets(client).filter((w) => w.id === 'walletConnect')).toEqual([
      expect.objectContaining({ id: 'walletConnect', name: 'WalletConnect' }),
    ])
    const connected = await connect(client, { walletId: 'walletConnect' })
    expect(connected).toEqual({ address: visitor.address, chainId: chain.anvil.chainId })
    expect(getAccount(client)).toMatchObject({ status: 'connected', address: visitor.address })
    expect(uris).toHaveLength(1)
    const uri = uris[0] as string
    expect(uri).toMatch(/^wc:[0-9a-f]{64}@2\?/)
    expect(wc.uri).toBeUndefined()
    // The same URI as phone deep links: encoded once, never another text.
    const links = walletConnectLinks(uri)
    expect(links.find((l) => l.id === 'metamask')).toEqual({
      id: 'metamask',
      name: 'MetaMask',
      universal: `https://metamask.app.link/wc?uri=${encodeURIComponent(uri)}`,
      native: `metamask://wc?uri=${encodeURIComponent(uri)}`,
    })
    expect(links.find((l) => l.id === 'trust')?.universal).toBe(
      `https://link.trustwallet.com/wc?uri=${encodeURIComponent(uri)}`,
    )
    expect(links.at(-1)).toEqual({ id: 'wc', name: 'WalletConnect', universal: undefined, native: uri })
    expect(walletConnectLinks('javascript:alert(1)//wc:')).toEqual([])
  })

  it('keeps one sign client per page', async () => {
    const first = getSignClient({ projectId: 'tokentags-test-page', relayUrl: wcRelay.url })
    const second = getSignClient({ projectId: 'another', relayUrl: wcRelay.url })
    expect(second).toBe(first)
    expect((await first).core.customStoragePrefix).toBe(':core-wc-page')
  })

  it('signs personal_sign in the wallet and reads through the page RPC', async () => {
    const message = 'hello from the page'
    const signature = (await wc.provider.request({
      method: 'personal_sign',
      params: [toHex(message), visitor.address],
    })) as Hex
    expect(await verifyMessage({ address: visitor.address, message, signature })).toBe(true)
    const before = wallet.requests.length
    const block = await wc.provider.request({ method: 'eth_blockNumber' })
    expect(block).toMatch(/^0x[0-9a-f]+$/)
    expect(wallet.requests).toHaveLength(before)
  })

  it('refuses to switch to a chain the wallet did not approve (4902)', async () => {
    await expect(
      wc.provider.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: '0x2105' }] }),
    ).rejects.toMatchObject({ code: 4902 })
  })

  it('claims gasless: the forward request is signed over WalletConnect, the relay pays', async () => {
    const id = await vestedSchedule()
    const before = {
      token: await tokenBalance(chain, visitor.address),
      native: await chain.publicClient.getBalance({ address: visitor.address }),
    }
    const result = await claim(client, {
      chainId: chain.anvil.chainId,
      vault: vault(),
      scheduleIds: [id],
      gasless: 'always',
    })
    expect(result.via).toBe('relay')
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: result.txHash })
    expect(receipt.from.toLowerCase()).toBe(relayer.address.toLowerCase())
    expect((await tokenBalance(chain, visitor.address)) - before.token).toBe(parseEther('100'))
    expect(await chain.publicClient.getBalance({ address: visitor.address })).toBe(before.native)
    expect(wallet.requests.at(-1)).toMatchObject({
      method: 'eth_signTypedData_v4',
      chainId: `eip155:${chain.anvil.chainId}`,
    })
  })

  it('claims through the wallet: eth_sendTransaction goes to the phone, which sends it', async () => {
    const id = await vestedSchedule()
    const before = await tokenBalance(chain, visitor.address)
    const result = await claim(client, {
      chainId: chain.anvil.chainId,
      vault: vault(),
      scheduleIds: [id],
      gasless: 'never',
    })
    expect(result.via).toBe('wallet')
    const receipt = await chain.publicClient.getTransactionReceipt({ hash: result.txHash })
    expect(receipt.from.toLowerCase()).toBe(visitor.address.toLowerCase())
    expect((await tokenBalance(chain, visitor.address)) - before).toBe(parseEther('100'))
    expect(wallet.requests.at(-1)?.method).toBe('eth_sendTransaction')
  })

  it('reports a refusal in the wallet as USER_REJECTED', async () => {
    const id = await vestedSchedule()
    wallet.refuse = () => true
    try {
      await expect(
        claim(client, { chainId: chain.anvil.chainId, vault: vault(), scheduleIds: [id], gasless: 'always' }),
      ).rejects.toBeInstanceOf(UserRejectedError)
    } finally {
      wallet.refuse = undefined
    }
  })
})

describe('WalletConnect as a Solana wallet (solana namespace)', () => {
  const feePayer = base58Encode(new Uint8Array(32).fill(7))

  async function signTransfer(): Promise<{ unsigned: Uint8Array; signed: Uint8Array }> {
    const solana = createSolanaClient({ rpcUrl: 'http://127.0.0.1:1', wallets: [wc.solanaWallet], discover: false })
    const account = await connectSolana(solana, { walletId: 'WalletConnect' })
    expect(account).toEqual({ status: 'connected', address: wallet.solanaAddress, walletId: 'WalletConnect' })
    expect(getSolanaAccount(solana).address).toBe(wallet.solanaAddress)
    // The relay's fee payer first, the visitor second: the signature must land in the second slot.
    const unsigned = compileTransaction(feePayer, base58Encode(new Uint8Array(32).fill(1)), [
      transferSol(wallet.solanaAddress, base58Encode(new Uint8Array(32).fill(9)), 1_000n),
    ])
    const sign = wc.solanaWallet.features['solana:signTransaction'] as {
      signTransaction(input: {
        account: unknown
        transaction: Uint8Array
        chain: string
      }): Promise<{ signedTransaction: Uint8Array }[]>
    }
    const [output] = await sign.signTransaction({
      account: wc.solanaWallet.accounts[0],
      transaction: unsigned,
      chain: 'solana:devnet',
    })
    return { unsigned, signed: (output as { signedTransaction: Uint8Array }).signedTransaction }
  }

  async function verifyVisitorSignature(signed: Uint8Array, unsigned: Uint8Array) {
    // Two signature slots (1-byte count, 2 × 64 bytes), then the message, unchanged.
    expect(signed[0]).toBe(2)
    expect([...signed.subarray(1, 65)]).toEqual(new Array(64).fill(0))
    expect([...signed.subarray(129)]).toEqual([...unsigned.subarray(129)])
    const key = await crypto.subtle.importKey('raw', addressBytes(wallet.solanaAddress).slice(), 'Ed25519', false, [
      'verify',
    ])
    expect(await crypto.subtle.verify('Ed25519', key, signed.slice(65, 129), signed.slice(129))).toBe(true)
  }

  it('connects through Wallet Standard and takes the signed transaction the wallet returns', async () => {
    wallet.solanaAnswer = 'transaction'
    const { unsigned, signed } = await signTransfer()
    await verifyVisitorSignature(signed, unsigned)
    expect(wallet.requests.at(-1)).toMatchObject({
      method: 'solana_signTransaction',
      chainId: 'solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1',
    })
  })

  it('places a bare signature (the WalletConnect Solana spec) in the visitor’s slot', async () => {
    wallet.solanaAnswer = 'signature'
    const { unsigned, signed } = await signTransfer()
    await verifyVisitorSignature(signed, unsigned)
  })

  it('refuses a signed transaction whose message the wallet changed', async () => {
    wallet.solanaAnswer = 'tampered'
    await expect(signTransfer()).rejects.toThrow(/different transaction/)
  })
})

describe('disconnect', () => {
  it('ends the session in the wallet too', async () => {
    const topic = wc._controller.session?.topic as string
    expect(wallet.client.session.keys).toContain(topic)
    await disconnect(client)
    expect(getAccount(client).status).toBe('disconnected')
    expect(wc._controller.session).toBeUndefined()
    await expect.poll(() => wallet.client.session.keys.includes(topic), { timeout: 10_000 }).toBe(false)
  })
})

describe('a live session the sign client kept', () => {
  it('is reused only when it has an account in every namespace the page asks for', async () => {
    const evmClient = createTokenTagsClient({
      chains: [{ id: chain.anvil.chainId, rpcUrl: chain.anvil.rpcUrl }],
      multiInjectedProviderDiscovery: false,
    })
    const evmOnly = createWalletConnect(evmClient, { projectId: 'tokentags-test-page', relayUrl: wcRelay.url })
    const pairings: string[] = []
    const pairPhone = (uri: string) => {
      pairings.push(uri)
      void wallet.pair(uri)
    }
    evmOnly.onDisplayUri(pairPhone)
    await evmOnly.connect()
    expect(Object.keys(evmOnly._controller.session?.namespaces ?? {})).toEqual(['eip155'])
    // Another view on the same page (a Solana tip, no EVM client) must pair again for a Solana account.
    const solanaOnly = createWalletConnect(undefined, {
      projectId: 'tokentags-test-page',
      relayUrl: wcRelay.url,
      solanaChains: ['solana:devnet'],
    })
    solanaOnly.onDisplayUri(pairPhone)
    await solanaOnly.connect()
    expect(pairings).toHaveLength(2)
    expect(solanaOnly.solanaWallet.accounts.map((a) => a.address)).toEqual([wallet.solanaAddress])
    // A third view asking for EVM again finds the first session: no new pairing.
    const again = createWalletConnect(
      createTokenTagsClient({ chains: [{ id: chain.anvil.chainId, rpcUrl: chain.anvil.rpcUrl }] }),
      { projectId: 'tokentags-test-page', relayUrl: wcRelay.url },
    )
    again.onDisplayUri(pairPhone)
    await again.connect()
    expect(pairings).toHaveLength(2)
    expect(await again.provider.request({ method: 'eth_requestAccounts' })).toEqual([visitor.address])
  })
})

describe('the visitor ends the session on the phone', () => {
  it('disconnects the page: core’s account and the Solana wallet’s accounts empty', async () => {
    const connected = await connect(client, { walletId: 'walletConnect' })
    expect(connected.address).toBe(visitor.address)
    const topic = wc._controller.session?.topic as string
    expect(wc.solanaWallet.accounts).toHaveLength(1)
    await wallet.client.disconnect({ topic, reason: { code: 6000, message: 'User disconnected.' } })
    await expect.poll(() => getAccount(client).status, { timeout: 10_000 }).toBe('disconnected')
    expect(wc._controller.session).toBeUndefined()
    expect(wc.solanaWallet.accounts).toEqual([])
    expect(await wc.provider.request({ method: 'eth_accounts' })).toEqual([])
  })
})

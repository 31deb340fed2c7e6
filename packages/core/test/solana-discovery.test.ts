import {
  createSolanaDevWallet,
  registerSolanaDevWallet,
  SOLANA_DEV_WALLET_NAME,
} from '@tokentags/testkit/solana-dev-wallet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSolanaClient, getSolanaWallets, watchSolanaWallets } from '../src/solana/index.js'

// Wallet Standard discovery runs over `window` events; Node has EventTarget, which is all it needs.
const scope = globalThis as { window?: EventTarget }
let previous: EventTarget | undefined

beforeAll(() => {
  previous = scope.window
  scope.window = new EventTarget()
})
afterAll(() => {
  scope.window = previous
})

describe('Wallet Standard discovery', () => {
  it('finds a wallet registered before the app (app-ready) and one registered after (register-wallet)', async () => {
    const early = await createSolanaDevWallet()
    registerSolanaDevWallet(early)
    const client = createSolanaClient({ rpcUrl: 'http://127.0.0.1:1', relayUrl: 'http://127.0.0.1:1' })
    expect(getSolanaWallets(client).map((w) => w.name)).toEqual([SOLANA_DEV_WALLET_NAME])

    const seen: string[][] = []
    const stop = watchSolanaWallets(client, (wallets) => seen.push(wallets.map((w) => w.name)))
    const late = Object.assign(await createSolanaDevWallet({ seeds: ['creator'] }), { name: 'Another Dev Wallet' })
    registerSolanaDevWallet(late)
    expect(getSolanaWallets(client).map((w) => w.name)).toEqual([SOLANA_DEV_WALLET_NAME, 'Another Dev Wallet'])
    expect(seen.at(-1)).toEqual([SOLANA_DEV_WALLET_NAME, 'Another Dev Wallet'])
    stop()
  })

  it('ignores wallets without solana:signTransaction', async () => {
    const evmOnly = { ...(await createSolanaDevWallet()), name: 'No Solana', features: { 'standard:connect': {} } }
    registerSolanaDevWallet(evmOnly as never)
    const client = createSolanaClient({ rpcUrl: 'http://127.0.0.1:1' })
    expect(getSolanaWallets(client).map((w) => w.name)).not.toContain('No Solana')
  })
})

// Legacy injected Solana providers (Phantom's pre-Wallet-Standard API) as Wallet Standard wallets: discovery on a
// plain object standing in for `window`, the wire-format stand-in providers sign, and a connect + sign through the
// adapter with the dev Solana wallet's real keys (the widget's end-to-end run: widgets/test/visitors.solana.chain).
import { createSolanaDevWallet } from '@tokentags/testkit/solana-dev-wallet'
import { describe, expect, it } from 'vitest'
import { getLegacySolanaWallets, SOLANA_BROWSER_WALLET_NAME } from '../src/solana/index.js'
import { wireTransaction } from '../src/solana/legacy.js'

const stub = (flags: Record<string, unknown> = {}) => ({
  ...flags,
  connect: async () => ({}),
  signTransaction: async () => ({ serialize: () => new Uint8Array() }),
})

describe('getLegacySolanaWallets', () => {
  it('names each provider by where it sits, else by its flags', () => {
    const window = {
      phantom: { solana: stub() },
      solflare: stub(),
      backpack: stub(),
      solana: stub({ isGlow: true }),
    }
    expect(getLegacySolanaWallets(window).map((w) => w.name)).toEqual(['Phantom', 'Solflare', 'Backpack', 'Glow'])
    expect(getLegacySolanaWallets({ solana: stub() }).map((w) => w.name)).toEqual([SOLANA_BROWSER_WALLET_NAME])
  })

  it('lists one provider once (window.solana is often window.phantom.solana) and skips registered names', () => {
    const phantom = stub({ isPhantom: true })
    const window = { phantom: { solana: phantom }, solana: phantom, solflare: stub() }
    expect(getLegacySolanaWallets(window).map((w) => w.name)).toEqual(['Phantom', 'Solflare'])
    expect(getLegacySolanaWallets(window, ['Phantom']).map((w) => w.name)).toEqual(['Solflare'])
    expect(getLegacySolanaWallets(window)[0]).toBe(getLegacySolanaWallets(window)[0])
  })

  it('ignores what is not a provider', () => {
    expect(getLegacySolanaWallets({ solana: { isPhantom: true }, solflare: 'x' })).toEqual([])
    expect(getLegacySolanaWallets(undefined)).toEqual([])
  })
})

describe('wireTransaction', () => {
  const tx = (signatures: number, message: number[]) =>
    new Uint8Array([signatures, ...new Array(64 * signatures).fill(7), ...message])

  it('tells a v0 message (top bit set) from a legacy one, and serializes to the same bytes', () => {
    const v0 = tx(2, [0x80, 2, 0, 1])
    expect(wireTransaction.deserialize(v0)).toMatchObject({ version: 0 })
    expect(wireTransaction.deserialize(v0).serialize()).toBe(v0)
    expect(wireTransaction.deserialize(tx(1, [1, 0, 1]))).toMatchObject({ version: 'legacy' })
  })
})

describe('fromLegacySolanaProvider', () => {
  it('connects and signs through the provider, handing it the transaction to serialize', async () => {
    const dev = await createSolanaDevWallet({ seeds: ['visitor'] })
    const handed: unknown[] = []
    const provider = {
      isPhantom: true,
      isConnected: false,
      publicKey: null as null | { toBase58(): string; toBytes(): Uint8Array },
      async connect() {
        const [account] = (await dev.features['standard:connect'].connect()).accounts
        if (!account) throw new Error('no account')
        provider.publicKey = { toBase58: () => account.address, toBytes: () => account.publicKey }
        provider.isConnected = true
      },
      async signTransaction(transaction: { version: unknown; serialize(): Uint8Array }) {
        handed.push(transaction.version)
        const [account] = dev.accounts
        if (!account) throw new Error('not connected')
        const [signed] = await dev.features['solana:signTransaction'].signTransaction({
          account,
          transaction: transaction.serialize(),
        })
        return { serialize: () => signed?.signedTransaction ?? new Uint8Array() }
      },
    }
    const [wallet] = getLegacySolanaWallets({ solana: provider })
    if (!wallet) throw new Error('not found')
    expect(wallet.accounts).toEqual([])
    const connect = wallet.features['standard:connect'] as { connect(): Promise<{ accounts: { address: string }[] }> }
    const { accounts } = await connect.connect()
    expect(accounts.map((a) => a.address)).toEqual([dev.dev.addresses[0]])
    // An unsigned v0 transfer from the dev account would need @solana/kit here; a one-signer message with the
    // account as its only key is enough for the dev wallet to sign it.
    const { getAddressEncoder } = await import('@solana/kit')
    const key = [...getAddressEncoder().encode(dev.dev.addresses[0] as never)]
    const message = [0x80, 1, 0, 0, 1, ...key, ...new Array(32).fill(1), 0, 0]
    const unsigned = new Uint8Array([1, ...new Array(64).fill(0), ...message])
    const sign = wallet.features['solana:signTransaction'] as {
      signTransaction(...inputs: { transaction: Uint8Array }[]): Promise<{ signedTransaction: Uint8Array }[]>
    }
    const [out] = await sign.signTransaction({ transaction: unsigned })
    expect(handed).toEqual([0])
    expect(out?.signedTransaction.slice(65)).toEqual(unsigned.slice(65))
    expect(out?.signedTransaction.slice(1, 65).some((b) => b !== 0)).toBe(true)
  })
})

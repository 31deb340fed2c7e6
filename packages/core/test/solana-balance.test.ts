// getSolanaBalance against LiteSVM behind JSON-RPC: SOL less the rent-exempt minimum a wallet account keeps, an SPL
// token's associated account (SPL Token and Token-2022), none at all, and the refusals.

import type { Address, Lamports } from '@solana/kit'
import { AccountState, findAssociatedTokenPda, getTokenEncoder, TOKEN_PROGRAM_ADDRESS } from '@solana-program/token'
import {
  createSplMint,
  type SolanaDevLedger,
  type SolanaRpcInstance,
  seedSolanaDevLedger,
  setLamports,
  setSplBalance,
  startSolanaRpc,
} from '@tokentags/testkit/solana'
import { createSolanaDevWallet, solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InvalidParameterError, WalletNotConnectedError } from '../src/index.js'
import { connectSolana, createSolanaClient, getSolanaBalance, type SolanaClient } from '../src/solana/index.js'

const TOKEN_2022 = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb' as Address

let node: SolanaRpcInstance
let ledger: SolanaDevLedger
let solana: SolanaClient

beforeAll(async () => {
  node = await startSolanaRpc({ slotMs: 0 })
  ledger = await seedSolanaDevLedger(node.svm)
  solana = createSolanaClient({ rpcUrl: node.rpcUrl })
})

afterAll(async () => {
  await node?.stop()
})

describe('getSolanaBalance (LiteSVM RPC)', () => {
  it('SOL: the lamports, less the rent-exempt minimum of a wallet account', async () => {
    const rent = node.svm.minimumBalanceForRentExemption(0n)
    expect(rent).toBeGreaterThan(0n)
    setLamports(node.svm, ledger.visitor2, 3_000_000_000n)
    expect(await getSolanaBalance(solana, { account: `sol:${ledger.visitor2}` })).toEqual({
      value: 3_000_000_000n,
      reserve: rent,
      spendable: 3_000_000_000n - rent,
    })
    // Less than the minimum: nothing can be sent without leaving a dead account behind.
    const poor = (await solanaDevKeyPair('a visitor with almost no SOL')).address as Address
    setLamports(node.svm, poor, rent - 1n)
    expect(await getSolanaBalance(solana, { account: poor })).toEqual({
      value: rent - 1n,
      reserve: rent,
      spendable: 0n,
    })
  })

  it('SPL: the associated token account of the owner, 0 when it has none', async () => {
    await setSplBalance(node.svm, { mint: ledger.mint, owner: ledger.visitor2, amount: 123_456_789n })
    expect(await getSolanaBalance(solana, { account: ledger.visitor2, mint: `sol:${ledger.mint}` })).toEqual({
      value: 123_456_789n,
      reserve: 0n,
      spendable: 123_456_789n,
    })
    // A token account that is not the associated one is not what a tip sends from.
    const stranger = (await solanaDevKeyPair('a holder without a token account')).address as Address
    expect(await getSolanaBalance(solana, { account: stranger, mint: ledger.mint })).toEqual({
      value: 0n,
      reserve: 0n,
      spendable: 0n,
    })
  })

  it('Token-2022: the associated account derived with the mint’s program', async () => {
    const mint = (await solanaDevKeyPair('a Token-2022 mint for balances')).address as Address
    createSplMint(node.svm, { mint, mintAuthority: ledger.mintAuthority, decimals: 6 })
    const mintAccount = node.svm.getAccount(mint)
    if (!mintAccount.exists) throw new TypeError('the mint was not written')
    node.svm.setAccount({ ...mintAccount, programAddress: TOKEN_2022 })
    const [ata] = await findAssociatedTokenPda({ mint, owner: ledger.visitor2, tokenProgram: TOKEN_2022 })
    const data = new Uint8Array(
      getTokenEncoder().encode({
        mint,
        owner: ledger.visitor2,
        amount: 42_000n,
        delegate: { __option: 'None' },
        state: AccountState.Initialized,
        isNative: { __option: 'None' },
        delegatedAmount: 0n,
        closeAuthority: { __option: 'None' },
      }),
    )
    node.svm.setAccount({
      address: ata,
      data,
      executable: false,
      lamports: node.svm.minimumBalanceForRentExemption(BigInt(data.length)) as Lamports,
      programAddress: TOKEN_2022,
      space: BigInt(data.length),
    })
    expect((await getSolanaBalance(solana, { account: ledger.visitor2, mint })).value).toBe(42_000n)
    // The SPL Token derivation of the same owner and mint holds nothing.
    const [splAta] = await findAssociatedTokenPda({ mint, owner: ledger.visitor2, tokenProgram: TOKEN_PROGRAM_ADDRESS })
    expect(splAta).not.toBe(ata)
  })

  it('defaults to the connected account', async () => {
    const wallet = await createSolanaDevWallet({ seeds: ['visitor'] })
    const connected = createSolanaClient({ rpcUrl: node.rpcUrl, wallets: [wallet], discover: false })
    await expect(getSolanaBalance(connected)).rejects.toBeInstanceOf(WalletNotConnectedError)
    await connectSolana(connected)
    const lamports = node.svm.getBalance(ledger.visitor) ?? 0n
    expect((await getSolanaBalance(connected)).value).toBe(lamports)
    const tokens = await getSolanaBalance(connected, { mint: ledger.mint })
    expect(tokens.value).toBe(1_000_000_000n)
  })

  it('refuses a mint that is not an SPL Token mint, and an address that is not one', async () => {
    await expect(getSolanaBalance(solana, { account: ledger.visitor, mint: ledger.creator })).rejects.toBeInstanceOf(
      InvalidParameterError,
    )
    await expect(getSolanaBalance(solana, { account: 'not-an-address' })).rejects.toBeInstanceOf(InvalidParameterError)
  })
})

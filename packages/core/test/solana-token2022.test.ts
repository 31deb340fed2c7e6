// Token-2022 tips (issue 15): tipSolana reads the mint's owner, derives both token accounts with the
// Token-2022 program and transfers through it; a mint whose extensions could change the transfer
// (fee, hook, permanent delegate…) is refused before the wallet is asked. Real Token-2022 program in
// LiteSVM, through the relay.
import {
  type Address,
  generateKeyPairSigner,
  getAddressDecoder,
  getAddressEncoder,
  getBase58Decoder,
} from '@solana/kit'
import { findAssociatedTokenPda } from '@solana-program/token'
import { type RunningRelay, startRelay } from '@tokentags/relay-server'
import {
  createToken2022Mint,
  findToken2022Ata,
  getToken2022Balance,
  metadataPointerExtension,
  type SolanaDevLedger,
  type SolanaRpcInstance,
  seedSolanaDevLedger,
  setToken2022Balance,
  startSolanaRpc,
  TOKEN_2022_PROGRAM_ADDRESS,
  type Token2022Extension,
  transferFeeConfigExtension,
  transferHookExtension,
} from '@tokentags/testkit/solana'
import { createSolanaDevWallet, type SolanaDevWallet, solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InvalidParameterError, UnsupportedMintError } from '../src/index.js'
import { connectSolana, createSolanaClient, type SolanaActionStatusEvent, tipSolana } from '../src/solana/index.js'
import { decodeTokenMint, mintExtensions } from '../src/solana/mint.js'
import { findAssociatedTokenAddress, TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from '../src/solana/wire.js'

const SITE = 'pk_t22'
const ANY_ORIGIN = { origins: ['*'], allowNoOrigin: true, targets: [] }

describe('Token-2022 mint decoding', () => {
  it('derives Token-2022 associated token accounts like @solana-program/token', async () => {
    const decoder = getAddressDecoder()
    const random = () => decoder.decode(crypto.getRandomValues(new Uint8Array(32)))
    for (let i = 0; i < 6; i++) {
      const [owner, mint] = [random(), random()]
      const [expected] = await findAssociatedTokenPda({ owner, mint, tokenProgram: TOKEN_2022_PROGRAM_ADDRESS })
      expect(await findAssociatedTokenAddress(owner, mint, TOKEN_2022_PROGRAM)).toBe(expected)
      expect(await findAssociatedTokenAddress(owner, mint)).not.toBe(expected)
    }
  })

  it('reads extension types from the TLV tail and refuses a truncated entry', () => {
    const mint = new Uint8Array(166 + 4 + 64 + 4 + 2)
    mint[45] = 1
    mint[165] = 1
    mint.set([18, 0, 64, 0], 166)
    mint.set([14, 0, 2, 0], 166 + 4 + 64)
    expect(mintExtensions(mint)).toEqual([18, 14])
    // Zeroed space after the last entry ends the list.
    expect(mintExtensions(new Uint8Array([...mint.subarray(0, 166 + 68), 0, 0, 0, 0, 0, 0]))).toEqual([18])
    expect(() => mintExtensions(mint.subarray(0, 166 + 4 + 10))).toThrow(InvalidParameterError)
    // An account type other than Mint (2 is a token account).
    expect(() => mintExtensions(new Uint8Array([...mint.subarray(0, 165), 2]))).toThrow(InvalidParameterError)
  })

  it('accepts an 82-byte SPL Token or Token-2022 mint, refuses other owners, sizes and uninitialized mints', () => {
    const data = new Uint8Array(82)
    data[44] = 9
    data[45] = 1
    expect(decodeTokenMint('m', { owner: TOKEN_PROGRAM, lamports: 1, data })).toEqual({
      tokenProgram: TOKEN_PROGRAM,
      decimals: 9,
    })
    expect(decodeTokenMint('m', { owner: TOKEN_2022_PROGRAM, lamports: 1, data }).tokenProgram).toBe(TOKEN_2022_PROGRAM)
    expect(() => decodeTokenMint('m', { owner: '11111111111111111111111111111111', lamports: 1, data })).toThrow(
      InvalidParameterError,
    )
    expect(() => decodeTokenMint('m', { owner: TOKEN_PROGRAM, lamports: 1, data: new Uint8Array(170) })).toThrow(
      InvalidParameterError,
    )
    expect(() =>
      decodeTokenMint('m', { owner: TOKEN_PROGRAM, lamports: 1, data: data.map((b, i) => (i === 45 ? 0 : b)) }),
    ).toThrow(InvalidParameterError)
    expect(() => decodeTokenMint('m', null)).toThrow(InvalidParameterError)
  })
})

describe('tipSolana with Token-2022 mints', () => {
  let node: SolanaRpcInstance
  let ledger: SolanaDevLedger
  let relay: RunningRelay
  let wallet: SolanaDevWallet
  /** A recipient the site lists for funded token accounts. */
  let funded: Address
  const mints = {} as Record<'plain' | 'fee' | 'hook' | 'delegate', Address>

  async function newMint(extensions: Token2022Extension[]): Promise<Address> {
    const mint = (await generateKeyPairSigner()).address
    createToken2022Mint(node.svm, { mint, mintAuthority: ledger.mintAuthority, decimals: 6, extensions })
    await setToken2022Balance(node.svm, {
      mint,
      owner: ledger.visitor,
      amount: 1_000_000_000n,
      mintExtensions: extensions.map((e) => e.type),
    })
    return mint
  }

  beforeAll(async () => {
    node = await startSolanaRpc()
    ledger = await seedSolanaDevLedger(node.svm)
    funded = (await generateKeyPairSigner()).address
    const authority = ledger.mintAuthority
    mints.plain = await newMint([metadataPointerExtension({ authority, metadata: authority })])
    mints.fee = await newMint([transferFeeConfigExtension({ bps: 100, maxFee: 10n ** 12n, authority })])
    mints.hook = await newMint([transferHookExtension({ authority, programId: ledger.creator })])
    mints.delegate = await newMint([{ type: 12, data: new Uint8Array(getAddressEncoder().encode(authority)) }])
    const feePayer = await solanaDevKeyPair('feePayer')
    relay = await startRelay({
      chains: [],
      sites: {
        [SITE]: {
          ...ANY_ORIGIN,
          solana: { fundTokenAccounts: { recipients: [funded], mints: { [mints.plain]: { minimumTransfer: 1 } } } },
        },
      },
      solana: {
        rpcUrl: node.rpcUrl,
        feePayerSecretKey: getBase58Decoder().decode(feePayer.secretKey),
        chain: 'solana:localnet',
        confirm: { pollIntervalMs: 40, resendIntervalMs: 200 },
      },
      logger: pino({ level: 'silent' }),
      port: 0,
    })
    wallet = await createSolanaDevWallet()
  })

  afterAll(async () => {
    await relay?.close()
    await node?.stop()
  })

  const client = async () => {
    const solana = createSolanaClient({
      rpcUrl: node.rpcUrl,
      relayUrl: relay.url,
      siteKey: SITE,
      wallets: [wallet],
      discover: false,
    })
    await connectSolana(solana)
    return solana
  }
  const balance = (address: Address) => node.svm.getBalance(address) ?? 0n

  it('tips into a new Token-2022 account the relay funds: derived with Token-2022, visitor SOL unchanged', async () => {
    const solana = await client()
    const visitorSol = balance(ledger.visitor)
    await tipSolana(solana, { to: `sol:${funded}`, mint: `sol:${mints.plain}`, amount: '1.5', memo: 'gm' })
    expect(await getToken2022Balance(node.svm, { mint: mints.plain, owner: funded })).toBe(1_500_000n)
    expect(await getToken2022Balance(node.svm, { mint: mints.plain, owner: ledger.visitor })).toBe(998_500_000n)
    const account = node.svm.getAccount(await findToken2022Ata(funded, mints.plain))
    expect(account.exists && account.programAddress).toBe(TOKEN_2022_PROGRAM_ADDRESS)
    expect(balance(ledger.visitor)).toBe(visitorSol)
    // Into the account that now exists: no creation, base units as given.
    await tipSolana(solana, { to: funded, mint: mints.plain, amount: 250_000n })
    expect(await getToken2022Balance(node.svm, { mint: mints.plain, owner: funded })).toBe(1_750_000n)
  })

  it("pays a Token-2022 account's own rent (170 bytes) when the relay does not fund the recipient", async () => {
    const solana = await client()
    const recipient = (await generateKeyPairSigner()).address
    const visitorSol = balance(ledger.visitor)
    await tipSolana(solana, { to: recipient, mint: mints.plain, amount: 7n })
    expect(await getToken2022Balance(node.svm, { mint: mints.plain, owner: recipient })).toBe(7n)
    expect(balance(ledger.visitor)).toBe(visitorSol - node.svm.minimumBalanceForRentExemption(170n))
  })

  it('refuses a mint with a transfer fee, a transfer hook or a permanent delegate before the wallet is asked', async () => {
    const solana = await client()
    const cases: [Address, string][] = [
      [mints.fee, 'TransferFeeConfig'],
      [mints.hook, 'TransferHook'],
      [mints.delegate, 'PermanentDelegate'],
    ]
    let asked = 0
    wallet.dev.approve = () => {
      asked++
      return true
    }
    try {
      for (const [mint, extension] of cases) {
        const events: SolanaActionStatusEvent[] = []
        const sent = node.sendCount
        const error = await tipSolana(solana, {
          to: ledger.creator,
          mint,
          amount: '1',
          onStatus: (e) => events.push(e),
        }).catch((e: unknown) => e)
        expect(error).toBeInstanceOf(UnsupportedMintError)
        expect(error).toMatchObject({ code: 'UNSUPPORTED_MINT', mint, extensions: [extension] })
        expect((error as Error).message).toContain(extension)
        expect(events).toEqual([])
        expect(node.sendCount).toBe(sent)
      }
    } finally {
      wallet.dev.approve = undefined
    }
    expect(asked).toBe(0)
    expect(await getToken2022Balance(node.svm, { mint: mints.fee, owner: ledger.creator })).toBe(0n)
  })
})

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  type Address,
  decompileTransactionMessage,
  getAddressDecoder,
  getBase58Decoder,
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
  isOffCurveAddress,
} from '@solana/kit'
import { findAssociatedTokenPda, TOKEN_PROGRAM_ADDRESS } from '@solana-program/token'
import { type RunningRelay, startRelay } from '@tokentags/relay-server'
import {
  getSplBalance,
  type SolanaDevLedger,
  type SolanaRpcInstance,
  seedSolanaDevLedger,
  setLamports,
  startSolanaRpc,
} from '@tokentags/testkit/solana'
import { createSolanaDevWallet, type SolanaDevWallet, solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  InvalidParameterError,
  RelayRejectedError,
  relayFailure,
  UserRejectedError,
  WalletNotConnectedError,
} from '../src/index.js'
import {
  connectSolana,
  createSolanaClient,
  disconnectSolana,
  getSolanaAccount,
  getSolanaWallets,
  isSolanaTarget,
  parseDecimalAmount,
  parseSolanaAddress,
  type SolanaActionStatusEvent,
  tipSolana,
} from '../src/solana/index.js'
import {
  base58Decode,
  base58Encode,
  compileTransaction,
  createAssociatedTokenIdempotent,
  findAssociatedTokenAddress,
  isOnCurve,
  memo,
  setComputeUnitLimit,
  transferChecked,
  transferSol,
} from '../src/solana/wire.js'

const SITE = 'pk_sol'
const ORIGIN_FREE_SITE = { origins: ['*'], allowNoOrigin: true, targets: [] }

describe('sol: parsing', () => {
  it('accepts sol:<base58> and bare base58, refuses the rest', () => {
    const usdc = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v'
    expect(parseSolanaAddress(`sol:${usdc}`)).toBe(usdc)
    expect(parseSolanaAddress(` SOL:${usdc} `)).toBe(usdc)
    expect(parseSolanaAddress(usdc)).toBe(usdc)
    expect(isSolanaTarget(`sol:${usdc}`)).toBe(true)
    expect(isSolanaTarget('0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48')).toBe(false)
    for (const bad of ['sol:', 'sol:0xabc', `sol:${usdc}0`, 'sol:O0Il', '0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48']) {
      expect(() => parseSolanaAddress(bad)).toThrow(InvalidParameterError)
    }
  })

  it('parses decimal amounts into base units', () => {
    expect(parseDecimalAmount('1.5', 9)).toBe(1_500_000_000n)
    expect(parseDecimalAmount('0.000001', 6)).toBe(1n)
    expect(parseDecimalAmount('42', 0)).toBe(42n)
    expect(() => parseDecimalAmount('0.0000001', 6)).toThrow(InvalidParameterError)
    expect(() => parseDecimalAmount('-1', 6)).toThrow(InvalidParameterError)
    expect(() => parseDecimalAmount('1e3', 6)).toThrow(InvalidParameterError)
  })
})

describe('wire format against @solana/kit', () => {
  const random = (n: number) => crypto.getRandomValues(new Uint8Array(n))

  it('base58 round-trips like kit', () => {
    const kit = getBase58Decoder()
    for (const bytes of [new Uint8Array(32), Uint8Array.of(0, 0, 1, 2), random(32), random(64), random(1)]) {
      expect(base58Encode(bytes)).toBe(kit.decode(bytes))
      expect(base58Decode(base58Encode(bytes))).toEqual(bytes)
    }
    expect(base58Decode('0OIl')).toBeUndefined()
  })

  it('tells on-curve points like kit', () => {
    const decoder = getAddressDecoder()
    for (let i = 0; i < 200; i++) {
      const bytes = random(32)
      expect(isOnCurve(bytes)).toBe(!isOffCurveAddress(decoder.decode(bytes)))
    }
  })

  it('derives associated token accounts like @solana-program/token', async () => {
    const decoder = getAddressDecoder()
    for (let i = 0; i < 8; i++) {
      const owner = decoder.decode(random(32))
      const mint = decoder.decode(random(32))
      const [expected] = await findAssociatedTokenPda({ owner, mint, tokenProgram: TOKEN_PROGRAM_ADDRESS })
      expect(await findAssociatedTokenAddress(owner, mint)).toBe(expected)
    }
  })

  it('compiles a v0 transaction kit decodes to the same instructions', async () => {
    const decoder = getAddressDecoder()
    const [payer, from, to, mint, ata, src] = Array.from({ length: 6 }, () => decoder.decode(random(32)))
    const blockhash = decoder.decode(random(32))
    const instructions = [
      setComputeUnitLimit(60_000),
      transferSol(from as string, to as string, 123_456_789n),
      createAssociatedTokenIdempotent({
        payer: payer as string,
        ata: ata as string,
        owner: to as string,
        mint: mint as string,
      }),
      transferChecked({
        source: src as string,
        mint: mint as string,
        destination: ata as string,
        authority: from as string,
        amount: 5n,
        decimals: 6,
      }),
      memo(new TextEncoder().encode('hi')),
    ]
    const legacy = getTransactionDecoder().decode(
      compileTransaction(payer as string, blockhash, instructions, 'legacy'),
    )
    expect(getCompiledTransactionMessageDecoder().decode(legacy.messageBytes).version).toBe('legacy')
    const bytes = compileTransaction(payer as string, blockhash, instructions)
    const tx = getTransactionDecoder().decode(bytes)
    expect(Object.keys(tx.signatures)).toEqual([payer, from])
    const message = decompileTransactionMessage(getCompiledTransactionMessageDecoder().decode(tx.messageBytes))
    expect(message.feePayer.address).toBe(payer)
    expect(message.version).toBe(0)
    expect((message.lifetimeConstraint as { blockhash: string }).blockhash).toBe(blockhash)
    // A compiled message has one role per account: the union of its uses (the fee payer a writable signer).
    const merged = new Map<string, number>([[payer as string, 3]])
    for (const ix of instructions)
      for (const a of ix.accounts)
        merged.set(a.address, (merged.get(a.address) ?? 0) | (a.signer ? 2 : 0) | (a.writable ? 1 : 0))
    const roleOf = (a: { address: string }) => merged.get(a.address)
    expect(
      (
        message.instructions as readonly {
          programAddress: string
          accounts?: readonly { address: string; role: number }[]
          data?: Uint8Array
        }[]
      ).map((ix) => ({
        program: ix.programAddress,
        accounts: ix.accounts?.map((a) => [a.address, a.role]) ?? [],
        data: [...(ix.data ?? [])],
      })),
    ).toEqual(
      instructions.map((ix) => ({
        program: ix.programId,
        accounts: ix.accounts.map((a) => [a.address, roleOf(a)]),
        data: [...ix.data],
      })),
    )
  })
})

describe('tipSolana end to end (LiteSVM RPC, relay, dev Solana wallet)', () => {
  let node: SolanaRpcInstance
  let ledger: SolanaDevLedger
  let relay: RunningRelay
  let wallet: SolanaDevWallet
  // A Turnstile-compatible verifier standing in for Cloudflare's (not reachable here): one success per "pass…" token.
  let verifier: Server
  const verified: string[] = []

  beforeAll(async () => {
    const used = new Set<string>()
    verifier = createServer(async (req, res) => {
      let text = ''
      for await (const chunk of req) text += chunk
      const token = new URLSearchParams(text).get('response') ?? ''
      verified.push(token)
      const success = token.startsWith('pass') && !used.has(token)
      used.add(token)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ success }))
    })
    await new Promise<void>((resolve) => verifier.listen(0, '127.0.0.1', resolve))
    process.env.TT_TEST_CORE_HUMAN_SECRET = 'test-core-human-check-secret'
    const humanCheck = {
      secretEnv: 'TT_TEST_CORE_HUMAN_SECRET',
      verifyUrl: `http://127.0.0.1:${(verifier.address() as AddressInfo).port}/siteverify`,
    }
    node = await startSolanaRpc()
    ledger = await seedSolanaDevLedger(node.svm)
    const feePayer = await solanaDevKeyPair('feePayer')
    // The relay creates token accounts only for the recipients a site lists (issue 13).
    const fundedRecipient = (await solanaDevKeyPair('a recipient with no token account yet')).address
    relay = await startRelay({
      chains: [],
      sites: {
        [SITE]: {
          ...ORIGIN_FREE_SITE,
          solana: {
            fundTokenAccounts: { recipients: [fundedRecipient], mints: { [ledger.mint]: { minimumTransfer: 1 } } },
          },
        },
        pk_visitor_pays_rent: ORIGIN_FREE_SITE,
        pk_human: { ...ORIGIN_FREE_SITE, attestation: { humanCheck } },
        // Less than one signature's fee a day; one request per wallet a day.
        pk_spent: { ...ORIGIN_FREE_SITE, solana: { lamportsPerDay: 1 } },
        pk_once: { ...ORIGIN_FREE_SITE, solana: { requestsPerWalletPerDay: 1 } },
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
    await new Promise((r) => verifier?.close(r))
    await relay?.close()
    await node?.stop()
  })

  const client = (siteKey = SITE) =>
    createSolanaClient({ rpcUrl: node.rpcUrl, relayUrl: relay.url, siteKey, wallets: [wallet], discover: false })
  const balance = (address: Address) => node.svm.getBalance(address) ?? 0n

  it('lists and connects the dev wallet', async () => {
    const solana = client()
    expect(getSolanaWallets(solana)).toEqual([
      expect.objectContaining({ id: 'TokenTags Dev Solana Wallet (dev only)' }),
    ])
    expect(getSolanaAccount(solana).status).toBe('disconnected')
    const account = await connectSolana(solana)
    expect(account).toEqual({ status: 'connected', address: ledger.visitor, walletId: wallet.name })
    await disconnectSolana(solana)
    expect(getSolanaAccount(solana).status).toBe('disconnected')
    await expect(tipSolana(solana, { to: ledger.creator, amount: 1n })).rejects.toBeInstanceOf(WalletNotConnectedError)
  })

  it('tips SOL with a memo: the visitor pays only the tip', async () => {
    const solana = client()
    await connectSolana(solana)
    const events: SolanaActionStatusEvent[] = []
    const visitorBefore = balance(ledger.visitor)
    const creatorBefore = balance(ledger.creator)
    const result = await tipSolana(solana, {
      to: `sol:${ledger.creator}`,
      amount: '0.25',
      memo: 'great post',
      onStatus: (e) => events.push(e),
    })
    expect(result.signature).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/)
    expect(result.slot).toBeGreaterThan(0n)
    expect(result.requestId).toMatch(/^sol_/)
    expect(events.map((e) => e.status)).toEqual(['signing', 'queued', 'submitted', 'confirmed'])
    expect(events.at(-1)?.signature).toBe(result.signature)
    expect(balance(ledger.visitor)).toBe(visitorBefore - 250_000_000n)
    expect(balance(ledger.creator)).toBe(creatorBefore + 250_000_000n)
  })

  it('tips an SPL token, the relay paying the new token account: visitor SOL unchanged', async () => {
    const solana = client()
    await connectSolana(solana)
    const recipient = (await solanaDevKeyPair('a recipient with no token account yet')).address
    const visitorSol = balance(ledger.visitor)
    const result = await tipSolana(solana, { to: recipient, mint: `sol:${ledger.mint}`, amount: '1.5', memo: 'gm' })
    expect(result.signature).toBeTypeOf('string')
    expect(await getSplBalance(node.svm, { mint: ledger.mint, owner: recipient })).toBe(1_500_000n)
    expect(balance(ledger.visitor)).toBe(visitorSol)
    // Into an existing token account, no creation.
    await tipSolana(solana, { to: recipient, mint: ledger.mint, amount: 500_000n })
    expect(await getSplBalance(node.svm, { mint: ledger.mint, owner: recipient })).toBe(2_000_000n)
  })

  it('lets the tipper fund the token account when the relay does not', async () => {
    const solana = client('pk_visitor_pays_rent')
    await connectSolana(solana)
    const recipient = (await solanaDevKeyPair('another recipient with no token account')).address
    const visitorSol = balance(ledger.visitor)
    await tipSolana(solana, { to: recipient, mint: ledger.mint, amount: 1n })
    expect(await getSplBalance(node.svm, { mint: ledger.mint, owner: recipient })).toBe(1n)
    expect(balance(ledger.visitor)).toBe(visitorSol - 2_039_280n)
  })

  it('lets the tipper fund the token account of a recipient the site does not list (the relay would refuse)', async () => {
    const solana = client()
    await connectSolana(solana)
    const recipient = (await solanaDevKeyPair('an unlisted recipient with no token account')).address
    const visitorSol = balance(ledger.visitor)
    await tipSolana(solana, { to: recipient, mint: ledger.mint, amount: 3n })
    expect(await getSplBalance(node.svm, { mint: ledger.mint, owner: recipient })).toBe(3n)
    expect(balance(ledger.visitor)).toBe(visitorSol - 2_039_280n)
  })

  it('maps a wallet rejection to USER_REJECTED and reports failed', async () => {
    const solana = client()
    await connectSolana(solana)
    const events: string[] = []
    wallet.dev.approve = () => false
    try {
      await expect(
        tipSolana(solana, { to: ledger.creator, amount: 1_000n, onStatus: (e) => events.push(e.status) }),
      ).rejects.toBeInstanceOf(UserRejectedError)
    } finally {
      wallet.dev.approve = undefined
    }
    expect(events).toEqual(['signing', 'failed'])
  })

  it("surfaces the relay's refusal with its code", async () => {
    const solana = client()
    await connectSolana(solana)
    const error = await tipSolana(solana, { to: ledger.creator, amount: 10n ** 15n }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RelayRejectedError)
    expect((error as RelayRejectedError).relayCode).toBe('SIMULATION_FAILED')
    await expect(tipSolana(solana, { to: 'sol:nope', amount: 1n })).rejects.toBeInstanceOf(InvalidParameterError)
    await expect(tipSolana(solana, { to: ledger.creator, mint: ledger.creator, amount: 1n })).rejects.toBeInstanceOf(
      InvalidParameterError,
    )
  })

  it("reads the relay's Solana budget and quota refusals as kind budget: the wallet can pay (issue 12)", async () => {
    const spent = client('pk_spent')
    await connectSolana(spent)
    const overBudget = await tipSolana(spent, { to: ledger.creator, amount: 1_000n }).catch((e: unknown) => e)
    expect(overBudget).toBeInstanceOf(RelayRejectedError)
    expect(relayFailure(overBudget)).toMatchObject({
      kind: 'budget',
      relayCode: 'BUDGET_EXCEEDED',
      walletCanDoIt: true,
    })

    const once = client('pk_once')
    await connectSolana(once)
    // The quota counts the wallet's requests on every site today: earlier tests' tips may have spent it already.
    let overQuota: unknown
    for (let i = 0; i < 2 && overQuota === undefined; i++) {
      overQuota = await tipSolana(once, { to: ledger.creator, amount: 1_000n }).then(
        () => undefined,
        (e: unknown) => e,
      )
    }
    expect(overQuota).toBeInstanceOf(RelayRejectedError)
    expect(relayFailure(overQuota)).toMatchObject({ kind: 'budget', relayCode: 'QUOTA_EXCEEDED', walletCanDoIt: true })
  })

  it('sends a fresh human-check token with each tip to a site whose relay requires one (issue 13)', async () => {
    const solana = client('pk_human')
    await connectSolana(solana)
    const refused = await tipSolana(solana, { to: ledger.creator, amount: 1000n }).catch((e: unknown) => e)
    expect((refused as RelayRejectedError).relayCode).toBe('HUMAN_CHECK_REQUIRED')
    let n = 0
    const humanCheck = async () => `pass-core-${++n}`
    const creatorBefore = balance(ledger.creator)
    await tipSolana(solana, { to: ledger.creator, amount: 1000n, humanCheck })
    await tipSolana(solana, { to: ledger.creator, amount: 1000n, humanCheck })
    expect(balance(ledger.creator)).toBe(creatorBefore + 2000n)
    expect(verified).toEqual(['pass-core-1', 'pass-core-2'])
    const failed = await tipSolana(solana, {
      to: ledger.creator,
      amount: 1000n,
      humanCheck: () => Promise.reject(new Error('the check was closed')),
    }).catch((e: unknown) => e)
    expect((failed as RelayRejectedError).relayCode).toBe('HUMAN_CHECK_FAILED')
    expect(verified).toHaveLength(2)
  })

  it('builds a legacy transaction for a wallet that signs only legacy ones', async () => {
    const feature = wallet.features['solana:signTransaction']
    const legacyOnly = {
      ...wallet,
      name: 'Legacy Only Wallet',
      features: {
        ...wallet.features,
        'solana:signTransaction': {
          ...feature,
          supportedTransactionVersions: ['legacy'] as const,
          signTransaction: (...inputs: { transaction: Uint8Array }[]) => {
            for (const input of inputs) expect((input.transaction[65] ?? 0) & 0x80).toBe(0) // no version prefix
            return feature.signTransaction(...(inputs as never[]))
          },
        },
      },
    }
    const solana = createSolanaClient({
      rpcUrl: node.rpcUrl,
      relayUrl: relay.url,
      siteKey: SITE,
      wallets: [legacyOnly as never],
      discover: false,
    })
    await connectSolana(solana, { walletId: 'Legacy Only Wallet' })
    const creatorBefore = balance(ledger.creator)
    await tipSolana(solana, { to: ledger.creator, amount: 4_321n, memo: 'legacy' })
    expect(balance(ledger.creator)).toBe(creatorBefore + 4_321n)
  })

  it('signs through a @solana/wallet-adapter-base adapter converted with fromWalletAdapter', async () => {
    const { UnsafeBurnerWalletAdapter } = await import('@solana/wallet-adapter-unsafe-burner')
    const { VersionedTransaction } = await import('@solana/web3.js')
    const { fromWalletAdapter } = await import('../src/solana/index.js')
    const adapter = new UnsafeBurnerWalletAdapter()
    const converted = fromWalletAdapter(adapter, { VersionedTransaction })
    expect(converted.features).toHaveProperty(['solana:signTransaction'])
    const solana = createSolanaClient({
      rpcUrl: node.rpcUrl,
      relayUrl: relay.url,
      siteKey: SITE,
      wallets: [converted],
      discover: false,
    })
    const changes: unknown[] = []
    ;(converted.features['standard:events'] as { on: (e: 'change', l: (p: unknown) => void) => () => void }).on(
      'change',
      (p) => changes.push(p),
    )
    const account = await connectSolana(solana, { walletId: adapter.name })
    expect(account.address).toBe(adapter.publicKey?.toBase58())
    setLamports(node.svm, account.address as Address, 1_000_000_000n)
    const result = await tipSolana(solana, { to: ledger.creator, amount: 12_345n })
    expect(result.signature).toBeTypeOf('string')
    expect(balance(account.address as Address)).toBe(1_000_000_000n - 12_345n)
    expect(changes.length).toBeGreaterThan(0)
    // An adapter wrapping a Standard wallet hands that wallet back.
    expect(fromWalletAdapter({ ...adapter, wallet: wallet as never } as never, { VersionedTransaction })).toBe(wallet)
  })
})

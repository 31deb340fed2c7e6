// Issue 13, finding 1: a wallet had the relay create and fund the token account of an owner it
// controls (a 0-token transfer counted as "receives a transfer"), then closed it to itself in a
// second sponsored transaction: 2,039,280 lamports of rent gained per cycle at no cost. The relay
// now funds token accounts only of the recipients and mints a site lists, above the mint's minimum
// transfer, and pays for no CloseAccount (nor any other instruction a tip is not made of). Also the
// default compute-unit price cap, checked here on a real ledger (LiteSVM).
import {
  type Address,
  appendTransactionMessageInstructions,
  type Blockhash,
  createNoopSigner,
  createTransactionMessage,
  generateKeyPairSigner,
  getBase64EncodedWireTransaction,
  type Instruction,
  type KeyPairSigner,
  partiallySignTransactionMessageWithSigners,
  pipe,
  setTransactionMessageComputeUnitLimit,
  setTransactionMessageComputeUnitPrice,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from '@solana/kit'
import {
  findAssociatedTokenPda,
  getCloseAccountInstruction,
  getCreateAssociatedTokenIdempotentInstruction,
  getTransferCheckedInstruction,
  TOKEN_PROGRAM_ADDRESS,
} from '@solana-program/token'
import {
  createSplMint,
  getSplBalance,
  type SolanaDevLedger,
  type SolanaRpcInstance,
  seedSolanaDevLedger,
  setSplBalance,
  startSolanaRpc,
} from '@tokentags/testkit/solana'
import { type SolanaDevKeyPair, solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, parseRelayConfigFile, type RunningRelay, startRelay } from '../src/index.js'
import { postSolanaTransaction, waitForFinal } from './support/solanaApi.js'

const ORIGIN = 'http://shop.test'
/** 1 token of the dev mint (6 decimals): the demo page's smallest SPL tip. */
const MINIMUM = 1_000_000n
const TOKEN_ACCOUNT_RENT = 2_039_280n
const SIGNATURE_FEES = 10_000n

interface Answer {
  id: string
  status: string
  error: { code: string; message: string }
  solana: Record<string, unknown>
}

let node: SolanaRpcInstance
let ledger: SolanaDevLedger
let relay: RunningRelay
let feePayer: SolanaDevKeyPair
let visitor: KeyPairSigner

beforeAll(async () => {
  node = await startSolanaRpc()
  ledger = await seedSolanaDevLedger(node.svm)
  feePayer = await solanaDevKeyPair('feePayer')
  visitor = (await solanaDevKeyPair('visitor')).signer
  relay = await startRelay({
    chains: [],
    sites: {
      pk_rent: {
        origins: [ORIGIN],
        targets: [],
        solana: {
          fundTokenAccounts: {
            recipients: [ledger.creator],
            mints: { [ledger.mint]: { minimumTransfer: String(MINIMUM) } },
          },
        },
      },
      pk_plain: { origins: [ORIGIN], targets: [] },
    },
    solana: {
      rpcUrl: node.rpcUrl,
      feePayerSecretKey: Array.from(feePayer.secretKey),
      chain: 'solana:localnet',
      confirm: { pollIntervalMs: 40, resendIntervalMs: 150 },
    },
    logger: pino({ level: process.env.RELAY_TEST_LOG ?? 'silent' }),
    port: 0,
  })
})

afterAll(async () => {
  await relay?.close()
  await node?.stop()
})

const balance = (address: Address) => node.svm.getBalance(address) ?? 0n
const ata = async (owner: Address, mint: Address = ledger.mint) =>
  (await findAssociatedTokenPda({ mint, owner, tokenProgram: TOKEN_PROGRAM_ADDRESS }))[0]

let nonce = 0
/** A memo that makes each transaction's bytes (and signature) unique. */
const unique = (): Instruction => ({
  programAddress: 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr' as Address,
  accounts: [],
  data: new TextEncoder().encode(`rent test ${++nonce}`),
})

async function buildTx(
  instructions: Instruction[],
  options: { computeUnitLimit?: number; computeUnitPrice?: bigint } = {},
): Promise<string> {
  let message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(ledger.feePayer, m),
    (m) =>
      setTransactionMessageLifetimeUsingBlockhash(
        { blockhash: node.svm.latestBlockhash() as Blockhash, lastValidBlockHeight: 0n },
        m,
      ),
    (m) => appendTransactionMessageInstructions([...instructions, unique()], m),
  )
  if (options.computeUnitLimit !== undefined) {
    message = setTransactionMessageComputeUnitLimit(options.computeUnitLimit, message)
  }
  if (options.computeUnitPrice !== undefined) {
    message = setTransactionMessageComputeUnitPrice(options.computeUnitPrice, message)
  }
  return getBase64EncodedWireTransaction(await partiallySignTransactionMessageWithSigners(message))
}

const post = (transaction: string, site: string) => postSolanaTransaction<Answer>(relay.url, transaction, site, ORIGIN)

const waitFinal = (id: string) => waitForFinal<Answer>(relay.url, id)

/** Posts and expects the refusal, with nothing taken from the fee payer. */
async function refused(transaction: string, site: string, status: number, code: string, message?: RegExp) {
  const before = balance(ledger.feePayer)
  const answer = await post(transaction, site)
  expect({ status: answer.status, code: answer.body.error?.code }, JSON.stringify(answer.body)).toEqual({
    status,
    code,
  })
  if (message) expect(answer.body.error.message).toMatch(message)
  expect(balance(ledger.feePayer)).toBe(before)
}

async function accepted(transaction: string, site: string) {
  const answer = await post(transaction, site)
  expect(answer.status, JSON.stringify(answer.body)).toBe(202)
  expect(await waitFinal(answer.body.id)).toMatchObject({ status: 'confirmed' })
}

/** Creates `owner`'s token account with `payer` paying the rent. */
const create = async (owner: Address, payer: Address, mint: Address = ledger.mint) =>
  getCreateAssociatedTokenIdempotentInstruction({
    payer: payer === visitor.address ? visitor : createNoopSigner(payer),
    ata: await ata(owner, mint),
    owner,
    mint,
  })
/** The visitor sends `amount` base units of `mint` into `owner`'s token account. */
const send = async (owner: Address, amount: bigint, mint: Address = ledger.mint) =>
  getTransferCheckedInstruction({
    source: await ata(visitor.address, mint),
    mint,
    destination: await ata(owner, mint),
    authority: visitor,
    amount,
    decimals: 6,
  })

describe('the rent-theft cycle of issue 13 (finding 1)', () => {
  it('the relay no longer funds the token account of an owner the site does not list, whatever the amount', async () => {
    // The attacker holds this key; the visitor's wallet is the attacker's too.
    const owner = (await generateKeyPairSigner()).address
    for (const amount of [0n, MINIMUM, 10n * MINIMUM]) {
      await refused(
        await buildTx([await create(owner, ledger.feePayer), await send(owner, amount)]),
        'pk_rent',
        403,
        'TOKEN_ACCOUNT_OWNER_NOT_LISTED',
        new RegExp(`${owner} is not one`),
      )
    }
    expect(balance(await ata(owner))).toBe(0n)
  })

  it('the relay pays for no CloseAccount: the rent in a token account stays there', async () => {
    const attacker = await generateKeyPairSigner()
    const account = await ata(attacker.address)
    // The visitor paying the rent itself is sponsored (only the fee): the account now exists.
    await accepted(
      await buildTx([await create(attacker.address, visitor.address), await send(attacker.address, 0n)]),
      'pk_rent',
    )
    expect(balance(account)).toBe(TOKEN_ACCOUNT_RENT)
    const attackerBefore = balance(attacker.address)
    // Closed to the attacker, or even to a recipient the site lists: the relay signs neither.
    for (const destination of [attacker.address, ledger.creator]) {
      await refused(
        await buildTx([getCloseAccountInstruction({ account, destination, owner: attacker })]),
        'pk_rent',
        403,
        'INSTRUCTION_NOT_ALLOWED',
        /instruction \d \(Token CloseAccount\) is not sponsored/,
      )
    }
    expect(balance(account)).toBe(TOKEN_ACCOUNT_RENT)
    expect(balance(attacker.address)).toBe(attackerBefore)
  })
})

describe('token accounts the relay funds', () => {
  it('a listed recipient and mint: funded only for a transfer of at least the minimum', async () => {
    const creatorAccount = await ata(ledger.creator)
    expect(balance(creatorAccount)).toBe(0n)
    for (const amount of [0n, MINIMUM - 1n]) {
      await refused(
        await buildTx([await create(ledger.creator, ledger.feePayer), await send(ledger.creator, amount)]),
        'pk_rent',
        403,
        'TRANSFER_BELOW_MINIMUM',
        new RegExp(`at least ${MINIMUM} base units of its mint, not ${amount}$`),
      )
    }
    const before = balance(ledger.feePayer)
    await accepted(
      await buildTx([await create(ledger.creator, ledger.feePayer), await send(ledger.creator, MINIMUM)]),
      'pk_rent',
    )
    expect(before - balance(ledger.feePayer)).toBe(SIGNATURE_FEES + TOKEN_ACCOUNT_RENT)
    expect(await getSplBalance(node.svm, { mint: ledger.mint, owner: ledger.creator })).toBe(MINIMUM)
  })

  it('a listed recipient and a mint the site does not list: refused', async () => {
    const other = createSplMint(node.svm, {
      mint: (await generateKeyPairSigner()).address,
      mintAuthority: ledger.mintAuthority,
    })
    await setSplBalance(node.svm, { mint: other, owner: visitor.address, amount: 10n * MINIMUM })
    await refused(
      await buildTx([await create(ledger.creator, ledger.feePayer, other), await send(ledger.creator, MINIMUM, other)]),
      'pk_rent',
      403,
      'TOKEN_ACCOUNT_MINT_NOT_LISTED',
      new RegExp(`mint ${other}`),
    )
  })

  it('a site without a funding list: no token account at all', async () => {
    const config = (await (
      await fetch(`${relay.url}/v1/config`, { headers: { 'x-tokentags-site': 'pk_plain' } })
    ).json()) as Answer
    expect(config.solana.payForTokenAccounts).toBe(false)
    const owner = (await generateKeyPairSigner()).address
    await refused(
      await buildTx([await create(owner, ledger.feePayer), await send(owner, MINIMUM)]),
      'pk_plain',
      403,
      'FEE_PAYER_AS_SOURCE',
      /does not pay for token accounts on this site/,
    )
  })

  it('publishes the funding list in /v1/config for the site', async () => {
    const config = (await (
      await fetch(`${relay.url}/v1/config`, { headers: { 'x-tokentags-site': 'pk_rent' } })
    ).json()) as Answer
    expect(config.solana).toMatchObject({
      payForTokenAccounts: true,
      fundedMints: [ledger.mint],
      fundedRecipients: [ledger.creator],
      minimumTransfers: { [ledger.mint]: String(MINIMUM) },
    })
  })
})

describe('the default compute-unit price cap', () => {
  it('is 10,000 micro-lamports: one above is refused with its code, the cap itself is sponsored', async () => {
    const config = (await (await fetch(`${relay.url}/v1/config`)).json()) as Answer
    expect(config.solana.maxComputeUnitPrice).toBe('10000')
    const tip = async () => [await send(ledger.creator, MINIMUM)]
    await refused(
      await buildTx(await tip(), { computeUnitLimit: 20_000, computeUnitPrice: 10_001n }),
      'pk_plain',
      400,
      'PRIORITY_FEE_TOO_HIGH',
      /compute unit price 10001 micro-lamports is above the cap of 10000/,
    )
    await accepted(await buildTx(await tip(), { computeUnitLimit: 20_000, computeUnitPrice: 10_000n }), 'pk_plain')
  })
})

describe('funding lists are checked when the config loads', () => {
  const solana = (extra: Record<string, unknown>) => ({
    solana: { rpcUrl: 'http://127.0.0.1:8899', ...extra },
  })
  const site = (extra: Record<string, unknown>) => ({
    ...solana({}),
    sites: { pk: { origins: ['*'], targets: [], solana: extra } },
  })
  const fileError = (input: unknown) => {
    try {
      parseRelayConfigFile({ chains: [], sites: {}, ...(input as object) })
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      return (error as Error).message
    }
    throw new Error('the config was accepted')
  }
  const funding = (
    mints: Record<string, unknown>,
    recipients: unknown = ['9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin'],
  ) => ({
    fundTokenAccounts: { recipients, mints },
  })
  const MINT = 'EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v'

  it('refuses the removed keys by name, at the top and per site, and a relay-wide list', () => {
    expect(fileError(solana({ payForTokenAccounts: true }))).toMatch(
      /solana\.payForTokenAccounts: removed: use sites\.<site>\.solana\.fundTokenAccounts/,
    )
    expect(fileError(site({ fundedMints: [MINT] }))).toMatch(
      /sites\.pk\.solana\.fundedMints: removed: use fundTokenAccounts\.mints/,
    )
    expect(fileError(solana(funding({ [MINT]: { minimumTransfer: 1 } })))).toMatch(
      /solana\.fundTokenAccounts: set it per site: sites\.<site>\.solana\.fundTokenAccounts/,
    )
    expect(
      parseRelayConfigFile({ chains: [], sites: {}, ...site(funding({ [MINT]: { minimumTransfer: '25' } })) }).sites,
    ).toMatchObject({ pk: { solana: { fundTokenAccounts: { mints: { [MINT]: { minimumTransfer: 25n } } } } } })
  })

  it('refuses a minimum that is not a positive whole number of base units, and empty lists', () => {
    for (const minimumTransfer of [0, -1, 1.5, '1.5', '0', '', 'ten']) {
      expect(fileError(site(funding({ [MINT]: { minimumTransfer } }))), String(minimumTransfer)).toMatch(
        /fundTokenAccounts\.mints\.EPjF\w+\.minimumTransfer/,
      )
    }
    expect(fileError(site(funding({})))).toMatch(/fundTokenAccounts\.mints: mints is empty/)
    expect(fileError(site(funding({ [MINT]: { minimumTransfer: 1 } }, [])))).toMatch(/fundTokenAccounts\.recipients/)
    expect(fileError(site(funding({ 'not-base58!': { minimumTransfer: 1 } })))).toMatch(
      /fundTokenAccounts\.mints\.not-base58!: Invalid key in record/,
    )
  })

  it('refuses at start the removed keys, the fee payer or wrapped SOL in the lists', async () => {
    const start = (extra: Record<string, unknown>, policy?: Record<string, unknown>) =>
      startRelay({
        chains: [],
        sites: { pk: { origins: [ORIGIN], targets: [], ...(policy ? { solana: policy } : {}) } },
        solana: { rpcUrl: node.rpcUrl, feePayerSecretKey: Array.from(feePayer.secretKey), ...extra },
        logger: pino({ level: 'silent' }),
        port: 0,
      })
    await expect(start({ payForTokenAccounts: true })).rejects.toThrow(
      /solana\.payForTokenAccounts was removed: list the recipients and mints .* in sites\.<site>\.solana\.fundTokenAccounts/,
    )
    await expect(start({}, { fundedMints: [MINT] })).rejects.toThrow(/sites\.pk\.solana\.fundedMints was removed/)
    await expect(start({}, funding({ [MINT]: { minimumTransfer: 1 } }, [ledger.feePayer]))).rejects.toThrow(
      `sites.pk.solana.fundTokenAccounts.recipients lists the fee payer ${ledger.feePayer}`,
    )
    await expect(
      start({}, funding({ So11111111111111111111111111111111111111112: { minimumTransfer: 1 } })),
    ).rejects.toThrow(/sites\.pk\.solana\.fundTokenAccounts\.mints: wrapped SOL .* accounts are not funded/)
    // Recipients belong to a site: a relay-wide list is refused rather than inherited by every site.
    await expect(start(funding({ [MINT]: { minimumTransfer: 1 } }))).rejects.toThrow(
      /solana\.fundTokenAccounts is per site: .* in sites\.<site>\.solana\.fundTokenAccounts/,
    )
    await expect(start({}, funding({ [MINT]: { minimumTransfer: 2n ** 64n } }))).rejects.toThrow(
      /minimumTransfer must be a whole number of base units from 1 to 2\^64 - 1/,
    )
  })
})

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
import { getTransferSolInstruction } from '@solana-program/system'
import {
  findAssociatedTokenPda,
  getCreateAssociatedTokenIdempotentInstruction,
  getTransferCheckedInstruction,
  TOKEN_PROGRAM_ADDRESS,
} from '@solana-program/token'
import {
  getSplBalance,
  type SolanaDevLedger,
  type SolanaRpcInstance,
  seedSolanaDevLedger,
  startSolanaRpc,
} from '@tokentags/testkit/solana'
import { type SolanaDevKeyPair, solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createMemorySolanaStore, type RunningRelay, startRelay } from '../src/index.js'
import { postSolanaTransaction, waitForFinal } from './support/solanaApi.js'

const SITE = 'pk_sol'
/** The JSON answers these tests read. */
interface Api {
  id: string
  status: string
  signature: string
  slot: string
  error: { code: string; message: string }
  solana: { programs: string[]; fundedMints?: string[] } & Record<string, unknown>
}
const ORIGIN = 'http://shop.test'
const MEMO = 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr' as Address
const TOKEN_ACCOUNT_RENT = 2_039_280n

let node: SolanaRpcInstance
let ledger: SolanaDevLedger
let relay: RunningRelay
let feePayer: SolanaDevKeyPair
let visitor: KeyPairSigner
let visitor2: KeyPairSigner
let amountNonce = 1000n
/** Owners whose token accounts the relay may create (none has one yet); each test takes its own. */
let listed: Address[] = []
const listedRecipient = () => {
  const next = listed.pop()
  if (!next) throw new Error('no listed recipient left: add one in beforeAll')
  return next
}
const ADMIN_TOKEN = 'solana-test-operator-token'

beforeAll(async () => {
  node = await startSolanaRpc()
  ledger = await seedSolanaDevLedger(node.svm)
  feePayer = await solanaDevKeyPair('feePayer')
  visitor = (await solanaDevKeyPair('visitor')).signer
  visitor2 = (await solanaDevKeyPair('visitor2')).signer
  listed = await Promise.all(Array.from({ length: 4 }, async () => (await generateKeyPairSigner()).address))
  relay = await startRelay({
    chains: [],
    sites: {
      [SITE]: {
        origins: [ORIGIN],
        targets: [],
        solana: {
          // The test amounts are above 1,000 base units.
          fundTokenAccounts: { recipients: [...listed], mints: { [ledger.mint]: { minimumTransfer: 1_000 } } },
        },
      },
      pk_budget: { origins: [ORIGIN], targets: [], solana: { lamportsPerDay: 15_000 } },
      pk_quota: { origins: [ORIGIN], targets: [], solana: { requestsPerWalletPerDay: 1 } },
      pk_pause: { origins: [ORIGIN], targets: [] },
      pk_lamports: { origins: [ORIGIN], targets: [], solana: { lamportsPerDay: 50_000 } },
    },
    admin: { token: ADMIN_TOKEN },
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

/** A fresh, unique amount so no two test transactions share a signature. */
const nextAmount = () => ++amountNonce

function memo(text: string, signer?: KeyPairSigner): Instruction {
  return {
    programAddress: MEMO,
    accounts: signer ? [{ address: signer.address, role: 2, signer } as never] : [],
    data: new TextEncoder().encode(text),
  }
}

async function buildTx(
  instructions: Instruction[],
  options: { feePayer?: Address; blockhash?: Blockhash; computeUnitLimit?: number; computeUnitPrice?: bigint } = {},
): Promise<string> {
  const blockhash = options.blockhash ?? (node.svm.latestBlockhash() as Blockhash)
  let message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(options.feePayer ?? ledger.feePayer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash, lastValidBlockHeight: 0n }, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
  )
  if (options.computeUnitLimit !== undefined)
    message = setTransactionMessageComputeUnitLimit(options.computeUnitLimit, message)
  if (options.computeUnitPrice !== undefined)
    message = setTransactionMessageComputeUnitPrice(options.computeUnitPrice, message)
  const signed = await partiallySignTransactionMessageWithSigners(message)
  return getBase64EncodedWireTransaction(signed)
}

const post = (transaction: string, site = SITE) => postSolanaTransaction<Api>(relay.url, transaction, site, ORIGIN)

const waitFinal = (id: string, timeoutMs = 10_000) => waitForFinal<Api>(relay.url, id, timeoutMs)

const balance = (address: Address) => node.svm.getBalance(address) ?? 0n

describe('GET /v1/config and /v1/health', () => {
  it('publish the Solana fee payer and policy, and check the Solana RPC', async () => {
    const config = (await (
      await fetch(`${relay.url}/v1/config`, { headers: { 'x-tokentags-site': SITE } })
    ).json()) as Api
    expect(config.solana).toMatchObject({
      chain: 'solana:localnet',
      feePayer: ledger.feePayer,
      payForTokenAccounts: true,
      maxComputeUnits: 200000,
      maxTransactionBytes: 1232,
    })
    expect(config.solana.programs).toContain(MEMO)
    const health = await fetch(`${relay.url}/v1/health`)
    expect(health.status).toBe(200)
    expect(((await health.json()) as Api).solana).toMatchObject({ ok: true, chain: 'solana:localnet' })
  })
})

/** A sample of the relay's `/metrics` (0 when absent). */
async function metric(name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${relay.url}/metrics`)).text()
  const escaped = labels.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const match = new RegExp(`^${name}${labels ? `\\{${escaped}\\}` : ''} (\\S+)$`, 'm').exec(text)
  return Number(match?.[1] ?? 0)
}

describe('sponsored tips', () => {
  it('SOL tip: the visitor pays no fee, the fee payer pays exactly the signature fees', async () => {
    const counted = (status: string) => metric('tokentags_relay_solana_requests_total', `status="${status}"`)
    const [queuedBefore, confirmedBefore, spentBefore] = [
      await counted('queued'),
      await counted('confirmed'),
      await metric('tokentags_relay_solana_lamports_spent_total', `site="${SITE}"`),
    ]
    const amount = 10_000_000n + nextAmount()
    const tx = await buildTx(
      [getTransferSolInstruction({ source: visitor, destination: ledger.creator, amount }), memo('thanks!')],
      { computeUnitLimit: 50_000 },
    )
    const [visitorBefore, creatorBefore, payerBefore] = [ledger.visitor, ledger.creator, ledger.feePayer].map(balance)
    const { status, body } = await post(tx)
    expect(status).toBe(202)
    expect(body).toMatchObject({ status: 'queued' })
    expect(body.id).toMatch(/^sol_/)
    const final = await waitFinal(body.id)
    expect(final).toMatchObject({ status: 'confirmed', signature: body.signature })
    expect(BigInt(final.slot)).toBeGreaterThan(0n)
    expect(balance(ledger.visitor)).toBe((visitorBefore ?? 0n) - amount)
    expect(balance(ledger.creator)).toBe((creatorBefore ?? 0n) + amount)
    expect(balance(ledger.feePayer)).toBe((payerBefore ?? 0n) - 10_000n)
    // The operator sees it in /metrics: one more queued and confirmed, the fee under the site,
    // and the fee payer's balance as the ledger has it.
    expect(await counted('queued')).toBe(queuedBefore + 1)
    expect(await counted('confirmed')).toBe(confirmedBefore + 1)
    expect(await metric('tokentags_relay_solana_lamports_spent_total', `site="${SITE}"`)).toBe(spentBefore + 10_000)
    const payer = `fee_payer="${ledger.feePayer}"`
    // The balance is read in the background after the outcome: allow a loaded machine time.
    await vi.waitFor(
      async () => {
        expect(await metric('tokentags_relay_solana_fee_payer_balance_lamports', payer)).toBe(
          Number(balance(ledger.feePayer)),
        )
      },
      { timeout: 10_000, interval: 100 },
    )
    // And on the dashboard's overview, with its low-balance flag.
    const overview = (await (
      await fetch(`${relay.url}/admin/api/overview`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    ).json()) as Api
    expect(overview.solana).toEqual({
      chain: 'solana:localnet',
      feePayer: ledger.feePayer,
      balanceLamports: String(balance(ledger.feePayer)),
      lowBalanceLamports: '100000000',
      low: false,
    })
  })

  it('SPL tip creating the recipient token account on the relay: visitor SOL unchanged', async () => {
    const recipient = listedRecipient()
    const [source] = await findAssociatedTokenPda({
      mint: ledger.mint,
      owner: ledger.visitor,
      tokenProgram: TOKEN_PROGRAM_ADDRESS,
    })
    const [destination] = await findAssociatedTokenPda({
      mint: ledger.mint,
      owner: recipient,
      tokenProgram: TOKEN_PROGRAM_ADDRESS,
    })
    const amount = 2_500_000n
    const tx = await buildTx(
      [
        getCreateAssociatedTokenIdempotentInstruction({
          payer: createNoopSigner(ledger.feePayer),
          ata: destination,
          owner: recipient,
          mint: ledger.mint,
        }),
        getTransferCheckedInstruction({
          source,
          mint: ledger.mint,
          destination,
          authority: visitor,
          amount,
          decimals: 6,
        }),
        memo('gm'),
      ],
      { computeUnitLimit: 100_000 },
    )
    const visitorSol = balance(ledger.visitor)
    const payerBefore = balance(ledger.feePayer)
    const tokensBefore = await getSplBalance(node.svm, { mint: ledger.mint, owner: ledger.visitor })
    const { status, body } = await post(tx)
    expect(status, JSON.stringify(body)).toBe(202)
    expect(await waitFinal(body.id)).toMatchObject({ status: 'confirmed' })
    expect(balance(ledger.visitor)).toBe(visitorSol)
    expect(balance(ledger.feePayer)).toBe(payerBefore - 10_000n - TOKEN_ACCOUNT_RENT)
    expect(await getSplBalance(node.svm, { mint: ledger.mint, owner: recipient })).toBe(amount)
    expect(await getSplBalance(node.svm, { mint: ledger.mint, owner: ledger.visitor })).toBe(tokensBefore - amount)
  })

  it('streams the status changes over SSE until the final one', async () => {
    const tx = await buildTx(
      [getTransferSolInstruction({ source: visitor, destination: ledger.creator, amount: nextAmount() })],
      {
        computeUnitLimit: 10_000,
      },
    )
    const { body } = await post(tx)
    const response = await fetch(`${relay.url}/v1/requests/${body.id}/events`)
    expect(response.headers.get('content-type')).toContain('text/event-stream')
    const text = await response.text()
    const statuses = [...text.matchAll(/"status":"(\w+)"/g)].map((m) => m[1])
    expect(statuses.at(-1)).toBe('confirmed')
    expect(text).toContain(body.signature)
  })
})

describe('refused transactions, each with its own code', () => {
  const expectRefused = async (tx: string, httpStatus: number, code: string, site = SITE) => {
    const { status, body } = await post(tx, site)
    expect(body.error?.code, JSON.stringify(body)).toBe(code)
    expect(status).toBe(httpStatus)
    expect(typeof body.error.message).toBe('string')
  }
  const tip = () => getTransferSolInstruction({ source: visitor, destination: ledger.creator, amount: nextAmount() })

  it('the fee payer as the source of a transfer', async () => {
    const drain = getTransferSolInstruction({
      source: createNoopSigner(ledger.feePayer),
      destination: ledger.visitor,
      amount: 1_000_000n,
    })
    await expectRefused(await buildTx([tip(), drain]), 403, 'FEE_PAYER_AS_SOURCE')
  })

  it('the fee payer as a writable account of another instruction', async () => {
    const intoFeePayer = getTransferSolInstruction({
      source: visitor,
      destination: ledger.feePayer,
      amount: nextAmount(),
    })
    await expectRefused(await buildTx([intoFeePayer]), 403, 'FEE_PAYER_WRITABLE')
  })

  describe('token accounts the fee payer would fund', () => {
    const ata = async (owner: Address) =>
      (await findAssociatedTokenPda({ mint: ledger.mint, owner, tokenProgram: TOKEN_PROGRAM_ADDRESS }))[0]
    const create = (account: Address, owner: Address) =>
      getCreateAssociatedTokenIdempotentInstruction({
        payer: createNoopSigner(ledger.feePayer),
        ata: account,
        owner,
        mint: ledger.mint,
      })
    const tokens = async (destination: Address) =>
      getTransferCheckedInstruction({
        source: await ata(ledger.visitor),
        mint: ledger.mint,
        destination,
        authority: visitor,
        amount: nextAmount(),
        decimals: 6,
      })
    const refusedWith = async (tx: string, code: string, message: RegExp) => {
      const { status, body } = await post(tx)
      expect({ status, code: body.error?.code }, JSON.stringify(body)).toEqual({ status: 403, code })
      expect(body.error.message).toMatch(message)
    }

    it("the wallet's own token account (FEE_PAYER_AS_SOURCE): it could close it and keep the rent", async () => {
      // The visitor's account exists already: with the rule gone this runs (the create is idempotent).
      const own = await ata(ledger.visitor)
      await refusedWith(
        await buildTx([create(own, ledger.visitor), await tokens(own)]),
        'FEE_PAYER_AS_SOURCE',
        /only for token accounts of recipients/,
      )
    })

    it('an account that receives no transfer in the transaction (FEE_PAYER_WRITABLE)', async () => {
      const recipient = listedRecipient()
      await refusedWith(
        await buildTx([create(await ata(recipient), recipient), tip()]),
        'FEE_PAYER_WRITABLE',
        /must receive a transfer in the same transaction/,
      )
      // Tokens sent elsewhere do not count either.
      const elsewhere = await ata(ledger.creator)
      await refusedWith(
        await buildTx([create(await ata(recipient), recipient), await tokens(elsewhere)]),
        'FEE_PAYER_WRITABLE',
        /must receive a transfer in the same transaction/,
      )
    })

    it("an address that is not the owner's associated token account (FEE_PAYER_WRITABLE, before simulation)", async () => {
      const recipient = listedRecipient()
      const other = (await generateKeyPairSigner()).address
      const wrong = await ata(other)
      const payerBefore = balance(ledger.feePayer)
      await refusedWith(
        await buildTx([create(wrong, recipient), await tokens(wrong)]),
        'FEE_PAYER_WRITABLE',
        /is not the associated token account of/,
      )
      expect(balance(ledger.feePayer)).toBe(payerBefore)
      // Control: the same transaction with the right address is sponsored.
      const right = await ata(recipient)
      const { status, body } = await post(await buildTx([create(right, recipient), await tokens(right)]))
      expect(status, JSON.stringify(body)).toBe(202)
      expect(await waitFinal(body.id)).toMatchObject({ status: 'confirmed' })
    })
  })

  it('an extra signer', async () => {
    await expectRefused(await buildTx([tip(), memo('me too', visitor2)]), 403, 'TOO_MANY_SIGNERS')
  })

  it('an unknown program', async () => {
    const unknown = (await generateKeyPairSigner()).address
    await expectRefused(
      await buildTx([tip(), { programAddress: unknown, accounts: [], data: new Uint8Array([1]) }]),
      403,
      'PROGRAM_NOT_ALLOWED',
    )
  })

  it('a compute unit limit over the cap', async () => {
    await expectRefused(await buildTx([tip()], { computeUnitLimit: 1_400_000 }), 400, 'COMPUTE_LIMIT_TOO_HIGH')
  })

  it('a priority fee over the cap', async () => {
    await expectRefused(
      await buildTx([tip()], { computeUnitLimit: 10_000, computeUnitPrice: 5_000_000n }),
      400,
      'PRIORITY_FEE_TOO_HIGH',
    )
  })

  it('an oversized transaction', async () => {
    const tx = await buildTx([tip(), memo('x'.repeat(1_100))]).catch(() => undefined)
    expect(tx, 'kit built the oversized transaction').toBeTypeOf('string')
    expect(Buffer.from(tx as string, 'base64').length).toBeGreaterThan(1232)
    await expectRefused(tx as string, 413, 'TRANSACTION_TOO_LARGE')
  })

  it('an expired blockhash', async () => {
    const tx = await buildTx([tip()])
    node.expireBlockhash()
    await expectRefused(tx, 400, 'BLOCKHASH_EXPIRED')
  })

  it('a replayed transaction', async () => {
    const tx = await buildTx([tip()])
    const first = await post(tx)
    expect(first.status).toBe(202)
    expect(await waitFinal(first.body.id)).toMatchObject({ status: 'confirmed' })
    await expectRefused(tx, 409, 'DUPLICATE_TRANSACTION')
  })

  it('two concurrent submissions of one transaction: one is queued, one refused', async () => {
    const tx = await buildTx([tip()])
    const answers = await Promise.all([post(tx), post(tx)])
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409])
  })

  it('a bad or missing wallet signature', async () => {
    const tx = Buffer.from(await buildTx([tip()]), 'base64')
    tx[1 + 64 + 5] = (tx[1 + 64 + 5] ?? 0) ^ 0xff // second signature slot: the visitor's
    await expectRefused(tx.toString('base64'), 400, 'BAD_SIGNATURE')
    tx.fill(0, 1 + 64, 1 + 128)
    await expectRefused(tx.toString('base64'), 400, 'BAD_SIGNATURE')
  })

  it('another fee payer, no wallet signer, malformed bytes', async () => {
    await expectRefused(await buildTx([tip()], { feePayer: ledger.visitor2 }), 400, 'FEE_PAYER_MISMATCH')
    await expectRefused(await buildTx([memo('only the relay signs')]), 400, 'NO_WALLET_SIGNER')
    await expectRefused(Buffer.from('not a transaction').toString('base64'), 400, 'INVALID_TRANSACTION')
  })

  it('a transaction that fails in simulation', async () => {
    const tooMuch = getTransferSolInstruction({ source: visitor, destination: ledger.creator, amount: 10n ** 15n })
    await expectRefused(await buildTx([tooMuch]), 422, 'SIMULATION_FAILED')
  })

  it('a site over its daily lamports budget, a wallet over its daily quota', async () => {
    expect((await post(await buildTx([tip()]), 'pk_budget')).status).toBe(202)
    await expectRefused(await buildTx([tip()]), 429, 'BUDGET_EXCEEDED', 'pk_budget')
    // visitor2 has not used the relay yet today.
    const fromVisitor2 = () =>
      getTransferSolInstruction({ source: visitor2, destination: ledger.creator, amount: nextAmount() })
    expect((await post(await buildTx([fromVisitor2()]), 'pk_quota')).status).toBe(202)
    await expectRefused(await buildTx([fromVisitor2()]), 429, 'QUOTA_EXCEEDED', 'pk_quota')
  })

  it('an unknown site or a missing body', async () => {
    await expectRefused(await buildTx([tip()]), 401, 'UNKNOWN_SITE', 'pk_nope')
    const response = await fetch(`${relay.url}/v1/solana/transactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tokentags-site': SITE, origin: ORIGIN },
      body: JSON.stringify({ tx: 'x' }),
    })
    expect(response.status).toBe(400)
  })
})

describe('a site the operator paused', () => {
  const admin = async (action: 'pause' | 'resume') => {
    const response = await fetch(`${relay.url}/admin/api/sites/pk_pause/${action}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    expect(response.status).toBe(200)
    return ((await response.json()) as { paused: boolean }).paused
  }

  it('refuses a SOL tip with 403 SITE_PAUSED before signing or sending anything, and takes it once resumed', async () => {
    const amount = 10_000_000n + nextAmount()
    const tip = () => getTransferSolInstruction({ source: visitor, destination: ledger.creator, amount })
    // Signed on a blockhash that then expires: only a check run before the RPC reads refuses it as paused.
    const stale = await buildTx([tip(), memo('stale')])
    node.expireBlockhash()
    const tx = await buildTx([tip()])
    expect(await admin('pause')).toBe(true)
    const [sent, visitorBefore, payerBefore] = [node.sendCount, balance(ledger.visitor), balance(ledger.feePayer)]
    for (const transaction of [tx, stale]) {
      const refused = await post(transaction, 'pk_pause')
      expect([refused.status, refused.body.error?.code], JSON.stringify(refused.body)).toEqual([403, 'SITE_PAUSED'])
    }
    // Nothing sent, paid, reserved or counted.
    expect(node.sendCount).toBe(sent)
    expect([balance(ledger.visitor), balance(ledger.feePayer)]).toEqual([visitorBefore, payerBefore])
    const day = new Date().toISOString().slice(0, 10)
    expect(await relay.solana?.store.usage('pk_pause', visitor.address, day)).toMatchObject({ siteLamports: 0n })
    // Other sites go on.
    expect((await post(await buildTx([memo('open site', visitor)]))).status).toBe(202)

    expect(await admin('resume')).toBe(false)
    const accepted = await post(tx, 'pk_pause')
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202)
    expect(await waitFinal(accepted.body.id)).toMatchObject({ status: 'confirmed' })
    expect(balance(ledger.visitor)).toBe((visitorBefore ?? 0n) - amount)
    expect((await relay.solana?.store.usage('pk_pause', visitor.address, day))?.siteLamports).toBe(5_000n * 2n)
  })
})

describe("the admin API's site state", () => {
  const read = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${relay.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(response.status, path).toBe(200)
    return (await response.json()) as T
  }
  type Today = { usedWei: string; spentWei: string; usedLamports?: string; remainingLamports?: string }
  type SiteView = { key: string; dailyBudgetLamports?: string; today: Today }

  it("shows today's Solana lamports beside the wei: the budget, reserved plus spent, and what is left", async () => {
    expect(await read<SiteView>('/admin/api/sites/pk_lamports')).toMatchObject({
      dailyBudgetLamports: '50000',
      today: { usedWei: '0', spentWei: '0', usedLamports: '0', remainingLamports: '50000' },
    })
    // A memo the visitor signs: two signatures' fees, reserved at admission and kept once it lands.
    const accepted = await post(await buildTx([memo('admin view', visitor)]), 'pk_lamports')
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202)
    const reserved = { usedLamports: '10000', remainingLamports: '40000' }
    expect((await read<SiteView>('/admin/api/sites/pk_lamports')).today).toMatchObject(reserved)
    expect(await waitFinal(accepted.body.id)).toMatchObject({ status: 'confirmed' })
    const view = await read<SiteView>('/admin/api/sites/pk_lamports')
    expect(view.today).toMatchObject({ usedWei: '0', spentWei: '0', ...reserved })
    // The dashboard's overview says the same, and a site on the default budget has its 1 SOL.
    const overview = await read<{ sites: SiteView[] }>('/admin/api/overview')
    expect(overview.sites.find((s) => s.key === 'pk_lamports')).toMatchObject({
      dailyBudgetLamports: '50000',
      today: reserved,
    })
    expect(overview.sites.find((s) => s.key === 'pk_pause')).toMatchObject({ dailyBudgetLamports: '1000000000' })
  })
})

describe('tracking', () => {
  it('re-sends a dropped transaction until its blockhash expires, then fails with the reason', async () => {
    node.dropTransactions = true
    try {
      const tx = await buildTx([
        getTransferSolInstruction({ source: visitor, destination: ledger.creator, amount: nextAmount() }),
      ])
      const sendsBefore = node.sendCount
      const { status, body } = await post(tx)
      expect(status).toBe(202)
      const deadline = Date.now() + 5_000
      while (node.sendCount < sendsBefore + 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
      expect(node.sendCount).toBeGreaterThanOrEqual(sendsBefore + 3)
      expect(((await (await fetch(`${relay.url}/v1/requests/${body.id}`)).json()) as Api).status).toBe('submitted')
      node.expireBlockhash()
      const final = await waitFinal(body.id)
      expect(final).toMatchObject({ status: 'failed', error: { code: 'BLOCKHASH_EXPIRED' } })
    } finally {
      node.dropTransactions = false
    }
  })

  it('answers 404 for an unknown Solana id and leaves other ids to the shared routes', async () => {
    const solana = await fetch(`${relay.url}/v1/requests/sol_nope`)
    expect(solana.status).toBe(404)
    const other = await fetch(`${relay.url}/v1/requests/not-solana`)
    expect(other.status).toBe(404)
  })
})

describe('policy variants and operations', () => {
  const silent = pino({ level: 'silent' })

  it('funds token accounts only for the listed mints', async () => {
    const recipient = (await generateKeyPairSigner()).address
    const other = await startRelay({
      chains: [],
      sites: {
        [SITE]: {
          origins: [ORIGIN],
          targets: [],
          solana: {
            // Not the dev mint.
            fundTokenAccounts: { recipients: [recipient], mints: { [ledger.creator]: { minimumTransfer: 1 } } },
          },
        },
      },
      solana: { rpcUrl: node.rpcUrl, feePayerSecretKey: Array.from(feePayer.secretKey) },
      logger: silent,
      port: 0,
    })
    try {
      const config = (await (
        await fetch(`${other.url}/v1/config`, { headers: { 'x-tokentags-site': SITE } })
      ).json()) as Api
      expect(config.solana).toMatchObject({
        payForTokenAccounts: true,
        fundedMints: [ledger.creator],
        fundedRecipients: [recipient],
        minimumTransfers: { [ledger.creator]: '1' },
      })
      const [source] = await findAssociatedTokenPda({
        mint: ledger.mint,
        owner: ledger.visitor,
        tokenProgram: TOKEN_PROGRAM_ADDRESS,
      })
      const [ata] = await findAssociatedTokenPda({
        mint: ledger.mint,
        owner: recipient,
        tokenProgram: TOKEN_PROGRAM_ADDRESS,
      })
      const tx = await buildTx([
        getCreateAssociatedTokenIdempotentInstruction({
          payer: createNoopSigner(ledger.feePayer),
          ata,
          owner: recipient,
          mint: ledger.mint,
        }),
        getTransferCheckedInstruction({
          source,
          mint: ledger.mint,
          destination: ata,
          authority: visitor,
          amount: nextAmount(),
          decimals: 6,
        }),
      ])
      const response = await fetch(`${other.url}/v1/solana/transactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tokentags-site': SITE, origin: ORIGIN },
        body: JSON.stringify({ transaction: tx }),
      })
      expect(response.status).toBe(403)
      expect(((await response.json()) as Api).error.code).toBe('TOKEN_ACCOUNT_MINT_NOT_LISTED')
    } finally {
      await other.close()
    }
  })

  it('reports an unreachable Solana RPC in /v1/health (503), and a submission as 503 UPSTREAM_UNAVAILABLE', async () => {
    const down = await startRelay({
      chains: [],
      sites: { [SITE]: { origins: [ORIGIN], targets: [] } },
      solana: { rpcUrl: 'http://127.0.0.1:9', feePayerSecretKey: Array.from(feePayer.secretKey) },
      logger: silent,
      port: 0,
    })
    try {
      const health = await fetch(`${down.url}/v1/health`)
      expect(health.status).toBe(503)
      expect(((await health.json()) as Api & { solana: { ok: boolean } }).solana.ok).toBe(false)
      // Past the static checks the runtime needs the RPC: its domain error becomes a 503 at the edge, not a 500.
      const transaction = await buildTx([
        getTransferSolInstruction({ source: visitor, destination: ledger.creator, amount: nextAmount() }),
      ])
      const submitted = await fetch(`${down.url}/v1/solana/transactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tokentags-site': SITE, origin: ORIGIN },
        body: JSON.stringify({ transaction }),
      })
      const body = (await submitted.json()) as Api
      expect([submitted.status, body.error?.code], JSON.stringify(body)).toEqual([503, 'UPSTREAM_UNAVAILABLE'])
    } finally {
      await down.close()
    }
  })

  it('a relay restarted on the same store resumes following pending requests', async () => {
    const store = createMemorySolanaStore()
    const solana = {
      rpcUrl: node.rpcUrl,
      feePayerSecretKey: Array.from(feePayer.secretKey),
      store,
      confirm: { pollIntervalMs: 40, resendIntervalMs: 150 },
    }
    const sites = { [SITE]: { origins: [ORIGIN], targets: [] } }
    const first = await startRelay({ chains: [], sites, solana, logger: silent, port: 0 })
    node.dropTransactions = true
    let id: string
    try {
      const tx = await buildTx([
        getTransferSolInstruction({ source: visitor, destination: ledger.creator, amount: nextAmount() }),
      ])
      const response = await fetch(`${first.url}/v1/solana/transactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tokentags-site': SITE, origin: ORIGIN },
        body: JSON.stringify({ transaction: tx }),
      })
      expect(response.status).toBe(202)
      id = ((await response.json()) as Api).id
      while ((await store.get(id))?.status !== 'submitted') await new Promise((r) => setTimeout(r, 20))
    } finally {
      await first.close()
      node.dropTransactions = false
    }
    expect((await store.get(id))?.status).toBe('submitted')
    const second = await startRelay({ chains: [], sites, solana, logger: silent, port: 0 })
    try {
      const deadline = Date.now() + 10_000
      while ((await store.get(id))?.status === 'submitted' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 30))
      }
      expect((await store.get(id))?.status).toBe('confirmed')
    } finally {
      await second.close()
    }
  })
})

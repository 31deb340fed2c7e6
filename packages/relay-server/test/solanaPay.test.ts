import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  type Address,
  generateKeyPairSigner,
  getBase58Decoder,
  getBase64EncodedWireTransaction,
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
  partiallySignTransaction,
  type Transaction,
} from '@solana/kit'
import { findAssociatedTokenPda, TOKEN_PROGRAM_ADDRESS } from '@solana-program/token'
import {
  getSplBalance,
  type SolanaDevLedger,
  type SolanaRpcInstance,
  seedSolanaDevLedger,
  setLamports,
  setSplBalance,
  startSolanaRpc,
} from '@tokentags/testkit/solana'
import { type SolanaDevKeyPair, solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createMemorySolanaStore, parseRelayConfigFile, type RunningRelay, startRelay } from '../src/index.js'
import { resolveSolanaConfig, type SolanaPayConfig } from '../src/solana/config.js'
import { publicKeyOf } from '../src/solana/ed25519.js'

const ORIGIN = 'http://creator.test'
const SYSTEM = '11111111111111111111111111111111'
const MEMO = 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr'
const TOKEN_ACCOUNT_RENT = 2_039_280n
/** Two signatures: the relay's and the visitor's. */
const FEE = 10_000n

let node: SolanaRpcInstance
let index: IndexingRpc
let ledger: SolanaDevLedger
let relay: RunningRelay
let feePayer: SolanaDevKeyPair
let visitor: SolanaDevKeyPair
let visitor2: SolanaDevKeyPair
/** A listed recipient with no token account: the relay funds it on the first token tip. */
let freshRecipient: Address
/** A valid key no site lists. */
let stranger: Address
/** Five distinct fresh keys: one reference too many. */
let fiveKeys: Address[]
/** A listed recipient that never gets a token account. */
let bareRecipient: Address
/** A listed recipient whose token account is frozen. */
let frozenRecipient: Address
/** A listed mint that does not exist on the ledger. */
let ghostMint: Address
/** Listed mints that are no SPL mint: a copy of the mint's data owned by the System program, an uninitialized mint. */
let fakeMint: Address
let blankMint: Address
/** The mint's data padded to a token account's 165 bytes. */
let longMint: Address
/** The visitor's associated token account: a program-derived address, off the curve. */
let visitorTokenAccount: Address

interface Answer {
  status: number
  headers: Headers
  body: {
    label?: string
    icon?: string
    type?: string
    title?: string
    description?: string
    links?: { actions: { type: string; label: string; href: string }[] }
    transaction?: string
    message?: string
    rules?: { pathPattern: string; apiPath: string }[]
    error?: { code: string; message: string }
  }
}

/**
 * The few JSON-RPC calls a Solana Pay page and wallet make, in front of the LiteSVM node, plus
 * `getSignaturesForAddress` (which the node lacks): every landed transaction is indexed by all its
 * account keys, as a validator's address index does.
 */
interface IndexingRpc {
  url: string
  close(): Promise<void>
}

async function startIndexingRpc(upstream: string): Promise<IndexingRpc> {
  const byAddress = new Map<string, { signature: string; slot: number; err: unknown }[]>()
  const decodeTx = getTransactionDecoder()
  const decodeMessage = getCompiledTransactionMessageDecoder()
  const server: Server = createServer(async (req, res) => {
    let body = ''
    for await (const chunk of req) body += chunk
    const call = JSON.parse(body) as { id: number; method: string; params: unknown[] }
    let answer: unknown
    if (call.method === 'getSignaturesForAddress') {
      const landed = byAddress.get(call.params[0] as string) ?? []
      answer = {
        jsonrpc: '2.0',
        id: call.id,
        result: landed.map((entry) => ({ ...entry, confirmationStatus: 'confirmed' })),
      }
    } else {
      answer = await (
        await fetch(upstream, { method: 'POST', body, headers: { 'content-type': 'application/json' } })
      ).json()
      if (call.method === 'sendTransaction') {
        // Indexed once it ran, failed or not (a node refusing a failing one in preflight still
        // lands it when the wallet skips preflight).
        const tx = decodeTx.decode(Buffer.from(call.params[0] as string, 'base64'))
        const signature = getBase58Decoder().decode(Object.values(tx.signatures)[0] as Uint8Array)
        const [status] = (
          await rpcAt<{ value: ({ slot: number; err: unknown } | null)[] }>(upstream, 'getSignatureStatuses', [
            [signature],
          ])
        ).value
        if (status) {
          for (const key of decodeMessage.decode(tx.messageBytes).staticAccounts) {
            byAddress.set(key, [{ signature, slot: status.slot, err: status.err }, ...(byAddress.get(key) ?? [])])
          }
        }
      }
    }
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(answer))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

const rpc = <T>(method: string, params: unknown[]) => rpcAt<T>(index.url, method, params)

async function rpcAt<T>(url: string, method: string, params: unknown[]): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  const answer = (await response.json()) as { result?: T; error?: { message: string } }
  if (answer.error) throw new Error(`rpc ${method}: ${answer.error.message}`)
  return answer.result as T
}

beforeAll(async () => {
  node = await startSolanaRpc()
  ledger = await seedSolanaDevLedger(node.svm)
  index = await startIndexingRpc(node.rpcUrl)
  feePayer = await solanaDevKeyPair('feePayer')
  visitor = await solanaDevKeyPair('visitor')
  visitor2 = await solanaDevKeyPair('visitor2')
  freshRecipient = (await generateKeyPairSigner()).address
  stranger = (await generateKeyPairSigner()).address
  fiveKeys = await Promise.all(Array.from({ length: 5 }, async () => (await generateKeyPairSigner()).address))
  bareRecipient = (await generateKeyPairSigner()).address
  frozenRecipient = (await generateKeyPairSigner()).address
  ghostMint = (await generateKeyPairSigner()).address
  fakeMint = (await generateKeyPairSigner()).address
  blankMint = (await generateKeyPairSigner()).address
  longMint = (await generateKeyPairSigner()).address
  const real = node.svm.getAccount(ledger.mint)
  if (!real.exists) throw new Error('the dev ledger has no mint')
  for (const [address, programAddress, data] of [
    [fakeMint, SYSTEM, real.data],
    [blankMint, TOKEN_PROGRAM_ADDRESS, new Uint8Array(real.data.length)],
    [longMint, TOKEN_PROGRAM_ADDRESS, Uint8Array.from([...real.data, ...new Uint8Array(165 - real.data.length)])],
  ] as const) {
    node.svm.setAccount({ ...real, address, programAddress: programAddress as Address, data: new Uint8Array(data) })
  }
  ;[visitorTokenAccount] = await findAssociatedTokenPda({
    mint: ledger.mint,
    owner: visitor.address,
    tokenProgram: TOKEN_PROGRAM_ADDRESS,
  })
  await setSplBalance(node.svm, { mint: ledger.mint, owner: ledger.creator, amount: 0n })
  const pay = {
    recipients: [ledger.creator, freshRecipient, bareRecipient, frozenRecipient],
    mints: [ledger.mint, ghostMint, fakeMint, blankMint, longMint, visitorTokenAccount],
  }
  relay = await startRelay({
    chains: [],
    sites: {
      pk_tips: {
        origins: [ORIGIN],
        targets: [],
        solana: {
          fundTokenAccounts: {
            recipients: [ledger.creator, freshRecipient, bareRecipient, frozenRecipient],
            mints: { [ledger.mint]: { minimumTransfer: 1 } },
          },
          pay: { ...pay, label: 'Creator Cafe', icon: 'https://creator.test/icon.png' },
        },
      },
      pk_plain: { origins: [ORIGIN], targets: [], solana: {} },
      // Room for one tip's two signature fees, not two.
      pk_budget: { origins: [ORIGIN], targets: [], solana: { lamportsPerDay: 15_000, pay } },
      pk_quota: { origins: [ORIGIN], targets: [], solana: { requestsPerWalletPerDay: 1, pay } },
      pk_paused: { origins: [ORIGIN], targets: [], solana: { pay } },
      pk_tokens_only: { origins: [ORIGIN], targets: [], solana: { pay: { ...pay, sol: false } } },
      // The site's program list leaves out Memo: a tip with a memo calls a program it does not allow.
      pk_no_memo: { origins: [ORIGIN], targets: [], solana: { programs: [SYSTEM, TOKEN_PROGRAM_ADDRESS], pay } },
    },
    solana: {
      // Through the index, as a real RPC node answers getSignaturesForAddress.
      rpcUrl: index.url,
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
  await index?.close()
  await node?.stop()
})

const balance = (address: Address) => node.svm.getBalance(address) ?? 0n
const tokens = (owner: Address) => getSplBalance(node.svm, { mint: ledger.mint, owner })

/** A tip link as the widget will put it behind `solana:` in its QR code. */
function tipUrl(params: Record<string, string | string[]>): string {
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) query.append(key, v)
  }
  return `${relay.url}/v1/solana/pay/tip?${query}`
}

let amountNonce = 0
/** A SOL amount no other tip in this file uses, so no two tips share a transaction. */
const uniqueSol = (base = '0.01') => `${base}${String(++amountNonce).padStart(4, '0')}`

async function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { headers })
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] }
}

async function post(url: string, body: unknown): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    // A wallet is no page: no Origin, no site header.
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] }
}

/** What a wallet does with the answer: decode, check the relay's signature is there, sign, send. */
async function signAndSend(transaction: string, wallet: SolanaDevKeyPair): Promise<string> {
  const tx = getTransactionDecoder().decode(Buffer.from(transaction, 'base64'))
  const signed = await partiallySignTransaction([wallet.signer.keyPair], tx)
  return rpc<string>('sendTransaction', [getBase64EncodedWireTransaction(signed), { encoding: 'base64' }])
}

interface DecodedTip {
  tx: Transaction
  accounts: Address[]
  numRequiredSignatures: number
  numReadonlySigned: number
  numReadonlyUnsigned: number
  instructions: { program: Address; accounts: number[]; data: Uint8Array }[]
}

function decodeTip(transaction: string): DecodedTip {
  const tx = getTransactionDecoder().decode(Buffer.from(transaction, 'base64'))
  const message = getCompiledTransactionMessageDecoder().decode(tx.messageBytes)
  // The relay builds legacy messages; a v1 message (no `instructions` list) is a failure here.
  if (!('instructions' in message)) throw new TypeError(`unexpected message version ${message.version}`)
  return {
    tx,
    accounts: message.staticAccounts,
    numRequiredSignatures: message.header.numSignerAccounts,
    numReadonlySigned: message.header.numReadonlySignerAccounts,
    numReadonlyUnsigned: message.header.numReadonlyNonSignerAccounts,
    instructions: (message.instructions ?? []).map((ix) => ({
      program: message.staticAccounts[ix.programAddressIndex] as Address,
      accounts: [...(ix.accountIndices ?? [])],
      data: new Uint8Array(ix.data ?? []),
    })),
  }
}

const isSigner = (d: DecodedTip, i: number) => i < d.numRequiredSignatures
const isWritable = (d: DecodedTip, i: number) =>
  i < d.numRequiredSignatures
    ? i < d.numRequiredSignatures - d.numReadonlySigned
    : i < d.accounts.length - d.numReadonlyUnsigned

/** The relay's record of a tip, by its transaction signature. */
async function recordOf(signature: string) {
  const store = relay.solana?.store
  const id = await store?.findBySignature(signature)
  return id === undefined ? undefined : store?.get(id)
}

const signatureOf = (transaction: string) =>
  getBase58Decoder().decode(Object.values(decodeTip(transaction).tx.signatures)[0] as Uint8Array)

describe('GET /v1/solana/pay/tip, actions.json and CORS', () => {
  it('answers the Solana Pay label and icon and the Action fields, open to any origin', async () => {
    const url = tipUrl({ site: 'pk_tips', to: ledger.creator, amount: '0.5', memo: 'coffee' })
    const { status, headers, body } = await get(url, { origin: 'https://dial.to' })
    expect(status).toBe(200)
    expect(body).toEqual({
      label: 'Creator Cafe',
      icon: 'https://creator.test/icon.png',
      type: 'action',
      title: 'Creator Cafe',
      description: `Tip 0.5 SOL to ${ledger.creator} (coffee); the relay pays the network fee.`,
      links: { actions: [{ type: 'transaction', label: 'Tip 0.5 SOL', href: url }] },
    })
    expect(headers.get('access-control-allow-origin')).toBe('*')
    expect(headers.get('x-action-version')).toBe('2.4')
    expect(headers.get('x-blockchain-ids')).toBe('solana:localnet')
    expect(headers.get('access-control-expose-headers')).toContain('X-Blockchain-Ids')
  })

  it('a token tip shows the mint; without a configured icon the relay serves its own SVG', async () => {
    const { body } = await get(tipUrl({ site: 'pk_quota', to: ledger.creator, amount: '2.25', mint: ledger.mint }))
    const symbol = `${ledger.mint.slice(0, 4)}…${ledger.mint.slice(-4)}`
    expect(body.label).toBe('TokenTags')
    expect(body.links?.actions[0]?.label).toBe(`Tip 2.25 ${symbol}`)
    expect(body.icon).toBe(`${relay.url}/v1/solana/pay/icon.svg`)
    const icon = await fetch(body.icon as string)
    expect(icon.status).toBe(200)
    expect(icon.headers.get('content-type')).toMatch(/^image\/svg\+xml/)
    expect(await icon.text()).toMatch(/^<svg /)
  })

  it('a preflight from any origin passes (the site CORS would refuse it), as does actions.json', async () => {
    const preflight = await fetch(tipUrl({ site: 'pk_tips', to: ledger.creator, amount: '1' }), {
      method: 'OPTIONS',
      headers: {
        origin: 'https://wallet.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*')
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,POST,PUT,OPTIONS')
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Content-Type/)
    // The same origin on a site-bound route stays refused: only the pay routes are open.
    const other = await fetch(`${relay.url}/v1/solana/transactions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://wallet.example', 'access-control-request-method': 'POST' },
    })
    expect(other.status).toBe(403)

    const actions = await get(`${relay.url}/actions.json`, { origin: 'https://dial.to' })
    expect(actions.status).toBe(200)
    expect(actions.headers.get('access-control-allow-origin')).toBe('*')
    expect(actions.body).toEqual({ rules: [{ pathPattern: '/v1/solana/pay/**', apiPath: '/v1/solana/pay/**' }] })
  })
})

describe('POST /v1/solana/pay/tip: the wallet signs and sends', () => {
  it('SOL tip: the recipient gains the tip, the visitor pays only the tip, the relay the fee; the reference finds it', async () => {
    const reference = (await generateKeyPairSigner()).address
    const amount = uniqueSol()
    const lamports = BigInt(Math.round(Number(amount) * 1e9))
    const url = tipUrl({ site: 'pk_tips', to: ledger.creator, amount, memo: 'thanks for the stream', reference })
    expect((await get(url)).status).toBe(200)
    const { status, headers, body } = await post(url, { account: visitor.address })
    expect(status, JSON.stringify(body)).toBe(200)
    expect(headers.get('access-control-allow-origin')).toBe('*')
    expect(body.type).toBe('transaction')
    expect(body.message).toBe(
      `Tip of ${amount} SOL to ${ledger.creator.slice(0, 4)}…${ledger.creator.slice(-4)}: thanks for the stream`,
    )

    const tip = decodeTip(body.transaction as string)
    // The relay pays the fee and has signed; the visitor's signature is the only one missing.
    expect(tip.accounts[0]).toBe(ledger.feePayer)
    expect(tip.numRequiredSignatures).toBe(2)
    expect(tip.accounts[1]).toBe(visitor.address)
    expect(tip.tx.signatures[ledger.feePayer]).toBeTruthy()
    expect(tip.tx.signatures[visitor.address]).toBeNull()
    // Memo right before the transfer; the reference a read-only non-signer of the transfer.
    expect(tip.instructions.map((ix) => ix.program)).toEqual([MEMO, SYSTEM])
    expect(new TextDecoder().decode(tip.instructions[0]?.data)).toBe('thanks for the stream')
    const at = tip.accounts.indexOf(reference)
    expect(tip.instructions[1]?.accounts).toEqual([1, tip.accounts.indexOf(ledger.creator), at])
    expect(isSigner(tip, at)).toBe(false)
    expect(isWritable(tip, at)).toBe(false)

    const before = [ledger.creator, visitor.address, ledger.feePayer].map(balance)
    const signature = await signAndSend(body.transaction as string, visitor)
    expect(signature).toBe(signatureOf(body.transaction as string))
    expect(balance(ledger.creator)).toBe((before[0] as bigint) + lamports)
    expect(balance(visitor.address)).toBe((before[1] as bigint) - lamports)
    expect(balance(ledger.feePayer)).toBe((before[2] as bigint) - FEE)

    // The page follows the payment by its reference, as Solana Pay's findReference does, or asks the relay.
    const found = await rpc<{ signature: string }[]>('getSignaturesForAddress', [reference, { limit: 1 }])
    expect(found.map((s) => s.signature)).toEqual([signature])
    const lookup = await get(url.replace('/pay/tip?', '/pay/status?'), { origin: 'https://any.page' })
    expect(lookup.headers.get('access-control-allow-origin')).toBe('*')
    expect(lookup.body).toEqual({
      found: true,
      id: (await recordOf(signature))?.id,
      signature,
      slot: expect.any(Number),
    })
    // The relay watched for it and settles its reservation as confirmed.
    await vi.waitFor(async () => expect((await recordOf(signature))?.status).toBe('confirmed'), {
      timeout: 10_000,
      interval: 50,
    })
    expect((await recordOf(signature))?.lamports).toBe(FEE)
    // The relay's request, as any Solana request: `GET /v1/requests/:id`.
    const request = await get(`${relay.url}/v1/requests/${(await recordOf(signature))?.id}`)
    expect(request.body).toMatchObject({ status: 'confirmed', signature })
  })

  it('SPL tip with transferChecked into the listed recipient token account: the visitor pays no SOL', async () => {
    const reference = (await generateKeyPairSigner()).address
    const url = tipUrl({ site: 'pk_tips', to: ledger.creator, amount: '1.5', mint: ledger.mint, reference })
    const { status, body } = await post(url, { account: visitor.address })
    expect(status, JSON.stringify(body)).toBe(200)
    const tip = decodeTip(body.transaction as string)
    const [source] = await findAssociatedTokenPda({
      mint: ledger.mint,
      owner: visitor.address,
      tokenProgram: TOKEN_PROGRAM_ADDRESS,
    })
    const [destination] = await findAssociatedTokenPda({
      mint: ledger.mint,
      owner: ledger.creator,
      tokenProgram: TOKEN_PROGRAM_ADDRESS,
    })
    expect(tip.instructions.map((ix) => ix.program)).toEqual([TOKEN_PROGRAM_ADDRESS])
    const transfer = tip.instructions[0]
    expect(transfer?.data[0]).toBe(12)
    expect(transfer?.accounts.map((i) => tip.accounts[i])).toEqual([
      source,
      ledger.mint,
      destination,
      visitor.address,
      reference,
    ])

    const [sol, payer, sent, received] = [
      balance(visitor.address),
      balance(ledger.feePayer),
      await tokens(visitor.address),
      await tokens(ledger.creator),
    ]
    const signature = await signAndSend(body.transaction as string, visitor)
    expect(await tokens(ledger.creator)).toBe(received + 1_500_000n)
    expect(await tokens(visitor.address)).toBe(sent - 1_500_000n)
    expect(balance(visitor.address)).toBe(sol)
    expect(balance(ledger.feePayer)).toBe(payer - FEE)
    const found = await rpc<{ signature: string }[]>('getSignaturesForAddress', [reference])
    expect(found.map((s) => s.signature)).toEqual([signature])
    const lookup = async (params: Record<string, string>) =>
      (await get(`${relay.url}/v1/solana/pay/status?${new URLSearchParams(params)}`)).body
    const query = { site: 'pk_tips', to: ledger.creator, amount: '1.5', mint: ledger.mint, reference }
    expect(await lookup(query)).toMatchObject({ found: true, signature })
    const { mint: _, ...inSol } = query
    for (const other of [{ ...query, amount: '1.4' }, { ...query, to: freshRecipient }, inSol]) {
      expect(await lookup(other), JSON.stringify(other)).toEqual({ found: false })
    }
  })

  it('SPL tip to a listed recipient without a token account: the relay funds it (fee and rent reserved)', async () => {
    const url = tipUrl({ site: 'pk_tips', to: freshRecipient, amount: '0.25', mint: ledger.mint })
    const { status, body } = await post(url, { account: visitor2.address })
    expect(status, JSON.stringify(body)).toBe(200)
    const [sol, payer] = [balance(visitor2.address), balance(ledger.feePayer)]
    const signature = await signAndSend(body.transaction as string, visitor2)
    expect(await tokens(freshRecipient)).toBe(250_000n)
    expect(balance(visitor2.address)).toBe(sol)
    expect(balance(ledger.feePayer)).toBe(payer - FEE - TOKEN_ACCOUNT_RENT)
    expect((await recordOf(signature))?.lamports).toBe(FEE + TOKEN_ACCOUNT_RENT)
  })

  it('the status finds a payment only for exactly its tip, whatever else names the reference', async () => {
    const reference = (await generateKeyPairSigner()).address
    const amount = uniqueSol()
    const query = { site: 'pk_tips', to: ledger.creator, amount, reference }
    const status = async (params: Record<string, string> = query) =>
      (await get(`${relay.url}/v1/solana/pay/status?${new URLSearchParams(params)}`)).body as {
        found: boolean
        signature?: string
      }
    expect(await status()).toEqual({ found: false })
    // Another tip naming the same reference, built by the relay too: a smaller amount, another
    // recipient, another site. None pays this tip.
    const others = [
      { ...query, amount: '0.000000001' },
      { ...query, to: freshRecipient },
      { ...query, site: 'pk_quota' },
    ]
    for (const [i, other] of others.entries()) {
      // Wallet quotas count across sites: each tip from a dev wallet of its own.
      const wallet = await solanaDevKeyPair(
        `tokentags public test seed: solana pay tipper ${i} (dev only, not a secret)`,
      )
      setLamports(node.svm, wallet.address, 1_000_000_000n)
      const built = await post(tipUrl(other), { account: wallet.address })
      expect(built.status, JSON.stringify(built.body)).toBe(200)
      await signAndSend(built.body.transaction as string, wallet)
    }
    expect(await status()).toEqual({ found: false })
    // Those tips are found under their own links.
    expect((await status({ ...query, amount: '0.000000001' })).found).toBe(true)
    const paid = await post(tipUrl(query), { account: visitor.address })
    const signature = await signAndSend(paid.body.transaction as string, visitor)
    expect(await status()).toMatchObject({ found: true, signature })
    // Two references: a payment must name both.
    const extra = (await generateKeyPairSigner()).address
    const both = await get(`${relay.url}/v1/solana/pay/status?${new URLSearchParams(query)}&reference=${extra}`)
    expect(both.body).toEqual({ found: false })
    // The reference is what it is looked up by.
    const { reference: _, ...noReference } = query
    const refused = await get(`${relay.url}/v1/solana/pay/status?${new URLSearchParams(noReference)}`)
    expect([refused.status, refused.body.error?.code]).toEqual([400, 'INVALID_REFERENCE'])
  })

  it('a tip that lands and fails: the relay paid the fee, the status finds no payment, the request fails', async () => {
    const wallet = await solanaDevKeyPair(
      'tokentags public test seed: solana pay broke tipper (dev only, not a secret)',
    )
    setLamports(node.svm, wallet.address, 1_000_000_000n)
    const reference = (await generateKeyPairSigner()).address
    const query = { site: 'pk_tips', to: ledger.creator, amount: '0.5', reference }
    const built = await post(tipUrl(query), { account: wallet.address })
    expect(built.status, JSON.stringify(built.body)).toBe(200)
    // The visitor's SOL is gone by the time the wallet sends it.
    setLamports(node.svm, wallet.address, 1_000_000n)
    const [payer, creator] = [balance(ledger.feePayer), balance(ledger.creator)]
    // System program error 1: the source would go below zero.
    await expect(signAndSend(built.body.transaction as string, wallet)).rejects.toThrow(
      /Transaction simulation failed.*InstructionErrorCustom \{ code: 1 \}/,
    )
    expect(balance(ledger.feePayer)).toBe(payer - FEE)
    expect(balance(ledger.creator)).toBe(creator)
    const signature = signatureOf(built.body.transaction as string)
    await vi.waitFor(async () => expect((await recordOf(signature))?.status).toBe('failed'), {
      timeout: 10_000,
      interval: 50,
    })
    expect((await recordOf(signature))?.error?.code).toBe('TRANSACTION_FAILED')
    const found = await rpc<{ signature: string; err: unknown }[]>('getSignaturesForAddress', [reference])
    expect(found.map((s) => s.signature)).toEqual([signature])
    expect(found[0]?.err).not.toBeNull()
    const lookup = await get(`${relay.url}/v1/solana/pay/status?${new URLSearchParams(query)}`)
    expect(lookup.body).toEqual({ found: false })
  })

  it('a wallet asking twice gets the same transaction, reserved once', async () => {
    const url = tipUrl({ site: 'pk_tips', to: ledger.creator, amount: uniqueSol() })
    const first = await post(url, { account: visitor.address })
    const usage = () => relay.solana?.store.usage('pk_tips', visitor.address, new Date().toISOString().slice(0, 10))
    const after = await usage()
    const second = await post(url, { account: visitor.address })
    expect(second.status).toBe(200)
    expect(second.body.transaction).toBe(first.body.transaction)
    expect(await usage()).toEqual(after)
  })

  it('a transaction the wallet never sends fails NOT_SUBMITTED once its blockhash expires, its reservation released', async () => {
    const usage = async () =>
      (await relay.solana?.store.usage('pk_tips', visitor2.address, new Date().toISOString().slice(0, 10)))
        ?.siteLamports
    // Tips earlier tests built and never sent end (and release) first, so only this one moves the figure.
    node.expireBlockhash()
    await vi.waitFor(async () => expect(await relay.solana?.store.pending()).toEqual([]), {
      timeout: 10_000,
      interval: 50,
    })
    const reservedBefore = await usage()
    const { status, body } = await post(tipUrl({ site: 'pk_tips', to: ledger.creator, amount: uniqueSol() }), {
      account: visitor2.address,
    })
    expect(status).toBe(200)
    const signature = signatureOf(body.transaction as string)
    expect((await recordOf(signature))?.status).toBe('queued')
    const lamports = (await recordOf(signature))?.lamports as bigint
    expect(lamports).toBeGreaterThan(0n)
    expect(await usage()).toBe((reservedBefore ?? 0n) + lamports)
    // Watched, never sent by the relay (it cannot: the visitor has not signed).
    const sends = node.sendCount
    await new Promise((r) => setTimeout(r, 400))
    expect(node.sendCount).toBe(sends)
    expect((await recordOf(signature))?.status).toBe('queued')
    node.expireBlockhash()
    await vi.waitFor(async () => expect((await recordOf(signature))?.error?.code).toBe('NOT_SUBMITTED'), {
      timeout: 10_000,
      interval: 50,
    })
    expect((await recordOf(signature))?.status).toBe('failed')
    // Issue 14: the fee it reserved goes back to the site's budget at once, not at the end of the UTC day.
    await vi.waitFor(async () => expect(await usage()).toBe(reservedBefore), { timeout: 5_000, interval: 50 })
  })
})

describe('restarts', () => {
  it('a relay restarted before the wallet sends resumes watching the tip, and never sends it itself', async () => {
    const store = createMemorySolanaStore()
    const config = {
      chains: [],
      sites: { pk_tips: { origins: [ORIGIN], targets: [], solana: { pay: { recipients: [ledger.creator] } } } },
      solana: {
        rpcUrl: index.url,
        feePayerSecretKey: Array.from(feePayer.secretKey),
        chain: 'solana:localnet' as const,
        confirm: { pollIntervalMs: 40, resendIntervalMs: 150 },
        store,
      },
      logger: pino({ level: 'silent' }),
      port: 0,
    }
    const first = await startRelay(config)
    const query = `site=pk_tips&to=${ledger.creator}&amount=${uniqueSol()}`
    const built = await post(`${first.url}/v1/solana/pay/tip?${query}`, { account: visitor.address })
    expect(built.status, JSON.stringify(built.body)).toBe(200)
    await first.close()
    const second = await startRelay(config)
    try {
      const signature = signatureOf(built.body.transaction as string)
      const sends = node.sendCount
      await new Promise((r) => setTimeout(r, 400))
      expect(node.sendCount).toBe(sends)
      expect(await signAndSend(built.body.transaction as string, visitor)).toBe(signature)
      await vi.waitFor(
        async () => expect((await store.get((await store.findBySignature(signature)) ?? ''))?.status).toBe('confirmed'),
        { timeout: 10_000, interval: 50 },
      )
      // Only the wallet's own send.
      expect(node.sendCount).toBe(sends + 1)
    } finally {
      await second.close()
    }
  })
})

describe('refusals', () => {
  const base = () => ({ site: 'pk_tips', to: ledger.creator, amount: '0.1' })
  const cases: [string, () => Record<string, string | string[]>, number, string][] = [
    ['no site', () => ({ to: ledger.creator, amount: '1' }), 401, 'UNKNOWN_SITE'],
    ['an unknown site', () => ({ ...base(), site: 'pk_nobody' }), 401, 'UNKNOWN_SITE'],
    ['a site without Solana Pay', () => ({ ...base(), site: 'pk_plain' }), 403, 'PAY_NOT_ENABLED'],
    ['a recipient the site does not list', () => ({ ...base(), to: stranger }), 403, 'RECIPIENT_NOT_ALLOWED'],
    [
      'a recipient that is not base58',
      () => ({ ...base(), to: '0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl' }),
      400,
      'INVALID_ADDRESS',
    ],
    ['a recipient of 31 bytes', () => ({ ...base(), to: '1111111111111111111111111111111' }), 400, 'INVALID_ADDRESS'],
    ['no recipient', () => ({ site: 'pk_tips', amount: '1' }), 400, 'INVALID_ADDRESS'],
    ['a mint the site does not list', () => ({ ...base(), mint: stranger }), 403, 'MINT_NOT_ALLOWED'],
    ['SOL on a tokens-only site', () => ({ ...base(), site: 'pk_tokens_only' }), 403, 'MINT_NOT_ALLOWED'],
    ['a bad mint', () => ({ ...base(), mint: 'not-a-mint' }), 400, 'INVALID_ADDRESS'],
    ['amount 0', () => ({ ...base(), amount: '0' }), 400, 'INVALID_AMOUNT'],
    ['amount 0.000', () => ({ ...base(), amount: '0.000' }), 400, 'INVALID_AMOUNT'],
    ['a negative amount', () => ({ ...base(), amount: '-1' }), 400, 'INVALID_AMOUNT'],
    ['an exponent', () => ({ ...base(), amount: '1e3' }), 400, 'INVALID_AMOUNT'],
    ['a bare point', () => ({ ...base(), amount: '.5' }), 400, 'INVALID_AMOUNT'],
    ['no amount', () => ({ site: 'pk_tips', to: ledger.creator }), 400, 'INVALID_AMOUNT'],
    ['two amounts', () => ({ ...base(), amount: ['1', '2'] }), 400, 'INVALID_AMOUNT'],
    ['more than u64 lamports', () => ({ ...base(), amount: '18446744074' }), 400, 'INVALID_AMOUNT'],
    ['10 decimals of SOL', () => ({ ...base(), amount: '0.0000000001' }), 400, 'AMOUNT_TOO_PRECISE'],
    [
      '7 decimals of a 6-decimal token',
      () => ({ ...base(), mint: ledger.mint, amount: '0.0000001' }),
      400,
      'AMOUNT_TOO_PRECISE',
    ],
    ['a memo of 201 bytes', () => ({ ...base(), memo: `${'é'.repeat(100)}a` }), 400, 'MEMO_TOO_LONG'],
    ['a memo with a control character', () => ({ ...base(), memo: 'a\u0007b' }), 400, 'INVALID_MEMO'],
    ['two memos', () => ({ ...base(), memo: ['a', 'b'] }), 400, 'INVALID_MEMO'],
    ['an empty memo', () => ({ ...base(), memo: '' }), 400, 'INVALID_MEMO'],
    ['two recipients', () => ({ ...base(), to: [ledger.creator, freshRecipient] }), 400, 'INVALID_ADDRESS'],
    ['two sites', () => ({ ...base(), site: ['pk_tips', 'pk_quota'] }), 401, 'UNKNOWN_SITE'],
    ['a reference twice', () => ({ ...base(), reference: [stranger, stranger] }), 400, 'INVALID_REFERENCE'],
    ['five references', () => ({ ...base(), reference: fiveKeys }), 400, 'INVALID_REFERENCE'],
    ['a bad reference', () => ({ ...base(), reference: 'xyz' }), 400, 'INVALID_REFERENCE'],
    ['a reference that is the recipient', () => ({ ...base(), reference: ledger.creator }), 400, 'INVALID_REFERENCE'],
  ]
  it.each(cases)('GET and POST refuse %s', async (_name, params, status, code) => {
    const url = tipUrl(params())
    const got = await get(url)
    expect([got.status, got.body.error?.code], got.body.error?.message).toEqual([status, code])
    // The Actions client's ActionError beside the relay's error.
    expect((got.body as { message?: string }).message).toBe(got.body.error?.message)
    expect(got.headers.get('access-control-allow-origin')).toBe('*')
    const posted = await post(url, { account: visitor.address })
    expect([posted.status, posted.body.error?.code]).toEqual([status, code])
  })

  it('a memo of exactly 200 bytes is taken', async () => {
    expect((await get(tipUrl({ ...base(), memo: 'é'.repeat(100) }))).status).toBe(200)
  })

  const accounts: [string, () => unknown, number, string][] = [
    ['no body account', () => ({}), 400, 'INVALID_ACCOUNT'],
    ['an account that is not base58', () => ({ account: 'O0O0' }), 400, 'INVALID_ACCOUNT'],
    ['an account that is a number', () => ({ account: 42 }), 400, 'INVALID_ACCOUNT'],
    // An associated token account is a program-derived address: no wallet can sign for it.
    ['an account off the curve', () => ({ account: visitorTokenAccount }), 400, 'INVALID_ACCOUNT'],
    ['the relay fee payer as the account', () => ({ account: ledger.feePayer }), 403, 'FEE_PAYER_AS_SOURCE'],
    ['the recipient as the account', () => ({ account: ledger.creator }), 400, 'INVALID_ACCOUNT'],
  ]
  it.each(accounts)('POST refuses %s', async (_name, body, status, code) => {
    const posted = await post(tipUrl(base()), body())
    expect([posted.status, posted.body.error?.code], posted.body.error?.message).toEqual([status, code])
  })

  it('a reference that is the account or the fee payer is refused', async () => {
    for (const reference of [visitor.address, ledger.feePayer, SYSTEM]) {
      const posted = await post(tipUrl({ ...base(), amount: uniqueSol(), reference }), { account: visitor.address })
      expect([posted.status, posted.body.error?.code], reference).toEqual([400, 'INVALID_REFERENCE'])
    }
  })

  it('a visitor without the funds is refused before anything is reserved', async () => {
    const poor = await generateKeyPairSigner()
    const day = new Date().toISOString().slice(0, 10)
    const before = await relay.solana?.store.usage('pk_tips', poor.address, day)
    const sol = await post(tipUrl({ ...base(), amount: '0.001' }), { account: poor.address })
    expect([sol.status, sol.body.error?.code]).toEqual([422, 'INSUFFICIENT_FUNDS'])
    const token = await post(tipUrl({ ...base(), mint: ledger.mint, amount: '1' }), { account: poor.address })
    expect([token.status, token.body.error?.code]).toEqual([422, 'INSUFFICIENT_FUNDS'])
    expect(await relay.solana?.store.usage('pk_tips', poor.address, day)).toEqual(before)
    expect(before?.walletRequests).toBe(0)
  })

  it('a SOL tip the runtime would refuse for rent is refused before the relay signs', async () => {
    const wallet = await solanaDevKeyPair('tokentags public test seed: solana pay rent tipper (dev only, not a secret)')
    // 0.5 SOL plus 1,000 lamports: the tip would leave the account non-empty but below rent exemption.
    setLamports(node.svm, wallet.address, 500_001_000n)
    const leaves = await post(tipUrl({ ...base(), amount: '0.5' }), { account: wallet.address })
    expect([leaves.status, leaves.body.error?.code], leaves.body.error?.message).toEqual([422, 'INSUFFICIENT_FUNDS'])
    // Sending it all closes the account: allowed.
    setLamports(node.svm, wallet.address, 500_000_000n)
    const all = await post(tipUrl({ ...base(), amount: '0.5' }), { account: wallet.address })
    expect(all.status, JSON.stringify(all.body)).toBe(200)
    await signAndSend(all.body.transaction as string, wallet)
    expect(balance(wallet.address)).toBe(0n)
    // A first tip into an empty recipient must reach rent exemption (890,880 lamports).
    const small = await post(tipUrl({ ...base(), to: bareRecipient, amount: '0.00089' }), { account: visitor.address })
    expect([small.status, small.body.error?.code]).toEqual([422, 'TIP_BELOW_RENT'])
    const enough = await post(tipUrl({ ...base(), to: bareRecipient, amount: '0.00089088' }), {
      account: visitor.address,
    })
    expect(enough.status, JSON.stringify(enough.body)).toBe(200)
    await signAndSend(enough.body.transaction as string, visitor)
    expect(balance(bareRecipient)).toBe(890_880n)
  })

  it("the site's program list applies: a memo on a site without the Memo program", async () => {
    const url = tipUrl({ site: 'pk_no_memo', to: ledger.creator, amount: uniqueSol(), memo: 'hi' })
    const posted = await post(url, { account: visitor.address })
    expect([posted.status, posted.body.error?.code]).toEqual([403, 'PROGRAM_NOT_ALLOWED'])
    const plain = await post(tipUrl({ site: 'pk_no_memo', to: ledger.creator, amount: uniqueSol() }), {
      account: visitor.address,
    })
    expect(plain.status, JSON.stringify(plain.body)).toBe(200)
  })

  it('a listed mint that is no mint on the cluster', async () => {
    // Missing, not owned by the Token program, a token account, 165 bytes, never initialized.
    for (const mint of [ghostMint, fakeMint, visitorTokenAccount, longMint, blankMint]) {
      const got = await get(tipUrl({ ...base(), mint, amount: '1' }))
      expect([got.status, got.body.error?.code], mint).toEqual([422, 'INVALID_MINT'])
    }
  })

  it('a token tip to a recipient without a token account, on a site that does not fund one', async () => {
    const url = tipUrl({ site: 'pk_quota', to: bareRecipient, mint: ledger.mint, amount: '1' })
    const posted = await post(url, { account: visitor2.address })
    expect([posted.status, posted.body.error?.code]).toEqual([422, 'RECIPIENT_TOKEN_ACCOUNT_MISSING'])
    // The same tip on a site that funds token accounts is built, with the creation first.
    const funded = await post(tipUrl({ site: 'pk_tips', to: bareRecipient, mint: ledger.mint, amount: '1' }), {
      account: visitor2.address,
    })
    expect(funded.status, JSON.stringify(funded.body)).toBe(200)
    expect(decodeTip(funded.body.transaction as string).instructions.map((ix) => ix.program)).toEqual([
      'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL',
      TOKEN_PROGRAM_ADDRESS,
    ])
  })

  it('a frozen token account on either side', async () => {
    const freeze = async (owner: Address) => {
      const ata = await setSplBalance(node.svm, { mint: ledger.mint, owner, amount: 5_000_000n })
      const account = node.svm.getAccount(ata)
      if (!account.exists) throw new Error('no token account')
      const data = new Uint8Array(account.data)
      data[108] = 2 // AccountState::Frozen
      node.svm.setAccount({ ...account, address: ata, data })
    }
    await freeze(frozenRecipient)
    const into = await post(tipUrl({ ...base(), to: frozenRecipient, mint: ledger.mint, amount: '1' }), {
      account: visitor.address,
    })
    expect([into.status, into.body.error?.code]).toEqual([422, 'RECIPIENT_TOKEN_ACCOUNT_MISSING'])
    const wallet = await solanaDevKeyPair(
      'tokentags public test seed: solana pay frozen tipper (dev only, not a secret)',
    )
    setLamports(node.svm, wallet.address, 1_000_000_000n)
    await freeze(wallet.address)
    const from = await post(tipUrl({ ...base(), mint: ledger.mint, amount: '1' }), { account: wallet.address })
    expect([from.status, from.body.error?.code], from.body.error?.message).toEqual([422, 'INSUFFICIENT_FUNDS'])
    expect(from.body.error?.message).toMatch(/frozen/)
  })

  it("the site's daily lamports budget: one tip's fees fit, the next is refused", async () => {
    const firstUrl = tipUrl({ site: 'pk_budget', to: ledger.creator, amount: uniqueSol() })
    const first = await post(firstUrl, { account: visitor.address })
    expect(first.status, JSON.stringify(first.body)).toBe(200)
    // The budget is checked before the replay guard: a wallet asking again still gets its transaction.
    const again = await post(firstUrl, { account: visitor.address })
    expect([again.status, again.body.transaction]).toEqual([200, first.body.transaction])
    const second = await post(tipUrl({ site: 'pk_budget', to: ledger.creator, amount: uniqueSol() }), {
      account: visitor2.address,
    })
    expect([second.status, second.body.error?.code]).toEqual([429, 'BUDGET_EXCEEDED'])
    // Solana Actions clients read the top-level message: a domain refusal gets it as a RelayError does.
    expect(second.body.message).toBe("this site's daily Solana budget is spent")
  })

  it("the wallet's daily quota: a second tip from the same account is refused, another account's is not", async () => {
    // Quotas count a wallet across sites: fresh funded accounts start at zero.
    const [first, second] = [(await generateKeyPairSigner()).address, (await generateKeyPairSigner()).address]
    for (const account of [first, second]) setLamports(node.svm, account, 1_000_000_000n)
    const url = () => tipUrl({ site: 'pk_quota', to: ledger.creator, amount: uniqueSol() })
    expect((await post(url(), { account: first })).status).toBe(200)
    const again = await post(url(), { account: first })
    expect([again.status, again.body.error?.code]).toEqual([429, 'QUOTA_EXCEEDED'])
    expect((await post(url(), { account: second })).status).toBe(200)
  })
})

describe('a site the operator paused', () => {
  it('builds no tip (403 SITE_PAUSED, nothing signed or reserved) until resumed', async () => {
    const account = (await generateKeyPairSigner()).address
    setLamports(node.svm, account, 1_000_000_000n)
    const url = tipUrl({ site: 'pk_paused', to: ledger.creator, amount: uniqueSol() })
    const day = new Date().toISOString().slice(0, 10)
    // The flag the admin route sets (`POST /admin/api/sites/:key/pause`), one per site for both networks.
    await relay.store.setSitePaused('pk_paused', true)
    const refused = await post(url, { account })
    expect([refused.status, refused.body.error?.code], JSON.stringify(refused.body)).toEqual([403, 'SITE_PAUSED'])
    expect(await relay.solana?.store.usage('pk_paused', account, day)).toEqual({ siteLamports: 0n, walletRequests: 0 })
    await relay.store.setSitePaused('pk_paused', false)
    const built = await post(url, { account })
    expect(built.status, JSON.stringify(built.body)).toBe(200)
    expect((await relay.solana?.store.usage('pk_paused', account, day))?.walletRequests).toBe(1)
  })
})

describe('limits and config', () => {
  it('POSTs are rate limited per client address, as submissions are', async () => {
    const limited = await startRelay({
      chains: [],
      sites: { pk_tips: { origins: [ORIGIN], targets: [], solana: { pay: { recipients: [ledger.creator] } } } },
      limits: { perIp: { points: 2, durationSeconds: 60 } },
      solana: {
        rpcUrl: node.rpcUrl,
        feePayerSecretKey: Array.from(feePayer.secretKey),
        chain: 'solana:devnet',
      },
      logger: pino({ level: 'silent' }),
      port: 0,
    })
    try {
      const url = () => `${limited.url}/v1/solana/pay/tip?site=pk_tips&to=${ledger.creator}&amount=${uniqueSol()}`
      const codes: (string | undefined)[] = []
      for (let i = 0; i < 3; i++) codes.push((await post(url(), { account: visitor.address })).body.error?.code)
      expect(codes).toEqual([undefined, undefined, 'RATE_LIMITED'])
      // A known cluster is named by its CAIP-2 id.
      expect((await get(url())).headers.get('x-blockchain-ids')).toBe('solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1')
    } finally {
      await limited.close()
    }
  })

  it('a fee payer that cannot pay the fee: 503, nothing built or reserved', async () => {
    const broke = await solanaDevKeyPair(
      'tokentags public test seed: solana pay unfunded fee payer (dev only, not a secret)',
    )
    const store = createMemorySolanaStore()
    const unfunded = await startRelay({
      chains: [],
      sites: {
        pk_tips: {
          origins: [ORIGIN],
          targets: [],
          solana: {
            fundTokenAccounts: {
              recipients: [ledger.creator, bareRecipient],
              mints: { [ledger.mint]: { minimumTransfer: 1 } },
            },
            pay: { recipients: [ledger.creator, bareRecipient], mints: [ledger.mint] },
          },
        },
      },
      solana: {
        rpcUrl: index.url,
        feePayerSecretKey: Array.from(broke.secretKey),
        store,
      },
      logger: pino({ level: 'silent' }),
      port: 0,
    })
    try {
      const url = `${unfunded.url}/v1/solana/pay/tip?site=pk_tips&to=${ledger.creator}&amount=0.01`
      // 9,999 lamports: one short of two signatures' fees.
      setLamports(node.svm, broke.address, 9_999n)
      const refused = await post(url, { account: visitor.address })
      expect([refused.status, refused.body.error?.code]).toEqual([503, 'UPSTREAM_UNAVAILABLE'])
      expect((refused.body as { message?: string }).message).toMatch(/cannot pay/)
      expect(refused.headers.get('access-control-allow-origin')).toBe('*')
      const day = new Date().toISOString().slice(0, 10)
      expect(await store.usage('pk_tips', visitor.address, day)).toEqual({ siteLamports: 0n, walletRequests: 0 })
      setLamports(node.svm, broke.address, 10_000n)
      expect((await post(url, { account: visitor.address })).status).toBe(200)
      // A token tip that creates the recipient's token account needs the rent as well.
      const token = `${unfunded.url}/v1/solana/pay/tip?site=pk_tips&to=${bareRecipient}&amount=1&mint=${ledger.mint}`
      setLamports(node.svm, broke.address, FEE + TOKEN_ACCOUNT_RENT - 1n)
      expect((await post(token, { account: visitor.address })).body.error?.code).toBe('UPSTREAM_UNAVAILABLE')
      setLamports(node.svm, broke.address, FEE + TOKEN_ACCOUNT_RENT)
      expect((await post(token, { account: visitor.address })).status).toBe(200)
    } finally {
      await unfunded.close()
    }
  })

  it('the config file takes a site pay section (tokentags-relay)', () => {
    const file = (pay: unknown) => ({
      sites: { pk_tips: { origins: ['*'], targets: [], solana: { pay } } },
      solana: { rpcUrl: 'http://127.0.0.1:8899' },
    })
    const parsed = parseRelayConfigFile(
      file({
        recipients: [ledger.creator],
        mints: [ledger.mint],
        sol: false,
        label: 'Cafe',
        icon: 'https://x.test/i.png',
      }),
    )
    expect(parsed.sites.pk_tips?.solana?.pay).toEqual({
      recipients: [ledger.creator],
      mints: [ledger.mint],
      sol: false,
      label: 'Cafe',
      icon: 'https://x.test/i.png',
    })
    expect(() => parseRelayConfigFile(file({ recipients: [] }))).toThrow(/pay\.recipients/)
    expect(() => parseRelayConfigFile(file({ recipients: ['not base58!'] }))).toThrow(/pay\.recipients/)
    expect(() => parseRelayConfigFile(file({ recipients: [ledger.creator], icon: 'ftp://x.test/i.png' }))).toThrow(
      /pay\.icon/,
    )
  })

  it('a site cannot list the fee payer as a recipient, nor a non-http icon', () => {
    const config = { rpcUrl: node.rpcUrl, feePayerSecretKey: Array.from(feePayer.secretKey) }
    const sites = (pay: SolanaPayConfig) => ({ pk_tips: { solana: { pay } } })
    expect(() => resolveSolanaConfig(config, publicKeyOf, sites({ recipients: [ledger.feePayer] }))).toThrow(
      /fee payer/,
    )
    expect(() =>
      resolveSolanaConfig(config, publicKeyOf, sites({ recipients: [ledger.creator], icon: 'javascript:alert(1)' })),
    ).toThrow(/icon/)
    expect(
      resolveSolanaConfig(config, publicKeyOf, sites({ recipients: [ledger.creator] })).sites.get('pk_tips')?.pay,
    ).toMatchObject({ sol: true, label: 'TokenTags', title: 'TokenTags' })
  })
})

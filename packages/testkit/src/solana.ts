/**
 * A local Solana ledger for tests and the dev stack: LiteSVM (real System, SPL Token, Associated
 * Token, Memo and Compute Budget programs, in process) behind the few JSON-RPC methods the relay
 * and core use. No validator can run here; this is the stand-in. Node only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  type Address,
  getAddressDecoder,
  getAddressEncoder,
  getBase58Decoder,
  getBase58Encoder,
  getBase64Decoder,
  getBase64Encoder,
  getCompiledTransactionMessageDecoder,
  getTransactionDecoder,
  lamports,
  type Transaction,
} from '@solana/kit'
import {
  AccountState,
  findAssociatedTokenPda,
  getMintDecoder,
  getMintEncoder,
  getMintSize,
  getTokenDecoder,
  getTokenEncoder,
  getTokenSize,
  TOKEN_PROGRAM_ADDRESS,
} from '@solana-program/token'
import { FailedTransactionMetadata, LiteSVM, type TransactionMetadata } from 'litesvm'

export interface StartSolanaRpcOptions {
  /** Port on 127.0.0.1 (default: any free port). */
  port?: number
  /** Host to bind (default 127.0.0.1). */
  host?: string
  /** A prepared LiteSVM (default: `new LiteSVM()` with the standard programs). */
  svm?: LiteSVM
  /**
   * Milliseconds per slot (default 400, a validator's pace): each slot has a new blockhash and a
   * blockhash stays valid for 150 slots. 0 stops the clock; slots then pass only when a transaction
   * lands (as with anvil's automine) or on `expireBlockhash()`.
   */
  slotMs?: number
}

export interface SolanaRpcInstance {
  /** `http://127.0.0.1:<port>`: JSON-RPC over POST, CORS open (a local dev ledger). */
  rpcUrl: string
  port: number
  svm: LiteSVM
  /**
   * While true, `sendTransaction` answers a signature but drops the transaction, as a congested
   * cluster can: lets tests exercise re-sending and blockhash expiry.
   */
  dropTransactions: boolean
  /** Number of `sendTransaction` calls received (dropped ones included). */
  readonly sendCount: number
  /** Advances the ledger past the validity of every blockhash handed out so far. */
  expireBlockhash(): void
  stop(): Promise<void>
}

/** How many slots a blockhash stays valid on a real cluster; reported as `lastValidBlockHeight`. */
const BLOCKHASH_VALID_SLOTS = 150n
const DEFAULT_SLOT_MS = 400

class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message)
  }
}

/** Starts LiteSVM behind a JSON-RPC HTTP server. */
export async function startSolanaRpc(options: StartSolanaRpcOptions = {}): Promise<SolanaRpcInstance> {
  const svm = options.svm ?? new LiteSVM()
  const b58 = { encode: getBase58Encoder(), decode: getBase58Decoder() }
  const b64 = { encode: getBase64Encoder(), decode: getBase64Decoder() }
  const txDecoder = getTransactionDecoder()
  const messageDecoder = getCompiledTransactionMessageDecoder()
  // Signature (base58) → slot it landed in; LiteSVM keeps the outcome, we keep the slot.
  const landed = new Map<string, bigint>()
  const slot = () => svm.getClock().slot
  const context = () => ({ slot: Number(slot()), apiVersion: '2.2.0' })
  let sendCount = 0

  // LiteSVM accepts only its latest blockhash and never moves it by itself, so an identical second
  // transfer signed a moment later would be the same transaction. A validator makes a blockhash per
  // slot and accepts any of the last 150: the ledger keeps that window (blockhash → its slot) and
  // checks it itself, LiteSVM's own check off. Its history still refuses a replayed signature.
  svm.withBlockhashCheck(false)
  const recent = new Map<string, bigint>()
  const slotMs = options.slotMs ?? DEFAULT_SLOT_MS
  let lastTick = Date.now()
  // Remembers LiteSVM's latest blockhash from the slot it was first seen in (a test may expire it on the svm).
  const remember = (): string => {
    const hash = svm.latestBlockhash()
    if (!recent.has(hash)) recent.set(hash, slot())
    return hash
  }
  // The blockhash of the current slot: a new one when the clock has moved on (a test may warp the svm).
  const latestBlockhash = (): string => {
    const hash = remember()
    if ((recent.get(hash) ?? 0n) >= slot()) return hash
    svm.expireBlockhash()
    return remember()
  }
  const advance = (slots: bigint) => {
    remember()
    svm.expireBlockhash()
    svm.warpToSlot(slot() + slots)
    remember()
    for (const [hash, at] of recent) if (slot() - at > BLOCKHASH_VALID_SLOTS) recent.delete(hash)
  }
  // Slots pass with time, counted when the ledger is next asked: no timer keeps the process alive.
  const tick = () => {
    if (slotMs <= 0) return
    const slots = Math.floor((Date.now() - lastTick) / slotMs)
    if (slots <= 0) return
    lastTick += slots * slotMs
    advance(BigInt(slots))
  }
  const blockhashValid = (hash: string) => {
    const at = recent.get(hash) ?? (hash === svm.latestBlockhash() ? slot() : undefined)
    return at !== undefined && slot() - at <= BLOCKHASH_VALID_SLOTS
  }
  const blockhashOf = (tx: Transaction): string => {
    const lifetime = messageDecoder.decode(tx.messageBytes).lifetimeToken
    return String(lifetime)
  }
  latestBlockhash()

  const decodeWireTransaction = (encoded: unknown, encoding: unknown): Transaction => {
    if (typeof encoded !== 'string') throw new RpcError(-32602, 'invalid transaction: expected a string')
    try {
      const bytes = encoding === 'base58' ? b58.encode.encode(encoded) : b64.encode.encode(encoded)
      return txDecoder.decode(bytes)
    } catch (error) {
      throw new RpcError(-32602, `invalid transaction: ${(error as Error).message}`)
    }
  }
  const txError = (result: FailedTransactionMetadata): unknown => {
    const err = result.err()
    return typeof err === 'number' ? transactionErrorName(err) : jsonSafe(err)
  }
  const accountInfo = (address: Address, encoding = 'base64') => {
    const account = svm.getAccount(address)
    if (!account.exists) return null
    const data =
      encoding === 'base58' ? [b58.decode.decode(account.data), 'base58'] : [b64.decode.decode(account.data), 'base64']
    return {
      data,
      executable: account.executable,
      lamports: Number(account.lamports),
      owner: account.programAddress,
      rentEpoch: 0,
      space: account.data.length,
    }
  }

  const methods: Record<string, (params: unknown[]) => unknown> = {
    getHealth: () => 'ok',
    getVersion: () => ({ 'solana-core': '2.2.0-litesvm', 'feature-set': 0 }),
    getGenesisHash: () => 'EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG',
    getSlot: () => Number(slot()),
    getBlockHeight: () => Number(slot()),
    getEpochInfo: () => {
      const clock = svm.getClock()
      return {
        absoluteSlot: Number(clock.slot),
        blockHeight: Number(clock.slot),
        epoch: Number(clock.epoch),
        slotIndex: 0,
        slotsInEpoch: 432000,
        transactionCount: null,
      }
    },
    getLatestBlockhash: () => ({
      context: context(),
      value: { blockhash: latestBlockhash(), lastValidBlockHeight: Number(slot() + BLOCKHASH_VALID_SLOTS) },
    }),
    isBlockhashValid: ([blockhash]) => ({
      context: context(),
      value: typeof blockhash === 'string' && blockhashValid(blockhash),
    }),
    getBalance: ([address]) => ({ context: context(), value: Number(svm.getBalance(asAddress(address)) ?? 0n) }),
    getAccountInfo: ([address, config]) => ({
      context: context(),
      value: accountInfo(asAddress(address), (config as { encoding?: string } | undefined)?.encoding),
    }),
    getMultipleAccounts: ([addresses, config]) => ({
      context: context(),
      value: (Array.isArray(addresses) ? addresses : []).map((a) =>
        accountInfo(asAddress(a), (config as { encoding?: string } | undefined)?.encoding),
      ),
    }),
    getMinimumBalanceForRentExemption: ([size]) => Number(svm.minimumBalanceForRentExemption(BigInt(Number(size)))),
    getTokenAccountBalance: ([address]) => {
      const account = svm.getAccount(asAddress(address))
      if (!account.exists) throw new RpcError(-32602, 'Invalid param: could not find account')
      const token = getTokenDecoder().decode(account.data)
      const mint = svm.getAccount(token.mint)
      const decimals = mint.exists ? getMintDecoder().decode(mint.data).decimals : 0
      const amount = token.amount.toString()
      const ui = Number(token.amount) / 10 ** decimals
      return { context: context(), value: { amount, decimals, uiAmount: ui, uiAmountString: String(ui) } }
    },
    getFeeForMessage: () => ({ context: context(), value: 5000 }),
    requestAirdrop: ([address, amount]) => {
      const result = svm.airdrop(asAddress(address), lamports(BigInt(Number(amount))))
      if (!result || result instanceof FailedTransactionMetadata) {
        throw new RpcError(-32603, `airdrop failed: ${result ? JSON.stringify(txError(result)) : 'no result'}`)
      }
      const signature = b58.decode.decode(result.signature())
      landed.set(signature, slot())
      advance(1n)
      return signature
    },
    simulateTransaction: ([encoded, rawConfig]) => {
      const config = (rawConfig ?? {}) as {
        encoding?: string
        accounts?: { addresses?: string[]; encoding?: string }
      }
      const tx = decodeWireTransaction(encoded, config.encoding)
      if (!blockhashValid(blockhashOf(tx))) return simulationValue(context(), { err: 'BlockhashNotFound' })
      let result: ReturnType<LiteSVM['simulateTransaction']>
      try {
        result = svm.simulateTransaction(tx)
      } catch (error) {
        return simulationValue(context(), { err: 'SignatureFailure', logs: [String((error as Error).message)] })
      }
      if (result instanceof FailedTransactionMetadata) {
        const meta = result.meta()
        return simulationValue(context(), {
          err: txError(result),
          logs: meta.logs(),
          unitsConsumed: Number(meta.computeUnitsConsumed()),
        })
      }
      const meta = result.meta()
      const wanted = config.accounts?.addresses
      let accounts: unknown[] | null = null
      if (wanted) {
        const post = new Map(result.postAccounts().map((a) => [a.address as string, a]))
        accounts = wanted.map((address) => {
          const account = post.get(address)
          if (!account) return accountInfo(asAddress(address))
          return {
            data: [b64.decode.decode(account.data), 'base64'],
            executable: account.executable,
            lamports: Number(account.lamports),
            owner: account.programAddress,
            rentEpoch: 0,
            space: account.data.length,
          }
        })
      }
      return simulationValue(context(), {
        err: null,
        logs: meta.logs(),
        unitsConsumed: Number(meta.computeUnitsConsumed()),
        accounts,
      })
    },
    sendTransaction: ([encoded, rawConfig]) => {
      const config = (rawConfig ?? {}) as { encoding?: string; skipPreflight?: boolean }
      const tx = decodeWireTransaction(encoded, config.encoding)
      sendCount++
      const signatureBytes = Object.values(tx.signatures)[0]
      if (!signatureBytes) throw new RpcError(-32602, 'invalid transaction: no signature')
      const signature = b58.decode.decode(signatureBytes)
      if (instance.dropTransactions) return signature
      if (!blockhashValid(blockhashOf(tx))) {
        throw new RpcError(-32002, 'Transaction simulation failed: Blockhash not found', {
          err: 'BlockhashNotFound',
          logs: [],
          accounts: null,
          unitsConsumed: 0,
        })
      }
      let result: TransactionMetadata | FailedTransactionMetadata
      try {
        result = svm.sendTransaction(tx)
      } catch (error) {
        throw new RpcError(-32003, `Transaction signature verification failure: ${(error as Error).message}`)
      }
      if (result instanceof FailedTransactionMetadata) {
        const err = txError(result)
        // A real cluster's preflight refuses these before they land; so does this one. The error
        // is recorded only when the transaction actually ran (LiteSVM charged its fee).
        if (!landed.has(signature) && svm.getTransaction(signature as never) && err !== 'AlreadyProcessed') {
          landed.set(signature, slot())
          advance(1n)
        }
        throw new RpcError(-32002, `Transaction simulation failed: ${JSON.stringify(err)}`, {
          err,
          logs: result.meta().logs(),
          accounts: null,
          unitsConsumed: Number(result.meta().computeUnitsConsumed()),
        })
      }
      landed.set(signature, slot())
      // The block holding it is done: as on a cluster once it confirms, the next blockhash is new.
      advance(1n)
      return signature
    },
    getSignatureStatuses: ([signatures]) => ({
      context: context(),
      value: (Array.isArray(signatures) ? signatures : []).map((signature) => {
        const landedAt = typeof signature === 'string' ? landed.get(signature) : undefined
        if (landedAt === undefined) return null
        const result = svm.getTransaction(signature as never)
        const err = result instanceof FailedTransactionMetadata ? txError(result) : null
        return {
          slot: Number(landedAt),
          confirmations: null,
          err,
          status: err === null ? { Ok: null } : { Err: err },
          confirmationStatus: 'finalized',
        }
      }),
    }),
  }

  const handle = (call: unknown): unknown => {
    const { id = null, method, params = [] } = (call ?? {}) as { id?: unknown; method?: unknown; params?: unknown }
    const fn = typeof method === 'string' ? methods[method] : undefined
    tick()
    if (!fn) return { jsonrpc: '2.0', id, error: { code: -32601, message: `Method not found: ${String(method)}` } }
    try {
      return { jsonrpc: '2.0', id, result: fn(Array.isArray(params) ? params : []) }
    } catch (error) {
      if (error instanceof RpcError) {
        return {
          jsonrpc: '2.0',
          id,
          error: { code: error.code, message: error.message, ...(error.data ? { data: error.data } : {}) },
        }
      }
      return { jsonrpc: '2.0', id, error: { code: -32603, message: (error as Error).message } }
    }
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    res.setHeader('access-control-allow-origin', '*')
    res.setHeader('access-control-allow-methods', 'POST, OPTIONS')
    res.setHeader('access-control-allow-headers', 'content-type, solana-client')
    res.setHeader('access-control-max-age', '600')
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end()
      return
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { 'content-type': 'text/plain' }).end('POST JSON-RPC here')
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      let body: unknown
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }))
        return
      }
      const answer = Array.isArray(body) ? body.map(handle) : handle(body)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(answer, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)))
    })
  })
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const { port } = server.address() as AddressInfo

  const instance: SolanaRpcInstance = {
    rpcUrl: `http://${host}:${port}`,
    port,
    svm,
    dropTransactions: false,
    get sendCount() {
      return sendCount
    },
    expireBlockhash() {
      advance(BLOCKHASH_VALID_SLOTS + 1n)
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
  return instance
}

function simulationValue(context: unknown, value: Record<string, unknown>) {
  return {
    context,
    value: {
      err: null,
      logs: [],
      accounts: null,
      unitsConsumed: 0,
      returnData: null,
      innerInstructions: null,
      replacementBlockhash: null,
      loadedAccountsDataSize: 0,
      ...value,
    },
  }
}

function asAddress(value: unknown): Address {
  if (typeof value !== 'string' || !/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(value)) {
    throw new RpcError(-32602, `Invalid param: Invalid address ${String(value).slice(0, 60)}`)
  }
  return value as Address
}

// Names of solana's fieldless `TransactionError` variants, in LiteSVM's enum order.
const FIELDLESS_ERRORS = [
  'AccountInUse',
  'AccountLoadedTwice',
  'AccountNotFound',
  'ProgramAccountNotFound',
  'InsufficientFundsForFee',
  'InvalidAccountForFee',
  'AlreadyProcessed',
  'BlockhashNotFound',
  'CallChainTooDeep',
  'MissingSignatureForFee',
  'InvalidAccountIndex',
  'SignatureFailure',
  'InvalidProgramForExecution',
  'SanitizeFailure',
  'ClusterMaintenance',
  'AccountBorrowOutstanding',
  'WouldExceedMaxBlockCostLimit',
  'UnsupportedVersion',
  'InvalidWritableAccount',
  'WouldExceedMaxAccountCostLimit',
  'WouldExceedAccountDataBlockLimit',
  'TooManyAccountLocks',
  'AddressLookupTableNotFound',
  'InvalidAddressLookupTableOwner',
  'InvalidAddressLookupTableData',
  'InvalidAddressLookupTableIndex',
  'InvalidRentPayingAccount',
  'WouldExceedMaxVoteCostLimit',
  'WouldExceedAccountDataTotalLimit',
  'MaxLoadedAccountsDataSizeExceeded',
  'InvalidLoadedAccountsDataSizeLimit',
  'ResanitizationNeeded',
  'UnbalancedTransaction',
  'ProgramCacheHitMaxLimit',
  'CommitCancelled',
]

function transactionErrorName(code: number): string {
  return FIELDLESS_ERRORS[code] ?? `TransactionError(${code})`
}

function jsonSafe(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? Number(value) : value
  const out: Record<string, unknown> = { type: value.constructor?.name }
  const proto = Object.getPrototypeOf(value) as object
  for (const key of Object.getOwnPropertyNames(proto)) {
    if (key === 'constructor' || key === 'toString') continue
    const member = (value as Record<string, unknown>)[key]
    if (typeof member === 'function' && member.length === 0) {
      try {
        out[key] = jsonSafe((member as () => unknown).call(value))
      } catch {}
    }
  }
  const text = String(value)
  if (text && text !== '[object Object]') out.text = text
  return out
}

// ---- helpers that set up SPL state directly (no signatures needed) ----

export interface CreateSplMintOptions {
  /** The mint's address (default: a fresh random one is not deterministic; pass the dev mint). */
  mint: Address
  mintAuthority: Address
  decimals?: number
  supply?: bigint
}

/** Writes an initialized SPL Token mint account into the ledger. */
export function createSplMint(svm: LiteSVM, options: CreateSplMintOptions): Address {
  const data = getMintEncoder().encode({
    mintAuthority: { __option: 'Some', value: options.mintAuthority },
    supply: options.supply ?? 0n,
    decimals: options.decimals ?? 6,
    isInitialized: true,
    freezeAuthority: { __option: 'None' },
  })
  svm.setAccount({
    address: options.mint,
    data: new Uint8Array(data),
    executable: false,
    lamports: lamports(svm.minimumBalanceForRentExemption(BigInt(getMintSize()))),
    programAddress: TOKEN_PROGRAM_ADDRESS,
    space: BigInt(getMintSize()),
  })
  return options.mint
}

/** Writes (or overwrites) `owner`'s associated token account of `mint` holding `amount`; bumps the mint's supply. */
export async function setSplBalance(
  svm: LiteSVM,
  options: { mint: Address; owner: Address; amount: bigint },
): Promise<Address> {
  const [ata] = await findAssociatedTokenPda({
    mint: options.mint,
    owner: options.owner,
    tokenProgram: TOKEN_PROGRAM_ADDRESS,
  })
  const mintAccount = svm.getAccount(options.mint)
  if (!mintAccount.exists) throw new Error(`mint ${options.mint} does not exist: createSplMint first`)
  const mint = getMintDecoder().decode(mintAccount.data)
  const previous = svm.getAccount(ata)
  const before = previous.exists ? getTokenDecoder().decode(previous.data).amount : 0n
  svm.setAccount({
    ...mintAccount,
    data: new Uint8Array(getMintEncoder().encode({ ...mint, supply: mint.supply - before + options.amount })),
  })
  const data = getTokenEncoder().encode({
    mint: options.mint,
    owner: options.owner,
    amount: options.amount,
    delegate: { __option: 'None' },
    state: AccountState.Initialized,
    isNative: { __option: 'None' },
    delegatedAmount: 0n,
    closeAuthority: { __option: 'None' },
  })
  svm.setAccount({
    address: ata,
    data: new Uint8Array(data),
    executable: false,
    lamports: lamports(svm.minimumBalanceForRentExemption(BigInt(getTokenSize()))),
    programAddress: TOKEN_PROGRAM_ADDRESS,
    space: BigInt(getTokenSize()),
  })
  return ata
}

/** The SPL balance of `owner`'s associated token account (0 when it does not exist). */
export async function getSplBalance(svm: LiteSVM, options: { mint: Address; owner: Address }): Promise<bigint> {
  const [ata] = await findAssociatedTokenPda({
    mint: options.mint,
    owner: options.owner,
    tokenProgram: TOKEN_PROGRAM_ADDRESS,
  })
  const account = svm.getAccount(ata)
  return account.exists ? getTokenDecoder().decode(account.data).amount : 0n
}

/** Gives `address` exactly `amount` lamports (creating a system account if needed). */
export function setLamports(svm: LiteSVM, address: Address, amount: bigint): void {
  const account = svm.getAccount(address)
  svm.setAccount({
    address,
    data: account.exists ? account.data : new Uint8Array(0),
    executable: account.exists ? account.executable : false,
    lamports: lamports(amount),
    programAddress: account.exists ? account.programAddress : ('11111111111111111111111111111111' as Address),
    space: account.exists ? BigInt(account.data.length) : 0n,
  })
}

/** Round-trips an address through bytes (handy to assert two forms agree). */
export function addressBytes(address: Address): Uint8Array {
  return new Uint8Array(getAddressEncoder().encode(address))
}
export const addressFromBytes = (bytes: Uint8Array): Address => getAddressDecoder().decode(bytes)

export {
  createToken2022Mint,
  findToken2022Ata,
  getToken2022Balance,
  metadataPointerExtension,
  setToken2022Balance,
  TOKEN_2022_PROGRAM_ADDRESS,
  type Token2022Extension,
  transferFeeConfigExtension,
  transferHookExtension,
} from './solana-token2022.js'
export { LiteSVM }

export interface SolanaDevLedger {
  feePayer: Address
  visitor: Address
  visitor2: Address
  creator: Address
  mintAuthority: Address
  /** The dev SPL token (6 decimals). */
  mint: Address
}

/**
 * Seeds the dev accounts of `SOLANA_DEV_SEEDS`: 100 SOL for the fee payer, 10 SOL for each visitor
 * and the creator, the dev token mint, 1,000 dev tokens for each visitor and a token account for
 * the creator.
 */
export async function seedSolanaDevLedger(svm: LiteSVM): Promise<SolanaDevLedger> {
  const { solanaDevKeyPair } = await import('./solana-accounts.js')
  const [feePayer, visitor, visitor2, creator, mintAuthority, mint] = await Promise.all(
    (['feePayer', 'visitor', 'visitor2', 'creator', 'mintAuthority', 'mint'] as const).map(async (role) => {
      return (await solanaDevKeyPair(role)).address
    }),
  )
  const sol = 1_000_000_000n
  setLamports(svm, feePayer as Address, 100n * sol)
  for (const a of [visitor, visitor2, creator, mintAuthority]) setLamports(svm, a as Address, 10n * sol)
  createSplMint(svm, { mint: mint as Address, mintAuthority: mintAuthority as Address, decimals: 6 })
  await setSplBalance(svm, { mint: mint as Address, owner: visitor as Address, amount: 1_000_000_000n })
  await setSplBalance(svm, { mint: mint as Address, owner: visitor2 as Address, amount: 1_000_000_000n })
  return {
    feePayer: feePayer as Address,
    visitor: visitor as Address,
    visitor2: visitor2 as Address,
    creator: creator as Address,
    mintAuthority: mintAuthority as Address,
    mint: mint as Address,
  }
}

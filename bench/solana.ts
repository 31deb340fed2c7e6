// The relay's Solana admission work per transaction, without RPC: decode, every policy rule
// (fee payer use, signers, programs, compute caps, size), the wallet's Ed25519 signature check and
// the fee payer's co-signature. Then the whole POST /v1/solana/transactions round trip over HTTP
// against the LiteSVM JSON-RPC (blockhash check, simulation, send), for scale.
// Build first: `npm run build -w packages/testkit -w packages/relay-server`.
import { cpus, loadavg } from 'node:os'
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
import { SolanaRuntime, startRelay } from '@tokentags/relay-server'
import { seedSolanaDevLedger, setLamports, setSplBalance, startSolanaRpc } from '@tokentags/testkit/solana'
import { solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { pino } from 'pino'

const cpuSeconds = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1e6
const PER_CASE = Number(process.env.BENCH_SOLANA_N ?? 3000)
const WALLETS = 200
const MEMO = 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr' as Address

const node = await startSolanaRpc()
const ledger = await seedSolanaDevLedger(node.svm)
const feePayer = await solanaDevKeyPair('feePayer')
const blockhash = node.svm.latestBlockhash() as Blockhash
const wallets: KeyPairSigner[] = await Promise.all(Array.from({ length: WALLETS }, () => generateKeyPairSigner()))
for (const w of wallets) {
  setLamports(node.svm, w.address, 10_000_000_000n)
  await setSplBalance(node.svm, { mint: ledger.mint, owner: w.address, amount: 10n ** 12n })
}

async function build(instructions: Instruction[], units: number): Promise<string> {
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(ledger.feePayer, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash, lastValidBlockHeight: 0n }, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
    (m) => setTransactionMessageComputeUnitLimit(units, m),
  )
  return getBase64EncodedWireTransaction(await partiallySignTransactionMessageWithSigners(message))
}

const memo = (i: number): Instruction => ({ programAddress: MEMO, data: new TextEncoder().encode(`tip #${i}`) })
// A new owner per funded tip (each derivation measured), every one listed as the relay requires.
const fundedOwners = await Promise.all(
  Array.from({ length: PER_CASE }, async () => (await generateKeyPairSigner()).address),
)
const cases: { name: string; make: (i: number, w: KeyPairSigner) => Promise<string> }[] = [
  {
    name: 'SOL tip (transfer + memo)',
    make: (i, w) =>
      build(
        [getTransferSolInstruction({ source: w, destination: ledger.creator, amount: BigInt(1000 + i) }), memo(i)],
        30_000,
      ),
  },
  {
    name: 'SPL tip (transferChecked)',
    make: async (i, w) => {
      const [source] = await findAssociatedTokenPda({
        mint: ledger.mint,
        owner: w.address,
        tokenProgram: TOKEN_PROGRAM_ADDRESS,
      })
      const [destination] = await findAssociatedTokenPda({
        mint: ledger.mint,
        owner: ledger.visitor,
        tokenProgram: TOKEN_PROGRAM_ADDRESS,
      })
      return build(
        [
          getTransferCheckedInstruction({
            source,
            mint: ledger.mint,
            destination,
            authority: w,
            amount: BigInt(1 + i),
            decimals: 6,
          }),
        ],
        20_000,
      )
    },
  },
  {
    name: 'SPL tip + token account funded by the relay',
    make: async (i, w) => {
      const owner = fundedOwners[i] as Address
      const [source] = await findAssociatedTokenPda({
        mint: ledger.mint,
        owner: w.address,
        tokenProgram: TOKEN_PROGRAM_ADDRESS,
      })
      const [destination] = await findAssociatedTokenPda({
        mint: ledger.mint,
        owner,
        tokenProgram: TOKEN_PROGRAM_ADDRESS,
      })
      return build(
        [
          getCreateAssociatedTokenIdempotentInstruction({
            payer: createNoopSigner(ledger.feePayer),
            ata: destination,
            owner,
            mint: ledger.mint,
          }),
          getTransferCheckedInstruction({
            source,
            mint: ledger.mint,
            destination,
            authority: w,
            amount: BigInt(1 + i),
            decimals: 6,
          }),
        ],
        60_000,
      )
    },
  },
]

const solanaConfig = {
  rpcUrl: node.rpcUrl,
  feePayerSecretKey: Array.from(feePayer.secretKey),
  lamportsPerDay: 10n ** 15n,
  requestsPerWalletPerDay: 1_000_000,
}
const sites = {
  pk_bench: {
    origins: ['*'],
    allowNoOrigin: true,
    targets: [],
    solana: { fundTokenAccounts: { recipients: fundedOwners, mints: { [ledger.mint]: { minimumTransfer: 1 } } } },
  },
}
const runtime = new SolanaRuntime(solanaConfig, { logger: pino({ level: 'silent' }), sites })

const rows: { name: string; ops: number; seconds: number; cpuSeconds: number }[] = []
for (const c of cases) {
  const txs: string[] = []
  for (let i = 0; i < PER_CASE; i++) txs.push(await c.make(i, wallets[i % WALLETS] as KeyPairSigner))
  // Warm up the JIT and the public-key cache, then measure.
  for (let i = 0; i < Math.min(200, PER_CASE); i++) await runtime.prepare(txs[i] as string, 'pk_bench')
  const started = performance.now()
  const cpu = process.cpuUsage()
  for (const tx of txs) await runtime.prepare(tx, 'pk_bench')
  rows.push({
    name: `checks + co-sign: ${c.name}`,
    ops: txs.length,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: cpuSeconds(process.cpuUsage(cpu)),
  })
}

// The floor under the checks: one Ed25519 verify (the wallet's signature) and one sign (the co-signature).
{
  const { generateKeyPairSync, sign, verify } = await import('node:crypto')
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const message = Buffer.alloc(250, 7)
  const signature = sign(null, message, privateKey)
  const started = performance.now()
  const cpu = process.cpuUsage()
  for (let i = 0; i < PER_CASE; i++) {
    verify(null, message, publicKey, signature)
    sign(null, message, privateKey)
  }
  rows.push({
    name: 'floor: one Ed25519 verify + one sign (node:crypto)',
    ops: PER_CASE,
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: cpuSeconds(process.cpuUsage(cpu)),
  })
}

// Whole round trip: HTTP, policy, co-sign, isBlockhashValid + getBalance + simulateTransaction over
// HTTP JSON-RPC into LiteSVM, admission, and the send (in the background).
const relay = await startRelay({
  chains: [],
  sites,
  solana: solanaConfig,
  logger: pino({ level: 'silent' }),
  port: 0,
})
const E2E = Math.min(PER_CASE, 600)
const e2eTxs: string[] = []
for (let i = 0; i < E2E; i++)
  e2eTxs.push((await cases[0]?.make(10_000_000 + i, wallets[i % WALLETS] as KeyPairSigner)) as string)
const e2eStarted = performance.now()
const e2eCpu = process.cpuUsage()
let accepted = 0
const refusals = new Map<string, number>()
const CONCURRENCY = 8
await Promise.all(
  Array.from({ length: CONCURRENCY }, async (_, lane) => {
    for (let i = lane; i < E2E; i += CONCURRENCY) {
      const response = await fetch(`${relay.url}/v1/solana/transactions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-tokentags-site': 'pk_bench' },
        body: JSON.stringify({ transaction: e2eTxs[i] }),
      })
      if (response.status === 202) accepted++
      else refusals.set(await response.text(), (refusals.get(await '') ?? 0) + 1)
      await response.body?.cancel().catch(() => {})
    }
  }),
)
rows.push({
  name: 'POST /v1/solana/transactions (HTTP + LiteSVM RPC in this process, 8 in flight)',
  ops: accepted,
  seconds: (performance.now() - e2eStarted) / 1000,
  cpuSeconds: cpuSeconds(process.cpuUsage(e2eCpu)),
})
await relay.close()
await runtime.close()
await node.stop()

console.log(
  `Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}); ${WALLETS} distinct wallets\n`,
)
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} (other processes slow the wall-clock column; the CPU column is this process's own time)\n`,
)
console.log('| case | transactions | wall s | per second (wall) | per CPU-second | µs CPU each |')
console.log('|---|---:|---:|---:|---:|---:|')
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
for (const r of rows) {
  console.log(
    `| ${r.name} | ${r.ops} | ${r.seconds.toFixed(2)} | ${fmt(r.ops / r.seconds)} | ${fmt(r.ops / r.cpuSeconds)} | ${fmt((r.cpuSeconds * 1e6) / r.ops)} |`,
  )
}
if (accepted !== E2E) {
  console.error(`only ${accepted} of ${E2E} round trips were accepted`, [...refusals.keys()].slice(0, 3))
  process.exit(1)
}

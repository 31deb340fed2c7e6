// What @solana/kit's base58 and program-derived addresses cost on the relay's Solana submit path
// (issue 12, item 5: kit, not hand-written copies). A 20-account sponsored transaction that funds
// two associated token accounts for owners never seen before (no cached derivation):
//   - kit alone: its 20 static keys and blockhash decoded to base58, the 2 ATAs derived;
//   - the relay's whole check of it, no RPC: SolanaRuntime.prepare (decode, policy, the wallet's
//     Ed25519 verify, both ATAs checked, the co-signature);
//   - the floor: one Ed25519 verify and one sign (node:crypto).
// Build first: `npm run build -w packages/testkit -w packages/relay-server`.
//   BENCH_SOLANA_KEYS_N=10000 (transactions per row)
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto'
import { cpus, loadavg } from 'node:os'
import {
  AccountRole,
  type Address,
  appendTransactionMessageInstructions,
  type Blockhash,
  createNoopSigner,
  createTransactionMessage,
  generateKeyPairSigner,
  getAddressDecoder,
  getBase58Decoder,
  getBase64EncodedWireTransaction,
  type Instruction,
  type KeyPairSigner,
  partiallySignTransactionMessageWithSigners,
  pipe,
  setTransactionMessageComputeUnitLimit,
  setTransactionMessageFeePayer,
  setTransactionMessageLifetimeUsingBlockhash,
} from '@solana/kit'
import {
  findAssociatedTokenPda,
  getCreateAssociatedTokenIdempotentInstruction,
  getTransferCheckedInstruction,
  TOKEN_PROGRAM_ADDRESS,
} from '@solana-program/token'
import { SolanaRuntime } from '@tokentags/relay-server'
import { solanaDevKeyPair } from '@tokentags/testkit/solana-dev-wallet'
import { pino } from 'pino'

const N = Number(process.env.BENCH_SOLANA_KEYS_N ?? 10_000)
/** Transactions of their own for the warm-up: the relay remembers ATAs it verified, kit does not. */
const WARM = 200
const WALLETS = 50
const REFERENCES = 8
const cpuMicros = (usage: NodeJS.CpuUsage) => usage.user + usage.system

const addressOf = getAddressDecoder()
const base58Of = getBase58Decoder()
const randomAddress = () => addressOf.decode(randomBytes(32))
const feePayer = await solanaDevKeyPair('feePayer')
const mint = randomAddress()
const blockhash = base58Of.decode(randomBytes(32)) as Blockhash
const wallets: KeyPairSigner[] = await Promise.all(Array.from({ length: WALLETS }, () => generateKeyPairSigner()))
const sources = await Promise.all(
  wallets.map(
    async (w) => (await findAssociatedTokenPda({ owner: w.address, mint, tokenProgram: TOKEN_PROGRAM_ADDRESS }))[0],
  ),
)
const owners = Array.from({ length: N + WARM }, () => [randomAddress(), randomAddress()] as const)

/** Fee payer, wallet, 2 × (ATA, owner), mint, source, System, Token, Associated Token, Compute Budget, 8 references: 20 keys. */
async function transaction(i: number): Promise<string> {
  const wallet = wallets[i % WALLETS] as KeyPairSigner
  const source = sources[i % WALLETS] as Address
  const references = Array.from({ length: REFERENCES }, () => ({
    address: randomAddress(),
    role: AccountRole.READONLY,
  }))
  const instructions: Instruction[] = []
  for (const [n, owner] of (owners[i] as readonly Address[]).entries()) {
    const [ata] = await findAssociatedTokenPda({ owner, mint, tokenProgram: TOKEN_PROGRAM_ADDRESS })
    instructions.push(
      getCreateAssociatedTokenIdempotentInstruction({ payer: createNoopSigner(feePayer.address), ata, owner, mint }),
    )
    const transfer = getTransferCheckedInstruction({
      source,
      mint,
      destination: ata,
      authority: wallet,
      amount: 5n,
      decimals: 6,
    })
    instructions.push(n === 0 ? { ...transfer, accounts: [...transfer.accounts, ...references] } : transfer)
  }
  const message = pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayer(feePayer.address, m),
    (m) => setTransactionMessageLifetimeUsingBlockhash({ blockhash, lastValidBlockHeight: 0n }, m),
    (m) => appendTransactionMessageInstructions(instructions, m),
    (m) => setTransactionMessageComputeUnitLimit(100_000, m),
  )
  return getBase64EncodedWireTransaction(await partiallySignTransactionMessageWithSigners(message))
}

const txs: string[] = []
for (let i = 0; i < N + WARM; i++) txs.push(await transaction(i))
const wire = txs.map((tx) => new Uint8Array(Buffer.from(tx, 'base64')))
const runtime = new SolanaRuntime(
  {
    rpcUrl: 'http://127.0.0.1:9',
    feePayerSecretKey: Array.from(feePayer.secretKey),
  },
  {
    logger: pino({ level: 'silent' }),
    sites: {
      pk_bench: {
        solana: { fundTokenAccounts: { recipients: owners.flat(), mints: { [mint]: { minimumTransfer: 1 } } } },
      },
    },
  },
)

/** Where the static keys and the blockhash sit in a v0 message with 2 signatures. */
const KEYS_AT = 1 + 2 * 64 + 4 + 1
const checked = await runtime.prepare(txs[N] as string, 'pk_bench')
if (
  checked.tx.accounts.length !== 20 ||
  addressOf.decode((wire[N] as Uint8Array).subarray(KEYS_AT, KEYS_AT + 32)) !== feePayer.address
) {
  throw new RangeError(`the bench transaction has ${checked.tx.accounts.length} keys, not 20, or another layout`)
}

const rows: { name: string; micros: number }[] = []
async function measure(name: string, run: (i: number) => unknown): Promise<void> {
  for (let i = N; i < N + WARM; i++) await run(i)
  const cpu = process.cpuUsage()
  for (let i = 0; i < N; i++) await run(i)
  rows.push({ name, micros: cpuMicros(process.cpuUsage(cpu)) / N })
}

await measure('kit: 20 keys + blockhash to base58 (getAddressDecoder, getBase58Decoder)', (i) => {
  const bytes = wire[i] as Uint8Array
  for (let k = 0; k < 20; k++) addressOf.decode(bytes.subarray(KEYS_AT + 32 * k, KEYS_AT + 32 * (k + 1)))
  base58Of.decode(bytes.subarray(KEYS_AT + 640, KEYS_AT + 672))
})
await measure('kit: 2 ATAs (findAssociatedTokenPda)', async (i) => {
  for (const owner of owners[i] as readonly Address[]) {
    await findAssociatedTokenPda({ owner, mint, tokenProgram: TOKEN_PROGRAM_ADDRESS })
  }
})
{
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const message = Buffer.alloc(700, 7)
  const signature = sign(null, message, privateKey)
  await measure('floor: one Ed25519 verify + one sign (node:crypto)', () => {
    verify(null, message, publicKey, signature)
    sign(null, message, privateKey)
  })
}
await measure('relay: SolanaRuntime.prepare, whole check + co-sign, no RPC', (i) =>
  runtime.prepare(txs[i] as string, 'pk_bench'),
)
await runtime.close()

console.log(`Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}); ${N} transactions`)
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} (this process's CPU time only; other processes still slow it through caches)\n`,
)
console.log('| per 20-account transaction funding 2 token accounts | µs CPU |')
console.log('|---|---:|')
for (const r of rows) console.log(`| ${r.name} | ${Math.round(r.micros).toLocaleString('en-US')} |`)
const [keys, atas, , prepare] = rows.map((r) => r.micros) as [number, number, number, number]
console.log(
  `\nkit's base58 and ATA derivations: ${Math.round(keys + atas)} µs, ${Math.round(((keys + atas) / prepare) * 100)}% of prepare`,
)

import {
  ASSOCIATED_TOKEN_PROGRAM,
  COMPUTE_BUDGET_PROGRAM,
  MEMO_PROGRAM,
  MEMO_V1_PROGRAM,
  SYSTEM_PROGRAM,
  TOKEN_PROGRAM,
} from '../solana/config.js'
import { parseWireTransaction, type WireInstruction } from '../solana/wire.js'

/** System program instructions by their u32 index. */
const SYSTEM = [
  'createAccount',
  'assign',
  'transfer',
  'createAccountWithSeed',
  'advanceNonceAccount',
  'withdrawNonceAccount',
  'initializeNonceAccount',
  'authorizeNonceAccount',
  'allocate',
  'allocateWithSeed',
  'assignWithSeed',
  'transferWithSeed',
  'upgradeNonceAccount',
]

/** SPL Token instructions by their first byte. */
const TOKEN = [
  'initializeMint',
  'initializeAccount',
  'initializeMultisig',
  'transfer',
  'approve',
  'revoke',
  'setAuthority',
  'mintTo',
  'burn',
  'closeAccount',
  'freezeAccount',
  'thawAccount',
  'transferChecked',
  'approveChecked',
  'mintToChecked',
  'burnChecked',
  'initializeAccount2',
  'syncNative',
  'initializeAccount3',
]

const ASSOCIATED = ['create', 'createIdempotent', 'recoverNested']

/** `system.transfer`, `spl.transferChecked`, `ata.createIdempotent`, `memo`; undefined for other programs. */
function instructionKind(program: string, ix: WireInstruction): string | undefined {
  const { data } = ix
  switch (program) {
    case SYSTEM_PROGRAM: {
      const index = data.length >= 4 ? new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true) : -1
      return `system.${SYSTEM[index] ?? 'unknown'}`
    }
    case TOKEN_PROGRAM:
      return `spl.${TOKEN[data[0] ?? -1] ?? 'unknown'}`
    case ASSOCIATED_TOKEN_PROGRAM:
      // An empty instruction is the original `create`.
      return `ata.${ASSOCIATED[data.length === 0 ? 0 : (data[0] as number)] ?? 'unknown'}`
    case MEMO_PROGRAM:
    case MEMO_V1_PROGRAM:
      return 'memo'
    default:
      return undefined
  }
}

const TRANSFERS = new Set(['system.transfer', 'spl.transfer', 'spl.transferChecked'])

/**
 * A sponsored Solana transaction's target and function for the ledger: the program of its transfer
 * (else of its first instruction other than the compute budget's) and the kinds of those
 * instructions in order (`ata.createIdempotent+spl.transferChecked+memo`). Empty when unreadable:
 * the ledger row then lacks them, the request goes on.
 */
export function describeSolanaCall(base64: string): { target?: string; functionName?: string } {
  let tx: ReturnType<typeof parseWireTransaction>
  try {
    const bytes = Buffer.from(base64, 'base64')
    tx = parseWireTransaction(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length))
  } catch {
    return {}
  }
  const calls: { program: string; kind: string }[] = []
  for (const ix of tx.instructions) {
    const program = tx.accounts[ix.programIndex]
    if (program === undefined || program === COMPUTE_BUDGET_PROGRAM) continue
    // A site may allow programs the relay cannot name: their id stands for the kind.
    calls.push({ program, kind: instructionKind(program, ix) ?? program })
  }
  const main = calls.find((c) => TRANSFERS.has(c.kind)) ?? calls[0]
  if (!main) return {}
  return { target: main.program, functionName: calls.map((c) => c.kind).join('+') }
}

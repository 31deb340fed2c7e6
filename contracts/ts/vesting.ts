import { StandardMerkleTree } from '@openzeppelin/merkle-tree'
import { type Address, getAddress, type Hex, isAddress, parseUnits } from 'viem'

/** The StandardMerkleTree leaf encoding of VestingVault Merkle drops. */
export const VESTING_LEAF_ENCODING = ['address', 'uint256', 'uint64', 'uint64', 'uint64'] as const

/** The CSV columns, in order. A first line with exactly these names is a header and is skipped. */
export const VESTING_CSV_FIELDS = ['beneficiary', 'amount', 'start', 'cliff', 'duration'] as const

export type VestingCsvField = (typeof VESTING_CSV_FIELDS)[number]

export interface VestingEntry {
  beneficiary: Address
  /** Base units. */
  amount: bigint
  /** Unix seconds. */
  start: bigint
  /** Seconds after start. */
  cliff: bigint
  /** Seconds after start. */
  duration: bigint
}

/** One problem in a CSV: its 1-based line, the field (or `line` for the whole line) and what is wrong. */
export interface VestingCsvIssue {
  line: number
  field: VestingCsvField | 'line'
  message: string
}

/** Thrown by {@link parseVestingCsv} with every problem found; nothing should be written then. */
export class VestingCsvError extends Error {
  override name = 'VestingCsvError'
  constructor(readonly issues: VestingCsvIssue[]) {
    super(
      issues
        .map((i) => `line ${i.line}, ${i.field === 'line' ? 'line' : `field "${i.field}"`}: ${i.message}`)
        .join('\n'),
    )
  }
}

const UINT64_MAX = 2n ** 64n - 1n
const UINT256_MAX = 2n ** 256n - 1n

export interface ParseVestingCsvOptions {
  /** When set, `amount` is in whole tokens with up to this many decimals (e.g. `1.5`); else in base units. */
  decimals?: number
}

/**
 * Parses `beneficiary,amount,start,cliff,duration` lines (an optional header line with those names; blank lines and
 * lines starting with `#` are ignored). Throws a {@link VestingCsvError} listing every bad line and field.
 */
export function parseVestingCsv(text: string, options: ParseVestingCsvOptions = {}): VestingEntry[] {
  const issues: VestingCsvIssue[] = []
  const entries: VestingEntry[] = []
  const seen = new Map<string, number>()
  const lines = text.split(/\r?\n/)
  let headerAllowed = true
  for (const [index, raw] of lines.entries()) {
    const line = index + 1
    const trimmed = raw.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    const cells = trimmed.split(',').map((c) => c.trim())
    if (headerAllowed && cells.join(',').toLowerCase() === VESTING_CSV_FIELDS.join(',')) {
      headerAllowed = false
      continue
    }
    headerAllowed = false
    if (cells.length !== VESTING_CSV_FIELDS.length) {
      issues.push({
        line,
        field: 'line',
        message: `expected ${VESTING_CSV_FIELDS.length} fields (${VESTING_CSV_FIELDS.join(',')}), got ${cells.length}`,
      })
      continue
    }
    const [beneficiaryCell, amountCell, startCell, cliffCell, durationCell] = cells as [
      string,
      string,
      string,
      string,
      string,
    ]
    const before = issues.length
    let beneficiary: Address | undefined
    if (!isAddress(beneficiaryCell, { strict: false })) {
      issues.push({ line, field: 'beneficiary', message: `"${beneficiaryCell}" is not an address` })
    } else if (
      /[A-F]/.test(beneficiaryCell.slice(2)) &&
      /[a-f]/.test(beneficiaryCell.slice(2)) &&
      !isAddress(beneficiaryCell)
    ) {
      issues.push({ line, field: 'beneficiary', message: `"${beneficiaryCell}" has a wrong checksum` })
    } else if (/^0x0{40}$/i.test(beneficiaryCell)) {
      issues.push({ line, field: 'beneficiary', message: 'the zero address cannot be a beneficiary' })
    } else {
      beneficiary = getAddress(beneficiaryCell)
    }
    const amount = parseAmount(amountCell, options.decimals, line, issues)
    const start = parseUint64(startCell, 'start', line, issues)
    const cliff = parseUint64(cliffCell, 'cliff', line, issues)
    const duration = parseUint64(durationCell, 'duration', line, issues)
    if (cliff !== undefined && duration !== undefined && cliff > duration) {
      issues.push({ line, field: 'cliff', message: `cliff ${cliff} is longer than duration ${duration}` })
    }
    if (issues.length > before || !beneficiary || amount === undefined) continue
    const entry = { beneficiary, amount, start: start as bigint, cliff: cliff as bigint, duration: duration as bigint }
    const key = [entry.beneficiary, entry.amount, entry.start, entry.cliff, entry.duration].join(',')
    const first = seen.get(key)
    if (first !== undefined) {
      issues.push({ line, field: 'line', message: `duplicate of line ${first} (a leaf can be claimed only once)` })
      continue
    }
    seen.set(key, line)
    entries.push(entry)
  }
  if (issues.length === 0 && entries.length === 0) {
    issues.push({ line: lines.length, field: 'line', message: 'no vesting entries in the file' })
  }
  if (issues.length > 0) throw new VestingCsvError(issues)
  return entries
}

function parseAmount(cell: string, decimals: number | undefined, line: number, issues: VestingCsvIssue[]) {
  let value: bigint | undefined
  if (decimals === undefined) {
    if (/^\d+$/.test(cell)) value = BigInt(cell)
    else issues.push({ line, field: 'amount', message: `"${cell}" is not a whole number of base units` })
  } else if (/^\d+(\.\d+)?$/.test(cell) && (cell.split('.')[1]?.length ?? 0) <= decimals) {
    value = parseUnits(cell, decimals)
  } else {
    issues.push({ line, field: 'amount', message: `"${cell}" is not an amount with at most ${decimals} decimals` })
  }
  if (value === undefined) return undefined
  if (value === 0n) {
    issues.push({ line, field: 'amount', message: 'the amount must be greater than zero' })
    return undefined
  }
  if (value > UINT256_MAX) {
    issues.push({ line, field: 'amount', message: 'the amount does not fit in uint256' })
    return undefined
  }
  return value
}

function parseUint64(cell: string, field: VestingCsvField, line: number, issues: VestingCsvIssue[]) {
  if (!/^\d+$/.test(cell)) {
    issues.push({ line, field, message: `"${cell}" is not a whole number of seconds` })
    return undefined
  }
  const value = BigInt(cell)
  if (value > UINT64_MAX) {
    issues.push({ line, field, message: `${cell} does not fit in uint64` })
    return undefined
  }
  return value
}

type Leaf = [string, string, string, string, string]

function toLeaf(e: VestingEntry): Leaf {
  return [e.beneficiary, e.amount.toString(), e.start.toString(), e.cliff.toString(), e.duration.toString()]
}

/** The proofs file written by `tokentags-contracts vesting build`. Integers are decimal strings. */
export interface VestingProofsFile {
  format: 'tokentags-vesting-proofs/1'
  root: Hex
  /** Sum of all amounts: what to fund the Merkle drop with (`VestingVault.addMerkleRoot(root, total, …)`). */
  total: string
  leafEncoding: string[]
  entries: {
    beneficiary: Address
    amount: string
    start: string
    cliff: string
    duration: string
    leaf: Hex
    proof: Hex[]
  }[]
  /** `StandardMerkleTree.dump()`, reloadable with `StandardMerkleTree.load`. */
  tree: unknown
}

/** Builds the StandardMerkleTree of `entries` and the proofs file. */
export function buildVestingProofs(entries: readonly VestingEntry[]): VestingProofsFile {
  const tree = StandardMerkleTree.of(entries.map(toLeaf), [...VESTING_LEAF_ENCODING])
  return {
    format: 'tokentags-vesting-proofs/1',
    root: tree.root as Hex,
    total: entries.reduce((sum, e) => sum + e.amount, 0n).toString(),
    leafEncoding: [...VESTING_LEAF_ENCODING],
    entries: entries.map((e, i) => ({
      beneficiary: e.beneficiary,
      amount: e.amount.toString(),
      start: e.start.toString(),
      cliff: e.cliff.toString(),
      duration: e.duration.toString(),
      leaf: tree.leafHash(toLeaf(e)) as Hex,
      proof: tree.getProof(i) as Hex[],
    })),
    tree: tree.dump(),
  }
}

/**
 * Checks a proofs file: every entry's proof against `root` (default the file's own root), the total, and, with
 * `entries` (e.g. from the CSV), that the file holds exactly those entries. Returns the problems (empty: valid).
 */
export function verifyVestingProofs(
  file: VestingProofsFile,
  options: { root?: Hex; entries?: readonly VestingEntry[] } = {},
): string[] {
  const problems: string[] = []
  const root = options.root ?? file.root
  if (options.root && options.root.toLowerCase() !== file.root.toLowerCase()) {
    problems.push(`the file's root ${file.root} is not the expected root ${options.root}`)
  }
  if (!Array.isArray(file.entries)) return [...problems, 'the file has no entries list']
  let total = 0n
  for (const [i, e] of file.entries.entries()) {
    try {
      const leaf: Leaf = [e.beneficiary, e.amount, e.start, e.cliff, e.duration]
      total += BigInt(e.amount)
      if (!StandardMerkleTree.verify(root, [...VESTING_LEAF_ENCODING], leaf, e.proof)) {
        problems.push(`entry ${i} (${e.beneficiary}): the proof does not prove the leaf against ${root}`)
      }
    } catch (error) {
      problems.push(`entry ${i}: malformed (${(error as Error).message})`)
    }
  }
  if (file.total !== undefined && String(total) !== file.total) {
    problems.push(`the total ${file.total} is not the sum of the amounts ${total}`)
  }
  if (options.entries) {
    const expected = buildVestingProofs(options.entries)
    if (expected.root.toLowerCase() !== root.toLowerCase()) {
      problems.push(`the CSV builds root ${expected.root}, not ${root}`)
    }
    const key = (e: { beneficiary: string; amount: string; start: string; cliff: string; duration: string }) =>
      [e.beneficiary.toLowerCase(), e.amount, e.start, e.cliff, e.duration].join(',')
    const inFile = new Set(file.entries.map(key))
    for (const e of expected.entries) {
      if (!inFile.has(key(e))) problems.push(`the CSV entry ${key(e)} is missing from the file`)
    }
    if (file.entries.length !== expected.entries.length) {
      problems.push(`the file has ${file.entries.length} entries, the CSV ${expected.entries.length}`)
    }
  }
  return problems
}

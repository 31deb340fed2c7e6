import type { Ledger, LedgerFilter, LedgerRequest } from './types.js'

/** Columns of `requests.csv`, in order. */
export const CSV_COLUMNS = [
  'id',
  'site',
  'kind',
  'chain',
  'sender',
  'target',
  'function',
  'status',
  'code',
  'gas',
  'lamports',
  'fee',
  'tx_hash',
  'created_at',
  'updated_at',
  'confirmed_at',
] as const

/**
 * One CSV field (RFC 4180). A text starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`:
 * site keys and codes can come from visitors, and a spreadsheet would run them as formulas.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  let text = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export function csvRow(r: LedgerRequest): string {
  return `${[
    r.id,
    r.site,
    r.kind,
    r.chain,
    r.sender,
    r.target,
    r.functionName ?? r.selector,
    r.status,
    r.code,
    r.gas,
    r.lamports,
    r.fee,
    r.txHash,
    iso(r.createdAt),
    iso(r.updatedAt),
    iso(r.confirmedAt),
  ]
    .map(csvField)
    .join(',')}\r\n`
}

/** The header line, then one line per matching request, read from the ledger page by page. */
export async function* requestsCsv(ledger: Ledger, filter: LedgerFilter = {}): AsyncIterable<string> {
  yield `${CSV_COLUMNS.join(',')}\r\n`
  for await (const request of ledger.requests(filter)) yield csvRow(request)
}

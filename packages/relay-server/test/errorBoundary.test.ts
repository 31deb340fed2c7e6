// Domain code throws domain errors; `src/http/errors.ts` alone gives them a status and a code (issue 12 §4). A source
// scan keeps HTTP errors out of the domain: a module under these folders that imports one of `src/errors.ts`'s HTTP
// errors decides a status where no map sees it.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { safeError } from '../src/errors.js'
import { toRelayError } from '../src/http/errors.js'
import { FeePayerUnfundedError, SolanaRpcError, SolanaUnavailableError } from '../src/solana/rpc.js'

const sourceDir = fileURLToPath(new URL('../src', import.meta.url))
const errorsModule = join(sourceDir, 'errors.ts')

const DOMAIN_FOLDERS = ['evm', 'solana', 'store', 'network', 'attestation']
/** `src/errors.ts`'s exports that carry an HTTP status. */
const HTTP_ERRORS = ['RelayError', 'badRequest', 'forbidden', 'notFound', 'upstreamUnavailable']

/** The edge inside the domain folders: these read the HTTP request and may answer in HTTP terms. */
const EDGE = new Set(['solana/routes.ts', 'solana/payRoutes.ts', 'solana/payParams.ts'])
/**
 * Known debt, each entry with who removes it. An entry that no longer imports an HTTP error fails the test below,
 * so the list cannot outlive its reason.
 */
const ALLOWED = new Map<string, string>([])

/** The HTTP error names `source` (the text of `file`) imports or re-exports from `src/errors.ts`. */
function httpErrorImports(file: string, source: string): string[] {
  const found: string[] = []
  const statement = /\b(?:import|export)\s+(?:type\s+)?(\{[^}]*\}|\*\s+as\s+\w+)\s+from\s+['"]([^'"]+)['"]/g
  for (const [, what = '', from = ''] of source.matchAll(statement)) {
    if (!from.startsWith('.')) continue
    const target = resolve(dirname(file), from.replace(/\.js$/, '.ts'))
    if (target !== errorsModule) continue
    if (what.startsWith('*')) {
      found.push(what)
      continue
    }
    for (const part of what.slice(1, -1).split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)[0]
      if (name && HTTP_ERRORS.includes(name)) found.push(name)
    }
  }
  return found
}

function domainSources(): { path: string; file: string }[] {
  return DOMAIN_FOLDERS.flatMap((folder) =>
    readdirSync(join(sourceDir, folder), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts'))
      .map((name) => {
        const file = join(sourceDir, folder, name)
        return { path: relative(sourceDir, file).split('\\').join('/'), file }
      }),
  )
}

describe('domain errors stay domain errors', () => {
  it('no module of evm, solana, store, network or attestation imports an HTTP error from src/errors.ts', () => {
    const sources = domainSources()
    // The scan reads something: each folder has modules, among them the ones that used to import HTTP errors.
    expect(sources.map((s) => s.path)).toEqual(
      expect.arrayContaining(['solana/pay.ts', 'attestation/humanCheck.ts', 'attestation/sponsorWebhook.ts']),
    )
    const offenders: string[] = []
    for (const { path, file } of sources) {
      if (EDGE.has(path) || ALLOWED.has(path)) continue
      const names = httpErrorImports(file, readFileSync(file, 'utf8'))
      if (names.length > 0) offenders.push(`${path}: ${names.join(', ')}`)
    }
    expect(offenders, 'throw a domain error and map it in src/http/errors.ts').toEqual([])
  })

  it('every allow-listed module still needs its entry', () => {
    const stale = [...ALLOWED.keys()].filter((path) => {
      const file = join(sourceDir, path)
      return httpErrorImports(file, readFileSync(file, 'utf8')).length === 0
    })
    expect(stale, 'remove these entries from ALLOWED').toEqual([])
  })

  it('the scan sees single-line, multi-line, type, renamed, namespace and re-exported imports of src/errors.ts', () => {
    const file = join(sourceDir, 'solana', 'example.ts')
    expect(httpErrorImports(file, "import { badRequest } from '../errors.js'")).toEqual(['badRequest'])
    expect(
      httpErrorImports(
        file,
        "import {\n  redactUrl,\n  forbidden as refuse,\n  type RelayError,\n} from '../errors.js'",
      ),
    ).toEqual(['forbidden', 'RelayError'])
    expect(httpErrorImports(file, "import * as errors from '../errors.js'")).toEqual(['* as errors'])
    expect(httpErrorImports(file, "export { upstreamUnavailable } from '../errors.js'")).toEqual([
      'upstreamUnavailable',
    ])
    // Not src/errors.ts, or not an HTTP error: nothing to report.
    expect(httpErrorImports(file, "import { SolanaRefusedError } from './errors.js'")).toEqual([])
    expect(httpErrorImports(file, "import { redactUrl, safeError } from '../errors.js'")).toEqual([])
    expect(
      httpErrorImports(join(sourceDir, 'evm', 'batcher', 'x.ts'), "import { notFound } from '../../errors.js'"),
    ).toEqual(['notFound'])
  })
})

describe('the map at the edge', () => {
  it("answers a Solana outage 503 UPSTREAM_UNAVAILABLE with the domain error's message, logging what the node said", () => {
    const answered = new SolanaRpcError(-32005, 'node is behind by 120 slots')
    const mapped = toRelayError(new SolanaUnavailableError('solana rpc http://n: node is behind', { cause: answered }))
    expect([mapped.status, mapped.code, mapped.message]).toEqual([
      503,
      'UPSTREAM_UNAVAILABLE',
      'solana rpc http://n: node is behind',
    ])
    expect(safeError(mapped).cause).toEqual({ type: 'SolanaRpcError', message: 'node is behind by 120 slots' })
    // An unfunded fee payer is the relay's outage too; nothing below it to log.
    const unfunded = toRelayError(new FeePayerUnfundedError('the fee payer cannot pay'))
    expect([unfunded.status, unfunded.code, unfunded.message]).toEqual([
      503,
      'UPSTREAM_UNAVAILABLE',
      'the fee payer cannot pay',
    ])
    expect(safeError(unfunded).cause).toEqual({ type: 'FeePayerUnfundedError', message: 'the fee payer cannot pay' })
  })
})

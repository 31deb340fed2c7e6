// @ts-check
// `npm run mutation` (from the repo root) runs this: StrykerJS mutates the relay's policy, admission and
// settlement code and runs the tests that cover each mutant. A benchmark-like run, not part of `npm test`.
import { readFileSync } from 'node:fs'

/**
 * A line range of `file` from the line containing `from` to the line before the one containing `to` (found by
 * name, so edits elsewhere don't shift it).
 */
function range(file, from, to) {
  const lines = readFileSync(new URL(file, import.meta.url), 'utf8').split('\n')
  const start = lines.findIndex((l) => l.includes(from)) + 1
  const end = lines.findIndex((l, i) => i >= start && l.includes(to))
  if (start <= 0 || end < start) throw new TypeError(`stryker.config.mjs: ${from} … ${to} not found in ${file}`)
  return `${file}:${start}-${end}`
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate: [
    // Policy: Solana transaction rules, a site's origins, signature rules, fees.
    'src/solana/policy.ts',
    'src/http/site.ts',
    'src/evm/hotPath/signature.ts',
    'src/evm/fees.ts',
    // The store's rules in process memory (the twin of the Lua scripts): admission's atomic checks and the
    // counters it shares with Solana, the status update that settles a reservation, the queue's claim and release.
    'src/store/admission/memory.ts',
    'src/store/admission/rules.ts',
    'src/store/requests/memory.ts',
    'src/store/queue/memory.ts',
    // The one nonce rule (admission and the batcher's screening).
    'src/evm/nonces.ts',
    // Settlement of a batch receipt: each request's share of the gas, each request's outcome.
    range('src/evm/batcher/settlement.ts', 'export function receiptL1Fee(', '/** Records a request'),
    range('src/evm/batcher/settlement.ts', 'export async function settleFromReceipt(', "'batch settled',"),
    // Relayer key locking: the fence a key's journal writes carry, taking, losing, handing over, renewing.
    'src/evm/batcher/keyLeases.ts',
    // The request model every network answers in, and the registry resolving an id to its network.
    'src/network/fromRecord.ts',
    'src/network/registry.ts',
  ],
  // Lua scripts are strings to Stryker: the memory store, which the same conformance suite holds to the same
  // rules, is the mutated twin of the Redis scripts.
  ignoreStatic: true,
  concurrency: 2,
  timeoutMS: 30_000,
  timeoutFactor: 2,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: '../../.tokentags/mutation/relay.html' },
  jsonReporter: { fileName: '../../.tokentags/mutation/relay.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: null },
}

// @ts-check
// `npm run mutation` (from the repo root) runs this: StrykerJS mutates the relay's policy, admission and
// settlement code and runs the tests that cover each mutant. A benchmark-like run, not part of `npm test`.
import { readFileSync } from 'node:fs'

/** The settlement of a batch receipt, as a line range of batcher.ts (found by name, so edits above it don't matter). */
function settlementLines() {
  const lines = readFileSync(new URL('./src/batcher.ts', import.meta.url), 'utf8').split('\n')
  const start = lines.findIndex((l) => l.includes('private async settleFromReceipt(')) + 1
  const end = lines.findIndex((l, i) => i >= start && l.startsWith('function ')) // the first top-level function after the class
  if (start <= 0 || end < start) throw new TypeError('stryker.config.mjs: settlement not found in src/batcher.ts')
  return `src/batcher.ts:${start}-${end}`
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/solana/policy.ts',
    'src/http/site.ts',
    'src/http/cors.ts',
    'src/routes/submitRequest.ts',
    'src/evm/signature.ts',
    'src/evm/fees.ts',
    'src/store/memory.ts',
    settlementLines(),
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

// @ts-check
// `npm run mutation` (from the repo root) runs this: StrykerJS mutates the widgets' attribute parsing, amounts,
// formatting and shared words/views, and runs the node unit tests (vitest.unit.config.ts) against each mutant. The
// elements' own rendering is tested in chromium by web-test-runner, which StrykerJS cannot drive per mutant.
import { readFileSync } from 'node:fs'

/** The shared views' pure helpers (error words, transaction link, short address), found by name. */
function viewHelperLines() {
  const lines = readFileSync(new URL('./src/internal/session-view.ts', import.meta.url), 'utf8').split('\n')
  const start = lines.findIndex((l) => l.startsWith('export function errorWords(')) + 1
  const end = lines.findIndex((l) => l.startsWith('function isSafeIcon('))
  if (start <= 0 || end < start) throw new TypeError('stryker.config.mjs: view helpers not found in session-view.ts')
  return `src/internal/session-view.ts:${start}-${end}`
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.unit.config.ts', related: false },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/internal/config.ts',
    'src/internal/format.ts',
    'src/internal/chains.ts',
    'src/internal/messages.ts',
    'src/internal/locale.ts',
    'src/token-tip/amount.ts',
    viewHelperLines(),
  ],
  ignoreStatic: true,
  concurrency: 2,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: '../../.tokentags/mutation/widgets.html' },
  jsonReporter: { fileName: '../../.tokentags/mutation/widgets.json' },
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: null },
}

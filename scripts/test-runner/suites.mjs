// The suites `npm test` runs, how each is started, and how its own summary is read. Kept apart from the runner so
// scripts/test-runner/suites.test.mjs can check the counting on real runner output (a contract test that does not
// compile must count as a failure, never as `0 | 0`).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { stripVTControlCharacters } from 'node:util'

/** Thrown when a runner's output holds no summary: the suite then counts as crashed. */
export class MissingSummaryError extends Error {
  name = 'MissingSummaryError'
}

export function lastMatch(output, pattern) {
  const last = [...stripVTControlCharacters(output).matchAll(pattern)].at(-1)
  if (!last) throw new MissingSummaryError(`no summary line matching ${pattern}`)
  return { passed: Number(last[1]), failed: Number(last[2]), skipped: Number(last[3] ?? 0) }
}

export function lastNumber(output, pattern) {
  const last = [...stripVTControlCharacters(output).matchAll(pattern)].at(-1)
  if (!last) throw new MissingSummaryError(`no summary line matching ${pattern}`)
  return Number(last[1])
}

/** forge's closing line: "Ran 4 test suites in 2.1s (…): 31 tests passed, 0 failed, 0 skipped (31 total tests)". */
export const parseForge = (output) => lastMatch(output, /(\d+) tests passed, (\d+) failed, (\d+) skipped/g)

/** node's test runner closes with "# pass 5" / "# fail 0" / "# skipped 0". */
export const parseNodeTest = (output) => ({
  passed: lastNumber(output, /^# pass (\d+)$/gm),
  failed: lastNumber(output, /^# fail (\d+)$/gm),
  skipped: lastNumber(output, /^# skipped (\d+)$/gm),
})

/**
 * Counts one suite from its output and exit status. Both must agree: a runner that exits non-zero without a
 * counted failure (a compile error, a crash, a timeout, no summary at all) counts one failure, and so does a
 * summary that counts no test at all.
 */
export function countSuite(suite, output, code) {
  let counts
  let note = ''
  try {
    counts = suite.parse(output, code)
  } catch (error) {
    counts = { passed: 0, failed: 0, skipped: 0 }
    note = error instanceof MissingSummaryError ? 'no summary' : `unreadable summary: ${error.message}`
  }
  if (code !== 0 && counts.failed === 0) {
    counts = { ...counts, failed: 1 }
    note = [note, `exit ${code}`].filter(Boolean).join(', ')
  } else if (code === 0 && counts.passed + counts.failed === 0) {
    counts = { ...counts, failed: 1 }
    note = [note, 'ran no test'].filter(Boolean).join(', ')
  }
  return { ...counts, note }
}

/** The last `lines` lines of a runner's output, for a failed suite whose report names nothing more precise. */
export function outputTail(output, lines = 40) {
  return stripVTControlCharacters(output).trimEnd().split('\n').slice(-lines)
}

const firstLines = (text, n = 6) =>
  String(text ?? '')
    .split('\n')
    .slice(0, n)
    .join('\n    ')

/**
 * What failed in a vitest JSON report: each failed test with the start of its error, and each file that failed
 * outside any test (a `beforeAll` that threw, an import error, an unhandled rejection) with its message — vitest
 * marks that file's tests skipped and counts no failed test, so without this a CI log shows only `exit 1`.
 */
export function vitestFailures(report) {
  const lines = []
  for (const file of report.testResults ?? []) {
    const name = String(file.name ?? '').replace(/^.*?\/(packages|contracts|examples)\//, '$1/')
    for (const test of file.assertionResults ?? [])
      if (test.status === 'failed')
        lines.push(`${name} › ${test.fullName ?? test.title}\n    ${firstLines(test.failureMessages?.[0])}`)
    const failedTests = (file.assertionResults ?? []).some((test) => test.status === 'failed')
    if (file.status === 'failed' && !failedTests)
      lines.push(`${name} (outside any test)\n    ${firstLines(file.message)}`)
  }
  return lines
}

/** web-test-runner marks each failed test `❌ <describe> > <test>` with its error on the next lines. */
export function wtrFailures(output) {
  const lines = stripVTControlCharacters(output).split('\n')
  const failed = new Map()
  lines.forEach((line, i) => {
    const at = line.indexOf('❌')
    if (at < 0) return
    const title = line.slice(at + 1).trim()
    // Its progress view prints the list again at the end: keep each test once.
    if (!failed.has(title))
      failed.set(
        title,
        `${title}\n    ${firstLines(
          lines
            .slice(i + 1, i + 4)
            .join('\n')
            .trim(),
          3,
        )}`,
      )
  })
  return [...failed.values()]
}

/** Playwright's JSON report: each spec that did not end as expected, with the start of its error. */
export function playwrightFailures(report) {
  const lines = []
  const visit = (suite, path) => {
    for (const spec of suite.specs ?? [])
      if (spec.ok === false) {
        const result = spec.tests?.flatMap((test) => test.results ?? []).find((r) => r.status !== 'passed')
        lines.push(`${[...path, spec.title].join(' › ')}\n    ${firstLines(result?.error?.message ?? result?.status)}`)
      }
    for (const child of suite.suites ?? []) visit(child, [...path, child.title])
  }
  for (const suite of report.suites ?? []) visit(suite, [suite.title])
  return lines
}

const vitest = (name, cwd, reports) => ({
  name,
  cwd,
  command: [
    'npx',
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${join(reports, `${name}.json`)}`,
  ],
  parse: () => {
    const report = JSON.parse(readFileSync(join(reports, `${name}.json`), 'utf8'))
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      skipped: report.numPendingTests + (report.numTodoTests ?? 0),
    }
  },
  failures: () => vitestFailures(JSON.parse(readFileSync(join(reports, `${name}.json`), 'utf8'))),
})

const playwright = (name, cwd, reports) => ({
  name,
  cwd,
  command: ['npx', 'playwright', 'test', '--reporter=list,json'],
  env: { PLAYWRIGHT_JSON_OUTPUT_NAME: join(reports, `${name}.json`) },
  parse: () => {
    const { stats } = JSON.parse(readFileSync(join(reports, `${name}.json`), 'utf8'))
    return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped }
  },
  failures: () => playwrightFailures(JSON.parse(readFileSync(join(reports, `${name}.json`), 'utf8'))),
})

/** Runs the native forge (never `npx forge`, whose wrapper exits 0 when a test does not compile). */
export const forgeSuite = (name, cwd, forgeScript) => ({
  name,
  cwd,
  command: ['node', forgeScript, 'test'],
  parse: parseForge,
})

export function suites(reports) {
  return [
    {
      name: 'runner',
      cwd: '.',
      command: ['node', '--test', 'scripts/test-runner/'],
      parse: parseNodeTest,
    },
    {
      name: 'lint',
      cwd: '.',
      // One check: Biome over the repo, the type check of the root scripts, e2e and benches, solhint, no import cycle.
      command: [
        'sh',
        '-c',
        'npx biome check . && npx tsc -p tsconfig.json && npm run --silent lint:sol -w contracts && npm run --silent lint:cycles',
      ],
      parse: (_output, code) => ({ passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 }),
    },
    forgeSuite('contracts', 'contracts', 'scripts/forge.mjs'),
    vitest('contracts-ts', 'contracts', reports),
    vitest('testkit', 'packages/testkit', reports),
    vitest('core', 'packages/core', reports),
    vitest('ledger', 'packages/ledger', reports),
    vitest('relay', 'packages/relay-server', reports),
    {
      ...vitest('widgets-unit', 'packages/widgets', reports),
      command: [...vitest('widgets-unit', 'packages/widgets', reports).command, '--config=vitest.unit.config.ts'],
    },
    {
      name: 'widgets-size',
      cwd: 'packages/widgets',
      command: [
        'node',
        '--test',
        'test/size.test.mjs',
        'test/walletconnect-size.test.mjs',
        'test/mwa-size.test.mjs',
        'test/node-import.test.mjs',
        'test/generated.test.mjs',
      ],
      parse: parseNodeTest,
    },
    {
      name: 'widgets-browser',
      cwd: 'packages/widgets',
      command: ['npx', 'wtr'],
      // web-test-runner's summary: "… | 12 passed, 0 failed" (skipped counted separately when present)
      parse: (output) => lastMatch(output, /(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/g),
      failures: wtrFailures,
    },
    vitest('widgets-stories', 'packages/widgets', reports),
    playwright('example-react', 'examples/react-vite', reports),
    playwright('example-vue', 'examples/vue-vite', reports),
    playwright('dashboard', 'packages/dashboard', reports),
    playwright('example-extension', 'examples/chrome-extension', reports),
    playwright('e2e', '.', reports),
  ]
}

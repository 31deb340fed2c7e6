#!/usr/bin/env node
// Runs every test suite of the monorepo, prints a table, and ends with the one line CI reads:
// `N passed, N failed` (summed over all suites). Exits non-zero when anything failed,
// including a suite that crashed before reporting its own counts.
//
//   npm test                    build, then every suite
//   npm test -- core relay      only the suites whose names are given
//   TOKENTAGS_SKIP_BUILD=1      skip the build step (after `npm run build`)
import { spawn } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { stripVTControlCharacters } from 'node:util'

const root = resolve(import.meta.dirname, '..')
const reports = join(root, '.tokentags', 'test-reports')
rmSync(reports, { recursive: true, force: true })
mkdirSync(reports, { recursive: true })

const vitest = (name, cwd) => ({
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
})

const playwright = (name, cwd) => ({
  name,
  cwd,
  command: ['npx', 'playwright', 'test', '--reporter=list,json'],
  env: { PLAYWRIGHT_JSON_OUTPUT_NAME: join(reports, `${name}.json`) },
  parse: () => {
    const { stats } = JSON.parse(readFileSync(join(reports, `${name}.json`), 'utf8'))
    return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped }
  },
})

const suites = [
  {
    name: 'lint',
    cwd: '.',
    // One check: Biome over the repo, the type check of the root scripts, e2e and benches, solhint.
    command: ['sh', '-c', 'npx biome check . && npx tsc -p tsconfig.json && npm run --silent lint:sol -w contracts'],
    parse: (_output, code) => ({ passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 }),
  },
  {
    name: 'contracts',
    cwd: 'contracts',
    command: ['npx', 'forge', 'test'],
    // forge's closing line: "Ran 4 test suites in 2.1s (…): 31 tests passed, 0 failed, 0 skipped (31 total tests)"
    parse: (output) => lastMatch(output, /(\d+) tests passed, (\d+) failed, (\d+) skipped/g),
  },
  vitest('contracts-ts', 'contracts'),
  vitest('core', 'packages/core'),
  vitest('relay', 'packages/relay-server'),
  {
    name: 'widgets-size',
    cwd: 'packages/widgets',
    command: [
      'node',
      '--test',
      'test/size.test.mjs',
      'test/walletconnect-size.test.mjs',
      'test/node-import.test.mjs',
      'test/generated.test.mjs',
    ],
    // node's test runner closes with "# pass 5" / "# fail 0" / "# skipped 0"
    parse: (output) => ({
      passed: lastNumber(output, /^# pass (\d+)$/gm),
      failed: lastNumber(output, /^# fail (\d+)$/gm),
      skipped: lastNumber(output, /^# skipped (\d+)$/gm),
    }),
  },
  {
    name: 'widgets-browser',
    cwd: 'packages/widgets',
    command: ['npx', 'wtr'],
    // web-test-runner's summary: "… | 12 passed, 0 failed" (skipped counted separately when present)
    parse: (output) => {
      const counts = lastMatch(output, /(\d+) passed, (\d+) failed(?:, (\d+) skipped)?/g)
      return counts
    },
  },
  vitest('widgets-stories', 'packages/widgets'),
  playwright('example-react', 'examples/react-vite'),
  playwright('example-vue', 'examples/vue-vite'),
  playwright('dashboard', 'packages/dashboard'),
  playwright('example-extension', 'examples/chrome-extension'),
  playwright('e2e', '.'),
]

function lastMatch(output, pattern) {
  const clean = stripVTControlCharacters(output)
  const matches = [...clean.matchAll(pattern)]
  const last = matches.at(-1)
  if (!last) throw new Error('no summary line found')
  return { passed: Number(last[1]), failed: Number(last[2]), skipped: Number(last[3] ?? 0) }
}

function lastNumber(output, pattern) {
  const last = [...stripVTControlCharacters(output).matchAll(pattern)].at(-1)
  if (!last) throw new Error('no summary line found')
  return Number(last[1])
}

function run(command, cwd, env) {
  return new Promise((resolvePromise) => {
    const child = spawn(command[0], command.slice(1), {
      cwd: join(root, cwd),
      env: { ...process.env, FORCE_COLOR: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
      process.stdout.write(chunk)
    })
    child.stderr.on('data', (chunk) => {
      output += chunk
      process.stderr.write(chunk)
    })
    child.on('close', (code) => resolvePromise({ code: code ?? 1, output }))
  })
}

const only = process.argv.slice(2)
const selected = only.length ? suites.filter((s) => only.includes(s.name)) : suites
if (only.length && selected.length !== only.length) {
  console.error(`unknown suite; known: ${suites.map((s) => s.name).join(', ')}`)
  process.exit(2)
}

if (!process.env.TOKENTAGS_SKIP_BUILD) {
  const build = await run(['node', 'scripts/build.mjs'], '.')
  if (build.code !== 0) {
    console.log('\nbuild failed: no suite ran')
    console.log('0 passed, 1 failed')
    process.exit(1)
  }
}

const rows = []
for (const suite of selected) {
  console.log(`\n=== ${suite.name}: ${suite.command.join(' ')} (in ${suite.cwd})`)
  const started = Date.now()
  const { code, output } = await run(suite.command, suite.cwd, suite.env)
  let counts
  try {
    counts = suite.parse(output, code)
  } catch {
    counts = { passed: 0, failed: 0, skipped: 0 }
  }
  // A runner that exits non-zero without a counted failure (crash, compile error, timeout) is a failure.
  const crashed = code !== 0 && counts.failed === 0
  if (crashed) counts.failed = 1
  rows.push({
    name: suite.name,
    ...counts,
    seconds: (Date.now() - started) / 1000,
    note: crashed ? `exit ${code}` : '',
  })
}

console.log('\n| suite | passed | failed | skipped | seconds |')
console.log('|---|---:|---:|---:|---:|')
for (const r of rows)
  console.log(
    `| ${r.name} | ${r.passed} | ${r.failed}${r.note ? ` (${r.note})` : ''} | ${r.skipped} | ${r.seconds.toFixed(1)} |`,
  )
const total = rows.reduce(
  (sum, r) => ({ passed: sum.passed + r.passed, failed: sum.failed + r.failed, skipped: sum.skipped + r.skipped }),
  { passed: 0, failed: 0, skipped: 0 },
)
console.log('')
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`)
process.exit(total.failed > 0 ? 1 : 0)

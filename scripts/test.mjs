#!/usr/bin/env node
// Runs every test suite of the monorepo, prints a table, and ends with the one line CI reads:
// `N passed, N failed` (summed over all suites). Exits non-zero when anything failed,
// including a suite that crashed before reporting its own counts.
//
//   npm test                    build, then every suite
//   npm test -- core relay      only the suites whose names are given
//   TOKENTAGS_SKIP_BUILD=1      skip the build step (after `npm run build`)
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { suites as allSuites, countSuite, outputTail } from './test-runner/suites.mjs'

const root = resolve(import.meta.dirname, '..')
const reports = join(root, '.tokentags', 'test-reports')
rmSync(reports, { recursive: true, force: true })
mkdirSync(reports, { recursive: true })

const suites = allSuites(reports)

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

/** The failed tests a suite's report names, or the tail of its output when it names none (a crash, a timeout). */
function failureLines(suite, output) {
  try {
    const lines = suite.failures?.(output) ?? []
    if (lines.length > 0) return lines
  } catch {}
  return outputTail(output)
}

const rows = []
const failures = []
for (const suite of selected) {
  console.log(`\n=== ${suite.name}: ${suite.command.join(' ')} (in ${suite.cwd})`)
  const started = Date.now()
  const { code, output } = await run(suite.command, suite.cwd, suite.env)
  const { note, ...counts } = countSuite(suite, output, code)
  if (counts.failed > 0) failures.push({ name: suite.name, lines: failureLines(suite, output) })
  rows.push({
    name: suite.name,
    ...counts,
    seconds: (Date.now() - started) / 1000,
    note,
  })
}

// Repeated at the end, where a CI log that keeps only its last part still shows them.
for (const { name, lines } of failures) {
  console.log(`\n--- failed in ${name}:`)
  for (const line of lines) console.log(`  ${line}`)
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
if (total.skipped) console.log(`(${total.skipped} skipped)`)
console.log(`${total.passed} passed, ${total.failed} failed`)
process.exit(total.failed > 0 ? 1 : 0)

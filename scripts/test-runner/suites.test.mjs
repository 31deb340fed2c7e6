// The runner's counting, checked on real forge output: a contract test that fails or does not compile must make
// `npm test` fail and count, never pass as `contracts | 0 | 0`.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, before, describe, it } from 'node:test'
import {
  countSuite,
  forgeSuite,
  parseForge,
  parseNodeTest,
  playwrightFailures,
  vitestFailures,
  wtrFailures,
} from './suites.mjs'

const root = resolve(import.meta.dirname, '..', '..')
const contracts = join(root, 'contracts')

describe('countSuite', () => {
  const forgeLike = { parse: parseForge }
  const summary = 'Ran 2 test suites in 1.0s (2.0s CPU time): 7 tests passed, 0 failed, 1 skipped (8 total tests)'

  it('takes the counts of a clean run', () => {
    assert.deepEqual(countSuite(forgeLike, summary, 0), { passed: 7, failed: 0, skipped: 1, note: '' })
  })

  it('counts a failure when the runner exits non-zero with no summary (a compile error)', () => {
    const counts = countSuite(forgeLike, "Error (2314): Expected identifier but got '('", 1)
    assert.equal(counts.failed, 1)
    assert.equal(counts.passed, 0)
    assert.match(counts.note, /no summary, exit 1/)
  })

  it('counts a failure when the summary says 0 failed but the runner exits non-zero', () => {
    const counts = countSuite(forgeLike, summary, 2)
    assert.deepEqual([counts.passed, counts.failed], [7, 1])
    assert.match(counts.note, /exit 2/)
  })

  it('counts a failure when a run exits 0 having run no test', () => {
    const counts = countSuite(forgeLike, 'Ran 0 test suites in 1ms: 0 tests passed, 0 failed, 0 skipped', 0)
    assert.equal(counts.failed, 1)
    assert.match(counts.note, /ran no test/)
  })

  it('keeps the counted failures when a runner exits non-zero because of them', () => {
    const output = '# tests 3\n# pass 1\n# fail 2\n# skipped 0\n'
    assert.deepEqual(countSuite({ parse: parseNodeTest }, output, 1), { passed: 1, failed: 2, skipped: 0, note: '' })
  })
})

describe('the failures a vitest report names, on a real vitest run', () => {
  it('names a failed test with its error, and a file whose beforeAll threw (its tests skipped, none failed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-vitest-'))
    writeFileSync(
      join(dir, 'hook.test.mjs'),
      "import { beforeAll, it } from 'vitest'\nbeforeAll(() => { throw new Error('relay exited with 1') })\nit('one test', () => {})\n",
    )
    writeFileSync(
      join(dir, 'assert.test.mjs'),
      "import { expect, it } from 'vitest'\nit('adds', () => { expect(1 + 1).toBe(3) })\nit('passes', () => {})\n",
    )
    const report = join(dir, 'report.json')
    const run = spawnSync(
      join(root, 'node_modules', '.bin', 'vitest'),
      ['run', '--root', dir, '--reporter=json', `--outputFile=${report}`],
      { encoding: 'utf8' },
    )
    assert.equal(run.status, 1)
    const json = JSON.parse(readFileSync(report, 'utf8'))
    assert.equal(json.numFailedTests, 1)
    const lines = vitestFailures(json)
    rmSync(dir, { recursive: true, force: true })
    assert.equal(lines.length, 2)
    const hook = lines.find((line) => line.includes('hook.test.mjs'))
    const failed = lines.find((line) => line.includes('assert.test.mjs'))
    assert.match(hook ?? '', /outside any test[\s\S]*relay exited with 1/)
    assert.match(failed ?? '', /adds[\s\S]*expected 2 to be 3/)
  })
})

describe('the failures web-test-runner names', () => {
  it('reads each failed test once with the start of its error, from a CI log', () => {
    // Cut from a real CI run (its progress view prints the failures again at the end).
    const output = [
      ' ❌ WalletConnect in the browser > offers WalletConnect in the wallet list; claims over it',
      "      \u001b[31mTypeError: Cannot read properties of undefined (reading '87')\u001b[39m",
      '      \u001b[90m  at transform (../../node_modules/@paulmillr/qr/esm/decode.js:667:27)',
      '        at detect (../../node_modules/@paulmillr/qr/esm/decode.js:602:17)',
      '',
      ' ❌ WalletConnect in the browser > tips TAG gasless from the same WalletConnect session',
      '      \u001b[31mError: Timeout: still choose-wallet\u001b[39m',
      'Chromium: | 33/35 test files | 288 passed, 2 failed',
      ' ❌ WalletConnect in the browser > tips TAG gasless from the same WalletConnect session',
      '      Error: Timeout: still choose-wallet',
    ].join('\n')
    const lines = wtrFailures(output)
    assert.equal(lines.length, 2)
    assert.match(lines[0] ?? '', /^WalletConnect in the browser > offers[\s\S]*TypeError: Cannot read properties/)
    assert.match(lines[1] ?? '', /tips TAG gasless[\s\S]*Timeout: still choose-wallet/)
  })
})

describe('the failures a Playwright JSON report names', () => {
  it('names each spec that did not end as expected, with its path and the start of its error', () => {
    // The shape of a real report (e2e.json of a CI run), one spec turned into a failure and one nested suite.
    const spec = (title, ok, result) => ({
      title,
      ok,
      tests: [{ expectedStatus: 'passed', results: [{ retry: 0, ...result }], status: ok ? 'expected' : 'unexpected' }],
      file: 'claim.spec.ts',
    })
    const report = {
      suites: [
        {
          title: 'claim-keyboard.spec.ts',
          specs: [spec('claim with the keyboard only', true, { status: 'passed', errors: [] })],
        },
        {
          title: 'tip-buy.spec.ts',
          specs: [],
          suites: [
            {
              title: 'tips and buys on the demo page',
              specs: [
                spec('a TAG tip is gasless', false, {
                  status: 'failed',
                  error: { message: 'Error: expect(received).toBe(expected)\n\nExpected: 1n\nReceived: 0n' },
                }),
                spec('buying with ETH', false, { status: 'timedOut', errors: [] }),
              ],
            },
          ],
        },
      ],
    }
    const lines = playwrightFailures(report)
    assert.equal(lines.length, 2)
    assert.match(
      lines[0] ?? '',
      /^tip-buy\.spec\.ts › tips and buys on the demo page › a TAG tip is gasless\n[\s\S]*toBe/,
    )
    assert.match(lines[1] ?? '', /buying with ETH\n\s+timedOut/)
  })
})

describe('the contracts suite on a real forge project', () => {
  let dir
  const suite = forgeSuite('contracts', '.', join(contracts, 'scripts', 'forge.mjs'))
  const runSuite = () => {
    const result = spawnSync(suite.command[0], suite.command.slice(1), {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    })
    return { code: result.status ?? 1, ...countSuite(suite, result.stdout + result.stderr, result.status ?? 1) }
  }
  const testFile = () => join(dir, 'test', 'Sample.t.sol')
  const writeTest = (body) =>
    writeFileSync(
      testFile(),
      `// SPDX-License-Identifier: MIT\npragma solidity 0.8.28;\n\ncontract SampleTest {\n${body}\n}\n`,
    )

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tokentags-runner-'))
    mkdirSync(join(dir, 'test'))
    writeFileSync(
      join(dir, 'foundry.toml'),
      [
        '[profile.default]',
        'src = "test"',
        'test = "test"',
        `solc = "${join(contracts, 'solc')}"`,
        'offline = true',
        'auto_detect_solc = false',
        '[lint]',
        'lint_on_build = false',
        '',
      ].join('\n'),
    )
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('passes and counts a passing test', () => {
    writeTest('  function test_adds() public pure { require(1 + 1 == 2, "maths"); }')
    assert.deepEqual(runSuite(), { code: 0, passed: 1, failed: 0, skipped: 0, note: '' })
  })

  it('fails and counts a failing assertion', () => {
    writeTest(
      '  function test_adds() public pure { require(1 + 1 == 2, "maths"); }\n  function test_wrong() public pure { require(1 + 1 == 3, "wrong"); }',
    )
    const result = runSuite()
    assert.notEqual(result.code, 0)
    assert.deepEqual([result.passed, result.failed], [1, 1])
  })

  it('fails when a test file does not compile', () => {
    writeTest('  function test_adds() public pure { require(1 + 1 == 2, "maths"); }')
    appendFileSync(testFile(), 'garbage(\n')
    const result = runSuite()
    assert.notEqual(result.code, 0)
    assert.equal(result.failed, 1)
    assert.match(result.note, /exit/)
  })
})

// Bundle budget of the drop-in files. Run after `npm run build -w packages/widgets`:
//   node --test test/size.test.mjs
// The budget counts what a page loads before the widget draws: the entry file and
// its static imports. @tokentags/core (viem, wagmi) is imported lazily; its chunks
// are printed and held to a looser guard so a regression still shows.
import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const cdn = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cdn')
const KB = 1024
const BUDGET_INITIAL = { 'token-claim.js': 40 * KB, 'tokentags.js': 60 * KB }
const GUARD_WITH_LAZY = 64 * KB

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length

/** Files reached from `entry` by static imports, and by static + dynamic imports. */
function closure(entry) {
  const staticFiles = new Set()
  const allFiles = new Set()
  const visit = (file, viaDynamic) => {
    if (allFiles.has(file) && (viaDynamic || staticFiles.has(file))) return
    allFiles.add(file)
    if (!viaDynamic) staticFiles.add(file)
    const code = readFileSync(file, 'utf8')
    for (const [, spec] of code.matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+)["']/g))
      visit(join(dirname(file), spec), viaDynamic)
    for (const [, spec] of code.matchAll(/import\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g))
      visit(join(dirname(file), spec), true)
  }
  visit(entry, false)
  return { staticFiles: [...staticFiles], allFiles: [...allFiles] }
}

const sum = (files, measure) => files.reduce((total, f) => total + measure(f), 0)
const kb = (n) => `${(n / KB).toFixed(1)} KB`

test('drop-in bundles exist', () => {
  for (const name of ['token-claim.js', 'tokentags.js', 'tokentags.iife.js']) {
    assert.ok(existsSync(join(cdn, name)), `dist/cdn/${name} is missing: run the widgets build first`)
  }
})

for (const [name, budget] of Object.entries(BUDGET_INITIAL)) {
  test(`dist/cdn/${name} stays within ${kb(budget)} gzip before lazy chunks`, () => {
    const { staticFiles, allFiles } = closure(join(cdn, name))
    const raw = sum(staticFiles, (f) => readFileSync(f).length)
    const initial = sum(staticFiles, gz)
    const lazy = allFiles.filter((f) => !staticFiles.includes(f))
    console.log(`${name}: initial ${kb(raw)} raw, ${kb(initial)} gzip (${staticFiles.length} file(s))`)
    for (const f of lazy)
      console.log(`  lazy ${relative(cdn, f)}: ${kb(readFileSync(f).length)} raw, ${kb(gz(f))} gzip`)
    const total = initial + sum(lazy, gz)
    console.log(`  with every lazy chunk: ${kb(total)} gzip`)
    assert.ok(initial <= budget, `${name} loads ${kb(initial)} gzip up front, over its ${kb(budget)} budget`)
    assert.ok(
      total <= GUARD_WITH_LAZY,
      `${name} with its lazy chunks is ${kb(total)} gzip, over ${kb(GUARD_WITH_LAZY)}`,
    )
  })
}

test('dist/cdn/tokentags.iife.js is one classic script', () => {
  const file = join(cdn, 'tokentags.iife.js')
  const code = readFileSync(file, 'utf8')
  console.log(`tokentags.iife.js: ${kb(code.length)} raw, ${kb(gz(file))} gzip`)
  assert.doesNotMatch(code, /^\s*(import|export)\s/m, 'an IIFE must not contain module syntax')
  assert.doesNotMatch(code, /import\(\s*["']\.\//, 'an IIFE must not load chunks')
  assert.ok(gz(file) <= GUARD_WITH_LAZY, `tokentags.iife.js is ${kb(gz(file))} gzip, over ${kb(GUARD_WITH_LAZY)}`)
})

test('no dev-only warnings or Lit dev mode in the drop-in bundles', () => {
  for (const name of ['token-claim.js', 'tokentags.iife.js']) {
    const code = readFileSync(join(cdn, name), 'utf8')
    assert.doesNotMatch(code, /Lit is in dev mode/)
    assert.doesNotMatch(code, /is waiting for a <tokentags-config>/)
  }
})

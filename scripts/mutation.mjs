#!/usr/bin/env node
// `npm run mutation`: StrykerJS over the relay's policy, admission (memory twin of the store scripts), fees and
// settlement, and over the widgets' attribute parsing, amounts and words. A benchmark-like run, not part of
// `npm test`: it prints each package's mutation score and the total.
//   npm run mutation                 both packages
//   npm run mutation -- widgets      one of them
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const targets = { relay: 'packages/relay-server', widgets: 'packages/widgets' }
const wanted = process.argv.slice(2)
const names = wanted.length ? wanted : Object.keys(targets)
const unknown = names.filter((n) => !(n in targets))
if (unknown.length) {
  console.error(`unknown target ${unknown.join(', ')}; known: ${Object.keys(targets).join(', ')}`)
  process.exit(2)
}

const rows = []
for (const name of names) {
  console.log(`\n## mutation: ${name}\n`)
  const started = Date.now()
  const run = spawnSync('npx', ['stryker', 'run'], { cwd: join(root, targets[name]), stdio: 'inherit' })
  if (run.status !== 0) {
    console.error(`stryker failed in ${targets[name]} (exit ${run.status})`)
    process.exit(1)
  }
  const report = JSON.parse(readFileSync(join(root, '.tokentags', 'mutation', `${name}.json`), 'utf8'))
  const count = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, other: 0 }
  for (const file of Object.values(report.files))
    for (const mutant of file.mutants) count[mutant.status in count ? mutant.status : 'other']++
  const detected = count.Killed + count.Timeout
  const valid = detected + count.Survived + count.NoCoverage
  rows.push({ name, ...count, score: valid ? (100 * detected) / valid : 0, minutes: (Date.now() - started) / 60_000 })
}

console.log('\n| target | killed | timed out | survived | no coverage | score | minutes |')
console.log('|---|---:|---:|---:|---:|---:|---:|')
for (const r of rows)
  console.log(
    `| ${r.name} | ${r.Killed} | ${r.Timeout} | ${r.Survived} | ${r.NoCoverage} | ${r.score.toFixed(1)}% | ${r.minutes.toFixed(1)} |`,
  )
const all = rows.reduce(
  (s, r) => ({ d: s.d + r.Killed + r.Timeout, v: s.v + r.Killed + r.Timeout + r.Survived + r.NoCoverage }),
  { d: 0, v: 0 },
)
console.log(
  `\nmutation score: ${all.v ? ((100 * all.d) / all.v).toFixed(1) : '0.0'}% (${all.d} of ${all.v} mutants detected)`,
)
console.log('reports: .tokentags/mutation/<target>.html')

#!/usr/bin/env node
// `npm run bench`: runs every benchmark under bench/ in turn. Each prints its own table.
//   npm run bench -- gas      only the named ones
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const benches = {
  gas: 'bench/gas.ts',
  bundle: 'bench/bundle.ts',
  'first-paint': 'bench/first-paint.ts',
  relay: 'bench/relay.ts',
  ledger: 'bench/ledger.ts',
  solana: 'bench/solana.ts',
  'solana-keys': 'bench/solana-keys.ts',
  sybil: 'bench/sybil.ts',
}
const wanted = process.argv.slice(2)
const names = wanted.length ? wanted : Object.keys(benches)
let failed = false
for (const name of names) {
  const file = benches[name]
  if (!file) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(benches).join(', ')}`)
    process.exit(2)
  }
  console.log(`\n## ${name}\n`)
  const result = spawnSync('npx', ['tsx', file], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) failed = true
}
process.exit(failed ? 1 : 0)

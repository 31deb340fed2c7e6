#!/usr/bin/env node
// Builds every workspace in dependency order. Each step is the workspace's own `build` script,
// so `npm run build -w <workspace>` stays the way to rebuild one piece.
import { spawnSync } from 'node:child_process'

const order = [
  'contracts',
  'packages/testkit',
  'packages/core',
  'packages/ledger',
  'packages/widgets',
  'packages/dashboard',
  'packages/relay-server',
  'examples/plain-html',
]

for (const workspace of order) {
  const started = Date.now()
  const result = spawnSync('npm', ['run', 'build', '--silent', '--workspace', workspace], { stdio: 'inherit' })
  if (result.status !== 0) {
    console.error(`build failed in ${workspace}`)
    process.exit(result.status ?? 1)
  }
  console.log(`built ${workspace} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
